"""`contoso node ... --config node.toml`: the file fills in options, the command line wins."""
import json
import os
import re
import tomllib

import pytest

import contoso
from onsite_node import cli as node_cli
from onsite_node import config_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE = os.path.join(ROOT, "deploy", "raspberrypi", "node.toml")


@pytest.fixture
def seen(monkeypatch):
    """The options `contoso node run` would start with (the node itself is not started)."""
    captured = {}

    def fake_run_node(args):
        captured.update(vars(args))
        return 0
    monkeypatch.setattr(node_cli, "run_node", fake_run_node)
    return captured


def write(tmp_path, text) -> str:
    path = tmp_path / "node.toml"
    path.write_text(text)
    return str(path)


def test_the_file_fills_in_what_the_command_line_leaves_out(tmp_path, seen):
    path = write(tmp_path, """
[node]
data_dir = "/srv/node"
port = 8200
[hub]
url = "http://hub.example:8000"
discovery = false
[sync]
interval_s = 2
peers = ["http://10.0.0.2:8100"]
[checkin]
reentry = true
[camera]
index = 1
[staff]
secure_cookies = true
[printer]
kind = "usb"
vendor_id = 0x0416
product_id = 0x5011
paper_width_mm = 80
""")
    assert contoso.main(["node", "run", "--config", path]) == 0
    assert seen["data_dir"] == "/srv/node" and seen["port"] == 8200
    assert seen["hub"] == "http://hub.example:8000" and seen["no_discovery"] is True
    assert seen["sync_interval"] == 2.0 and seen["peer"] == ["http://10.0.0.2:8100"]
    assert seen["reentry"] is True and seen["camera"] == 1
    assert seen["secure_cookies"] is True
    assert json.loads(seen["printer"]) == {"kind": "usb", "vendor_id": 0x0416,
                                           "product_id": 0x5011, "paper_width_mm": 80}
    assert seen["host"] == "127.0.0.1" and seen["max_backoff"] == 300.0   # not in the file


def test_options_typed_on_the_command_line_win_over_the_file(tmp_path, seen):
    path = write(tmp_path, '[node]\nport = 8200\nhost = "0.0.0.0"\n[sync]\npeers = ["http://a"]\n')
    assert contoso.main(["node", "run", "--port", "8100", "--config", path,
                         "--peer", "http://b"]) == 0
    assert seen["port"] == 8100 and seen["host"] == "0.0.0.0" and seen["peer"] == ["http://b"]


def test_without_a_config_file_the_defaults_are_unchanged(seen):
    assert contoso.main(["node", "run"]) == 0
    assert seen["port"] == 8100 and seen["data_dir"] == "data/node" and seen["peer"] == []
    assert seen["printer"] is None and seen["no_discovery"] is False


@pytest.mark.parametrize("text, message", [
    ("[node]\nprot = 8100\n", "unknown setting [node] prot"),
    ("[node]\nport = \"8100\"\n", "[node] port must be a whole number"),
    ("[checkin]\nreentry = 1\n", "[checkin] reentry must be true or false"),
    ("[sync]\npeers = [1]\n", "[sync] peers must be a list of strings"),
    ("[printer]\nhost = \"p\"\n", "[printer] needs a kind"),
    ("[kiosk]\nfullscreen = true\n", "unknown setting [kiosk] fullscreen"),
    ("port = 8100\n", "'port' must be a [table]"),
    ("[node\n", "is not valid TOML"),
])
def test_a_wrong_setting_is_refused_with_what_is_wrong(tmp_path, seen, capsys, text, message):
    assert contoso.main(["node", "run", "--config", write(tmp_path, text)]) == 2
    assert message in capsys.readouterr().err
    assert seen == {}


def test_a_missing_file_is_refused(tmp_path, capsys):
    assert contoso.main(["node", "run", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "Cannot read the config file" in capsys.readouterr().err


def test_test_print_prints_on_the_configured_printer(tmp_path, capsys):
    prints = tmp_path / "prints"
    path = write(tmp_path, f'[node]\ndata_dir = "{tmp_path}/node"\n'
                           f'[printer]\nkind = "folder"\npath = "{prints}"\n')
    assert contoso.main(["node", "test-print", "--config", path]) == 0
    assert any(name.endswith(".png") for name in os.listdir(prints))
    assert str(prints) in capsys.readouterr().out


def test_the_installed_example_is_valid_and_documents_every_setting():
    text = open(TEMPLATE).read()
    values = config_file.options(tomllib.loads(text))
    assert json.loads(values["printer"])["kind"] == "folder"
    assert values["data_dir"] == "@DATA_DIR@/node"
    for (table, key) in config_file.SETTINGS:
        section = text.split(f"[{table}]", 1)[1].split("\n[", 1)[0]
        assert re.search(rf"^#? ?{key} = ", section, re.M), f"[{table}] {key} is not documented"


@pytest.mark.parametrize("text, url", [
    ("", "http://127.0.0.1:8100/kiosk"),
    ("[node]\nport = 8200\n", "http://127.0.0.1:8200/kiosk"),
    ("[kiosk]\nurl = \"http://127.0.0.1:8100/kiosk?door=A\"\n", "http://127.0.0.1:8100/kiosk?door=A"),
    ("[kiosk]\nenabled = false\n", None),
])
def test_the_kiosk_launcher_opens_the_configured_page(tmp_path, text, url):
    assert config_file.kiosk_url(write(tmp_path, text)) == url
