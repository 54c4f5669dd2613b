"""`contoso node` device options: the --printer forms, set-staff-pin, test-print."""
import json
import os

import pytest

import contoso
from onsite_node import settings
from tests.support.processes import free_port


@pytest.mark.parametrize("spec, config", [
    (None, {"kind": "folder", "path": os.path.join("D", "prints"), "paper_width_mm": 58}),
    ("folder:/srv/prints", {"kind": "folder", "path": "/srv/prints", "paper_width_mm": 58}),
    ("usb:0x0416:0x5011", {"kind": "usb", "vendor_id": "0x0416", "product_id": "0x5011",
                           "paper_width_mm": 58}),
    ("network:10.0.0.40", {"kind": "network", "host": "10.0.0.40", "port": 9100,
                           "paper_width_mm": 58}),
    ("network:10.0.0.40:9101", {"kind": "network", "host": "10.0.0.40", "port": 9101,
                                "paper_width_mm": 58}),
    ("serial:/dev/ttyUSB0:19200", {"kind": "serial", "device": "/dev/ttyUSB0",
                                   "baudrate": 19200, "paper_width_mm": 58}),
    ("file:/dev/usb/lp0", {"kind": "file", "path": "/dev/usb/lp0", "paper_width_mm": 58}),
    ("dummy", {"kind": "dummy", "paper_width_mm": 58}),
    ('{"kind": "network", "host": "p1", "paper_width_mm": 80}',
     {"kind": "network", "host": "p1", "paper_width_mm": 80}),
])
def test_printer_option_forms(spec, config):
    assert settings.parse_printer(spec, "D") == config


@pytest.mark.parametrize("spec", ["usb:0x0416", "laser:1", '{"host": "x"}', "dummy:1"])
def test_a_printer_option_that_names_no_printer_is_refused(spec):
    with pytest.raises(ValueError):
        settings.parse_printer(spec, "D")


def test_the_paper_width_option_wins():
    assert settings.parse_printer("dummy", "D", 80)["paper_width_mm"] == 80


def test_set_staff_pin_keeps_only_a_salted_hash(tmp_path, capsys):
    assert contoso.main(["node", "set-staff-pin", "--data-dir", str(tmp_path), "--pin", "4321"]) == 0
    stored = json.loads((tmp_path / "settings.json").read_text())
    assert "4321" not in json.dumps(stored)
    assert settings.pin_matches(stored["staff_pin_hash"], "4321")
    assert not settings.pin_matches(stored["staff_pin_hash"], "1234")
    assert oct((tmp_path / "settings.json").stat().st_mode & 0o777) == "0o600"
    assert contoso.main(["node", "set-staff-pin", "--data-dir", str(tmp_path), "--pin", "12"]) == 2


def test_test_print_writes_a_badge_to_the_default_folder_printer(tmp_path, capsys):
    assert contoso.main(["node", "test-print", "--data-dir", str(tmp_path)]) == 0
    [png] = (tmp_path / "prints").glob("*.png")
    assert png.name.startswith("test-") and "Test badge printed" in capsys.readouterr().out


def test_test_print_says_why_a_printer_cannot_print(tmp_path, capsys):
    port = free_port()        # nothing listens there: a printer that is switched off
    code = contoso.main(["node", "test-print", "--data-dir", str(tmp_path),
                         "--printer", f"network:127.0.0.1:{port}"])
    assert code == 1
    assert f"The printer at 127.0.0.1:{port} cannot be reached" in capsys.readouterr().err


def test_run_refuses_a_bad_printer_option(tmp_path, capsys):
    assert contoso.main(["node", "run", "--data-dir", str(tmp_path), "--printer", "laser"]) == 2
    assert "Not a printer" in capsys.readouterr().err
