"""The node's TOML config file (`--config /etc/contoso/node.toml`): options the command line overrides.

The file maps onto the very options of `contoso node run` (and `enroll`, `set-staff-pin`,
`test-print` for what they share), so there is one meaning for each setting. An example with
every key: `deploy/raspberrypi/node.toml`.
"""
from __future__ import annotations

import argparse
import json
import sys
import tomllib


class ConfigError(ValueError):
    """The file cannot be read or holds a setting we do not know or of the wrong type."""


# (table, key) -> (the option's dest, its type); [printer] and [kiosk] are handled apart.
SETTINGS = {
    ("node", "data_dir"): ("data_dir", str),
    ("node", "host"): ("host", str),
    ("node", "port"): ("port", int),
    ("node", "threads"): ("threads", int),
    ("hub", "url"): ("hub", str),
    ("hub", "discovery"): ("no_discovery", bool),       # stored negated: see _value
    ("hub", "zeroconf_interfaces"): ("zeroconf_interface", list),
    ("sync", "interval_s"): ("sync_interval", float),
    ("sync", "max_backoff_s"): ("max_backoff", float),
    ("sync", "peers"): ("peer", list),
    ("checkin", "reentry"): ("reentry", bool),
    ("sales", "top_up_ceiling"): ("top_up_ceiling", int),
    ("sales", "top_up_low_water"): ("top_up_low_water", int),
    ("camera", "index"): ("camera", int),
    ("staff", "idle_timeout_s"): ("staff_idle_timeout", float),
    ("staff", "secure_cookies"): ("secure_cookies", bool),
}
KIOSK_KEYS = {"enabled", "url"}


def load(path: str) -> dict:
    """The file's settings as option values by dest (only what the file sets)."""
    try:
        with open(path, "rb") as f:
            document = tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"Cannot read the config file {path}: {e.strerror}.") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} is not valid TOML: {e}.") from None
    return options(document, path)


def options(document: dict, path: str = "the config file") -> dict:
    values = {}
    for table, body in document.items():
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: '{table}' must be a [table].")
        if table == "printer":
            values["printer"] = _printer(body, path)
        elif table == "kiosk":
            _check_kiosk(body, path)
        else:
            for key, value in body.items():
                values.update(_value(table, key, value, path))
    return values


def _value(table: str, key: str, value, path: str) -> dict:
    if (table, key) not in SETTINGS:
        raise ConfigError(f"{path}: unknown setting [{table}] {key}.")
    dest, kind = SETTINGS[(table, key)]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{path}: [{table}] {key} must be {_KIND_NAMES[kind]}.")
    if kind is list and not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: [{table}] {key} must be a list of strings.")
    if dest == "no_discovery":
        value = not value
    return {dest: value}


_KIND_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list of strings"}


def _printer(body: dict, path: str) -> str:
    """The printer table is the printer's JSON config (docs/printing.md), as `--printer` takes."""
    if not isinstance(body.get("kind"), str):
        raise ConfigError(f"{path}: [printer] needs a kind (folder, usb, network, serial, file).")
    return json.dumps(body)


def _check_kiosk(body: dict, path: str) -> None:
    unknown = set(body) - KIOSK_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown setting [kiosk] {sorted(unknown)[0]}.")


def kiosk_url(path: str) -> str | None:
    """The page the kiosk browser opens, or None when [kiosk] enabled = false."""
    with open(path, "rb") as f:
        document = tomllib.load(f)
    kiosk, node = document.get("kiosk", {}), document.get("node", {})
    if not kiosk.get("enabled", True):
        return None
    return kiosk.get("url") or f"http://127.0.0.1:{node.get('port', 8100)}/kiosk"


# --- wiring into argparse: the file fills what the command line leaves out ----------------

def read_with(parser: argparse.ArgumentParser) -> None:
    """Give a command `--config FILE`: its settings replace the defaults, flags still win.

    Every option's default is set aside (argparse.SUPPRESS), so after parsing the namespace
    holds only what was typed; `_resolve` lays that over the file over the defaults."""
    defaults = {}
    for action in parser._actions:
        if action.option_strings and action.dest != "help":
            defaults[action.dest] = action.default
            action.default = argparse.SUPPRESS
    parser.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE",
                        help="read settings from this TOML file (e.g. /etc/contoso/node.toml); "
                             "options given here win over it")
    command = parser.get_default("run")

    def run_with_file(args):
        try:
            return command(_resolve(args, defaults))
        except ConfigError as e:
            print(e, file=sys.stderr)
            return 2
    parser.set_defaults(run=run_with_file)


def _resolve(args: argparse.Namespace, defaults: dict) -> argparse.Namespace:
    typed = vars(args)
    from_file = load(typed["config"]) if "config" in typed else {}
    return argparse.Namespace(**{**defaults,
                                 **{k: v for k, v in from_file.items() if k in defaults},
                                 **typed})


def main(argv: list[str] | None = None) -> int:
    """`python -m onsite_node.config_file kiosk-url FILE`: the kiosk page, for the kiosk's launcher
    script; exit status 1 when the kiosk is disabled, 3 when the file cannot be read."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "kiosk-url":
        print("usage: python -m onsite_node.config_file kiosk-url FILE", file=sys.stderr)
        return 2
    try:
        url = kiosk_url(argv[1])
    except (OSError, tomllib.TOMLDecodeError) as e:
        print(f"{argv[1]}: {e}", file=sys.stderr)
        return 3
    if url is None:
        return 1
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
