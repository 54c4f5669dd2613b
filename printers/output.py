"""Printing badges and receipts: the BadgePrinter port and its adapters.

`printer_from_config` builds one from the node's config::

    {"kind": "usb", "vendor_id": "0x0416", "product_id": "0x5011", "paper_width_mm": 58}
    {"kind": "network", "host": "10.0.0.40", "port": 9100}
    {"kind": "serial", "device": "/dev/ttyUSB0", "baudrate": 9600}
    {"kind": "file", "path": "/dev/usb/lp0"}          # python-escpos File: a device node
    {"kind": "folder", "path": "data/prints"}          # FilePrinter, the embedded default
    {"kind": "dummy"}                                  # DummyPrinter, in memory (tests)

Optional keys: "profile" (a python-escpos printer profile; default NT-5890K for 58 mm,
TM-T20II for 80 mm), "timeout_s" (default 5), "cut" (default true), "in_ep" and
"out_ep" (USB endpoints), "check_paper" (ask the printer for its paper sensor).
A device that is off, unplugged or out of paper raises PrinterUnavailable with a
sentence for the UI; the print queue waits and retries.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PIL import Image

from printers.badge import width_for_paper

PROFILES = {58: "NT-5890K", 80: "TM-T20II"}   # 384 and 576 dots; no generic profile exists
BAND_DOTS = 128          # cheap printers garble tall raster images: send them in bands
DEFAULT_TIMEOUT_S = 5
_JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


class PrinterUnavailable(Exception):
    """The printer cannot take a job now; `reason` says why in words for the UI."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PrinterStatus:
    ready: bool
    reason: str = "Ready"


class BadgePrinter(Protocol):
    def print_image(self, image: Image.Image, *, job_id: str) -> None: ...

    def status(self) -> PrinterStatus: ...


def escpos_module():
    """Import python-escpos, its capabilities cache pointed at one fixed folder first."""
    folder = os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR",
                                   str(Path(tempfile.gettempdir()) / "contoso-escpos-cache"))
    Path(folder).mkdir(parents=True, exist_ok=True)  # else escpos makes a new temp dir per import
    import escpos.exceptions
    import escpos.printer
    return escpos


def write_job(device: Any, image: Image.Image, *, cut: bool = True) -> None:
    """Send one image job to a python-escpos printer: init, raster bands, cut."""
    dots = int(device.profile.profile_data["media"]["width"]["pixels"])
    if image.width > dots:
        raise ValueError(f"A {image.width}-dot image is wider than the paper ({dots} dots).")
    device.hw("INIT")
    device.image(image, impl="bitImageRaster", fragment_height=BAND_DOTS,
                 center=image.width < dots)
    if cut:
        device.cut()    # a profile without a cutter only feeds the paper out to tear


def encode_job(image: Image.Image, *, paper_width_mm: int = 58, profile: str | None = None,
               cut: bool = True) -> bytes:
    """The ESC/POS bytes of one job, as a printer of that width would receive them."""
    device = escpos_module().printer.Dummy(profile=profile or profile_for(paper_width_mm))
    write_job(device, image, cut=cut)
    return device.output


def profile_for(paper_width_mm: int) -> str:
    """The python-escpos profile for 58 or 80 mm paper."""
    width_for_paper(paper_width_mm)
    return PROFILES[paper_width_mm]


class EscposPrinter:
    """A real ESC/POS printer on USB, the network, a serial line or a device file."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        if config["kind"] not in ("usb", "network", "serial", "file"):
            raise ValueError(f"Unknown ESC/POS printer kind {config['kind']!r}.")
        self.config = dict(config)
        self.paper_width_mm = int(config.get("paper_width_mm", 58))
        self.profile = config.get("profile") or profile_for(self.paper_width_mm)
        self.timeout_s = float(config.get("timeout_s", DEFAULT_TIMEOUT_S))

    def print_image(self, image: Image.Image, *, job_id: str) -> None:
        """Print one job now or raise PrinterUnavailable; the job id is for the caller's log."""
        self._with_device(lambda device: write_job(device, image, cut=self.config.get("cut", True)))

    def status(self) -> PrinterStatus:
        """Ready when the device opens (and, if asked, its paper sensor is not empty)."""
        try:
            paper = self._with_device(self._paper_status)
        except PrinterUnavailable as unavailable:
            return PrinterStatus(False, unavailable.reason)
        if paper == 0:
            return PrinterStatus(False, "The printer is out of paper.")
        return PrinterStatus(True, "Paper is running low." if paper == 1 else "Ready")

    def _paper_status(self, device: Any) -> int | None:
        if not self.config.get("check_paper"):
            return None
        try:
            return device.paper_status()
        except (OSError, NotImplementedError):  # many cheap printers never answer
            return None

    def _with_device(self, use):
        escpos = escpos_module()
        failures = (escpos.exceptions.DeviceNotFoundError, OSError, ValueError, RuntimeError)
        device = None
        try:
            device = self._build(escpos.printer)
            device.open()
            return use(device)
        except failures as error:
            raise PrinterUnavailable(self._explain(error)) from error
        finally:
            if device is not None:
                _close_quietly(device)

    def _build(self, printer: Any) -> Any:
        c, kind = self.config, self.config["kind"]
        if kind == "usb":
            return printer.Usb(_number(c["vendor_id"]), _number(c["product_id"]),
                               timeout=int(self.timeout_s * 1000),    # pyusb counts ms
                               in_ep=_number(c.get("in_ep", 0x82)),
                               out_ep=_number(c.get("out_ep", 0x01)), profile=self.profile)
        if kind == "network":
            return printer.Network(c["host"], port=int(c.get("port", 9100)),
                                   timeout=self.timeout_s, profile=self.profile)
        if kind == "serial":
            return printer.Serial(c["device"], baudrate=int(c.get("baudrate", 9600)),
                                  timeout=self.timeout_s, profile=self.profile)
        return printer.File(c["path"], profile=self.profile)

    def _explain(self, error: Exception) -> str:
        if type(error).__name__ == "NoBackendError":
            return "USB printing needs libusb: install the Debian package libusb-1.0-0."
        text = str(getattr(error, "msg", "") or error)    # escpos wraps msg in "Device not found (...)"
        cause = (text.strip().splitlines() or [type(error).__name__])[-1]
        cause = re.sub(r"\[Errno -?\d+\]\s*", "", cause).rstrip(".")
        return (f"{self.describe()} cannot be reached: {cause}. Check that it is switched on, "
                "connected and has paper.")

    def describe(self) -> str:
        """Where the printer is, in words."""
        c, kind = self.config, self.config["kind"]
        if kind == "usb":
            return f"The USB printer {_number(c['vendor_id']):04x}:{_number(c['product_id']):04x}"
        if kind == "network":
            return f"The printer at {c['host']}:{c.get('port', 9100)}"
        if kind == "serial":
            return f"The serial printer on {c['device']}"
        return f"The printer device {c['path']}"


