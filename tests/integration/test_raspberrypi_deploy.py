"""deploy/raspberrypi/: shellcheck, systemd-analyze verify, and install.sh into a scratch root.

shellcheck and systemd-analyze come from Debian packages (`make test` installs them as root);
without them these tests skip, except with CI=true, where a missing tool is a failure."""
import os
import platform
import re
import shutil
import stat
import subprocess

import pytest

from onsite_node import config_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEPLOY = os.path.join(ROOT, "deploy", "raspberrypi")
SCRIPTS = ["install.sh", "contoso-kiosk.sh"]


def tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is needed in CI (make test installs it as root)")
    pytest.skip(f"{name} is not installed")


def install(scratch, **extra):
    env = {**os.environ, "CONTOSO_ROOT": str(scratch), "CONTOSO_ALLOW_ARCH": "1",
           "CONTOSO_SKIP_PIP": "1", "CONTOSO_DESKTOP_USER": "kiosk",
           "CONTOSO_DESKTOP_HOME": "/home/kiosk", **extra}
    return subprocess.run(["bash", os.path.join(DEPLOY, "install.sh")], env=env,
                          capture_output=True, text=True, timeout=120)


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp("pi")
    done = install(root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_pass_shellcheck(script):
    done = subprocess.run([tool("shellcheck"), "--severity=style", os.path.join(DEPLOY, script)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_install_lands_every_file_with_its_mode(scratch):
    expected = {
        "var/lib/contoso": 0o700,
        "var/lib/contoso/cache": 0o700,
        "etc/contoso/node.toml": 0o644,
        "etc/systemd/system/contoso-node.service": 0o644,
        "etc/systemd/journald.conf.d/contoso-volatile.conf": 0o644,
        "etc/udev/rules.d/60-contoso-escpos.rules": 0o644,
        "etc/modules-load.d/contoso.conf": 0o644,
        "opt/contoso/bin/contoso-kiosk": 0o755,
        "home/kiosk/.config/labwc/autostart": 0o644,
    }
    for path, wanted in expected.items():
        assert mode(scratch / path) == wanted, path
    assert os.path.islink(scratch / "usr/local/bin/contoso")
    assert os.path.exists(scratch / "opt/contoso/venv/bin/python")


def test_install_changes_nothing_outside_the_scratch_root(scratch, tmp_path):
    """System commands on PATH are stand-ins that log their call: none may be called."""
    calls = tmp_path / "calls.log"
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for command in ("apt-get", "useradd", "usermod", "chown", "udevadm", "systemctl"):
        (stubs / command).write_text(f'#!/bin/sh\necho "{command} $*" >> "{calls}"\n')
        (stubs / command).chmod(0o755)
    done = install(scratch, PATH=f"{stubs}:{os.environ['PATH']}")
    assert done.returncode == 0, done.stderr
    assert not calls.exists(), calls.read_text()
    assert "(scratch root, not run) systemctl enable contoso-node.service" in done.stdout


def test_the_installed_config_is_read_by_the_node(scratch):
    values = config_file.load(str(scratch / "etc/contoso/node.toml"))
    assert values["data_dir"] == f"{scratch}/var/lib/contoso/node"
    for path in ("etc/systemd/system/contoso-node.service", "opt/contoso/bin/contoso-kiosk",
                 "etc/contoso/node.toml"):
        assert not re.search(r"@[A-Z_]+@", (scratch / path).read_text()), path


def test_rerunning_keeps_the_edited_config_and_the_data_and_adds_no_second_kiosk(scratch):
    config = scratch / "etc/contoso/node.toml"
    config.write_text(config.read_text().replace("port = 8100", "port = 8123"))
    facts = scratch / "var/lib/contoso/node/node.sqlite3"
    facts.parent.mkdir(exist_ok=True)
    facts.write_bytes(b"check-ins")
    unit = scratch / "etc/systemd/system/contoso-node.service"
    unit.write_text("stale")
    done = install(scratch)
    assert done.returncode == 0, done.stderr
    assert "port = 8123" in config.read_text()
    assert facts.read_bytes() == b"check-ins"
    assert unit.read_text() != "stale"                  # units are upgraded in place
    autostart = (scratch / "home/kiosk/.config/labwc/autostart").read_text()
    assert autostart.count("contoso-kiosk") == 1


def test_the_node_unit_passes_systemd_analyze_verify(scratch):
    unit = scratch / "etc/systemd/system/contoso-node.service"
    done = subprocess.run([tool("systemd-analyze"), "verify", str(unit)],
                          capture_output=True, text=True, timeout=60)
    # verify exits 0 on an unknown key or a bad value too; it only says so: nothing may be said.
    said = [line for line in (done.stdout + done.stderr).splitlines() if "contoso" in line]
    assert done.returncode == 0 and not said, said


def test_the_unit_is_hardened_yet_reaches_printers_and_cameras(scratch):
    unit = (scratch / "etc/systemd/system/contoso-node.service").read_text()
    for line in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                 "PrivateTmp=yes", "Restart=on-failure", "DevicePolicy=closed",
                 f"ReadWritePaths={scratch}/var/lib/contoso",
                 "SupplementaryGroups=lp dialout video",
                 "DeviceAllow=char-usb_device rw", "DeviceAllow=char-usb rw",
                 "DeviceAllow=char-ttyUSB rw", "DeviceAllow=char-video4linux rw"):
        assert f"\n{line}\n" in unit, line
    assert "PrivateDevices" not in unit                 # it would hide /dev/bus/usb


def test_udev_rules_give_group_lp_the_usual_escpos_printers():
    lines = [line for line in open(os.path.join(DEPLOY, "60-contoso-escpos.rules"))
             if line.strip() and not line.startswith("#")]
    for vendor in ("04b8", "0416", "0483", "0fe6", "28e9", "1fc9", "154f", "0dd4"):
        assert any(f'ATTRS{{idVendor}}=="{vendor}"' in line for line in lines), vendor
    assert all('GROUP="lp", MODE="0660"' in line for line in lines)
    assert 'SUBSYSTEM=="usbmisc", KERNEL=="lp[0-9]*", GROUP="lp", MODE="0660"\n' in lines


@pytest.mark.skipif(platform.machine() == "aarch64", reason="this machine is 64-bit ARM")
def test_install_refuses_anything_but_64_bit_arm(tmp_path):
    done = install(tmp_path, CONTOSO_ALLOW_ARCH="")
    assert done.returncode == 1 and "64-bit Raspberry Pi OS" in done.stderr
    assert not os.path.exists(tmp_path / "etc")
