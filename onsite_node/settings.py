"""The node's local settings (the staff PIN's hash) and the `--printer` option's forms."""
from __future__ import annotations

import json
import os
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

FILE_NAME = "settings.json"
PRINTER_FORMS = """\
the printer: a JSON object (docs/printing.md) or one of
  folder:PATH               ESC/POS bytes and a PNG per job in PATH (default DATA_DIR/prints)
  usb:VENDOR:PRODUCT        e.g. usb:0x0416:0x5011
  network:HOST[:PORT]       e.g. network:10.0.0.40:9100
  serial:DEVICE[:BAUD]      e.g. serial:/dev/ttyUSB0:9600
  file:DEVICE               a device node, e.g. file:/dev/usb/lp0
  dummy                     in memory, prints nothing (tests)"""


def default_printer(data_dir: str) -> dict:
    """The embedded default: a folder printer in the data folder, 58 mm paper."""
    return {"kind": "folder", "path": os.path.join(data_dir, "prints"), "paper_width_mm": 58}


def parse_printer(spec: str | None, data_dir: str, paper_width_mm: int | None = None) -> dict:
    """The printer config a `--printer` value names (see PRINTER_FORMS)."""
    config = default_printer(data_dir) if not spec else _parse(spec.strip(), data_dir)
    config.setdefault("paper_width_mm", 58)
    if paper_width_mm:
        config["paper_width_mm"] = paper_width_mm
    return config


def _parse(spec: str, data_dir: str) -> dict:
    if spec.startswith("{"):
        config = json.loads(spec)
        if not isinstance(config, dict) or "kind" not in config:
            raise ValueError("A JSON printer needs at least a \"kind\".")
        return config
    kind, _, rest = spec.partition(":")
    parts = rest.split(":") if rest else []
    if kind == "folder":
        return {"kind": "folder", "path": rest or os.path.join(data_dir, "prints")}
    if kind == "usb" and len(parts) == 2:
        return {"kind": "usb", "vendor_id": parts[0], "product_id": parts[1]}
    if kind == "network" and 1 <= len(parts) <= 2:
        return {"kind": "network", "host": parts[0], "port": int(parts[1]) if parts[1:] else 9100}
    if kind == "serial" and 1 <= len(parts) <= 2:
        return {"kind": "serial", "device": parts[0],
                "baudrate": int(parts[1]) if parts[1:] else 9600}
    if kind == "file" and rest:
        return {"kind": "file", "path": rest}
    if kind == "dummy" and not rest:
        return {"kind": "dummy"}
    raise ValueError(f"Not a printer: {spec!r}.\n{PRINTER_FORMS}")


def load(data_dir: str) -> dict:
    try:
        with open(os.path.join(data_dir, FILE_NAME)) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save(data_dir: str, settings: dict) -> None:
    """Write atomically, readable by the node's user only."""
    os.makedirs(data_dir, exist_ok=True)
    final = os.path.join(data_dir, FILE_NAME)
    fd = os.open(final + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(settings, f, indent=2, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(final + ".tmp", final)


def valid_pin(pin: str) -> bool:
    """A staff PIN is 4 to 12 digits: typed on a touch screen's number pad."""
    return pin.isdigit() and 4 <= len(pin) <= 12


def hash_pin(pin: str) -> str:
    """The salted hash kept instead of the PIN (werkzeug's scrypt)."""
    if not valid_pin(pin):
        raise ValueError("A staff PIN is 4 to 12 digits.")
    return generate_password_hash(pin)


def set_staff_pin(data_dir: str, pin: str) -> None:
    save(data_dir, {**load(data_dir), "staff_pin_hash": hash_pin(pin)})


def pin_matches(pin_hash: str | None, pin: str) -> bool:
    return bool(pin_hash) and check_password_hash(pin_hash, pin)


def session_secret(data_dir: str) -> bytes:
    """The key signing the kiosk's sessions, kept so a restart does not expire open pages."""
    path = os.path.join(data_dir, "session_secret")
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        pass
    os.makedirs(data_dir, exist_ok=True)
    secret = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(secret)
    return secret