class FilePrinter:
    """The embedded default: each job's ESC/POS bytes and a PNG preview, in a folder."""

    def __init__(self, folder: str | os.PathLike, *, paper_width_mm: int = 58,
                 profile: str | None = None) -> None:
        self.folder = Path(folder)
        self.paper_width_mm = paper_width_mm
        self.profile = profile

    def print_image(self, image: Image.Image, *, job_id: str) -> None:
        """Write <job_id>.png then <job_id>.bin; reprinting a job id replaces its files."""
        name = _job_name(job_id)
        data = encode_job(image, paper_width_mm=self.paper_width_mm, profile=self.profile)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _replace_file(self.folder / f"{name}.png", lambda f: image.save(f, "PNG"))
            _replace_file(self.folder / f"{name}.bin", lambda f: f.write(data))
        except OSError as error:
            raise PrinterUnavailable(f"Cannot write print jobs to {self.folder}: "
                                     f"{error.strerror or error}.") from error

    def status(self) -> PrinterStatus:
        """Ready when the folder exists (or can be made) and is writable."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return PrinterStatus(False, f"Cannot create {self.folder}: {error.strerror}.")
        if not os.access(self.folder, os.W_OK):
            return PrinterStatus(False, f"Cannot write print jobs to {self.folder}.")
        return PrinterStatus(True)


class DummyPrinter:
    """Keeps each job's ESC/POS bytes in memory; can be switched off to test retries."""

    def __init__(self, *, paper_width_mm: int = 58, profile: str | None = None) -> None:
        self.paper_width_mm = paper_width_mm
        self.profile = profile
        self.jobs: dict[str, bytes] = {}
        self.images: dict[str, Image.Image] = {}
        self.unavailable_reason: str | None = None   # set it to play an unplugged printer

    def print_image(self, image: Image.Image, *, job_id: str) -> None:
        """Keep the job's bytes and image, or refuse while switched off."""
        if self.unavailable_reason:
            raise PrinterUnavailable(self.unavailable_reason)
        self.jobs[job_id] = encode_job(image, paper_width_mm=self.paper_width_mm,
                                       profile=self.profile)
        self.images[job_id] = image

    def status(self) -> PrinterStatus:
        """Ready unless switched off."""
        if self.unavailable_reason:
            return PrinterStatus(False, self.unavailable_reason)
        return PrinterStatus(True)

    @property
    def output(self) -> bytes:
        """Every job's bytes, in the order they were printed."""
        return b"".join(self.jobs.values())


def printer_from_config(config: Mapping[str, Any]) -> BadgePrinter:
    """Build the printer a node's config names (see the module docstring)."""
    kind = config.get("kind", "folder")
    width = int(config.get("paper_width_mm", 58))
    if kind == "folder":
        return FilePrinter(config["path"], paper_width_mm=width, profile=config.get("profile"))
    if kind == "dummy":
        return DummyPrinter(paper_width_mm=width, profile=config.get("profile"))
    return EscposPrinter(config)


def _number(value: int | str) -> int:
    return value if isinstance(value, int) else int(value, 0)   # "0x04b8" or "1208"


def _job_name(job_id: str) -> str:
    if not _JOB_ID.fullmatch(job_id):
        raise ValueError(f"A job id is letters, digits, '.', '_' or '-', not {job_id!r}.")
    return job_id


def _replace_file(path: Path, write) -> None:
    """Write beside the file, then rename: a reader never sees half a job."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as file:
        write(file)
    os.replace(partial, path)


def _close_quietly(device: Any) -> None:
    try:
        device.close()
    except Exception:   # closing a device that vanished must not hide why it failed
        pass
