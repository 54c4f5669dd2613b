"""The camera scanner: a worker thread that reads frames, finds QR codes, posts new ones.

`decode_frame` is the pipeline's core: greyscale, then pyzbar restricted to QR codes
(restricting it is about three times faster than all symbologies) and, when that finds
nothing, once more on a slightly blurred frame; or OpenCV's own QR detector when
libzbar is not installed. `CodeScanner` runs it over a frame source (a
USB camera through `camera_frames`, any iterable of frames in tests) and debounces a
code held in front of the camera, so one ticket is one scan.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

import cv2
import numpy as np

try:
    from pyzbar import pyzbar
    from pyzbar.pyzbar import ZBarSymbol
except ImportError:      # pyzbar is there but the libzbar0 shared library is not
    pyzbar = None

log = logging.getLogger(__name__)
ZBAR, OPENCV = "zbar", "opencv"
DEFAULT_DECODER = ZBAR if pyzbar is not None else OPENCV


class CameraUnavailable(Exception):
    """The camera cannot give frames; `reason` says why in words for the status page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_frame(frame: np.ndarray, *, decoder: str | None = None) -> list[str]:
    """The texts of the QR codes in one frame (BGR or greyscale), each once, in order."""
    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    texts = _decode_zbar(grey) if (decoder or DEFAULT_DECODER) == ZBAR else _decode_opencv(grey)
    return list(dict.fromkeys(text for text in texts if text))


def _decode_zbar(grey: np.ndarray) -> list[str]:
    if pyzbar is None:
        raise RuntimeError("pyzbar needs the libzbar0 Debian package.")
    # a 3-channel array would be read as its first channel only: always pass greyscale
    found = pyzbar.decode(grey, symbols=[ZBarSymbol.QRCODE])
    if not found:
        # sensor noise in a dim hall defeats zbar's binariser; a slight blur restores the
        # code. Only as a second try: it also erases codes whose modules are 2-3 pixels.
        found = pyzbar.decode(cv2.GaussianBlur(grey, (3, 3), 0), symbols=[ZBarSymbol.QRCODE])
    return [symbol.data.decode("utf-8", "replace") for symbol in found]


def _decode_opencv(grey: np.ndarray) -> list[str]:
    detector = cv2.QRCodeDetector()   # not thread-safe, and cheap to make
    found, texts, _, _ = detector.detectAndDecodeMulti(grey)
    return list(texts) if found else []


def camera_frames(index: int = 0, *, width: int = 640, height: int = 480) -> Iterator[np.ndarray]:
    """Frames from a USB camera (V4L2) until it fails; CameraUnavailable says why."""
    capture = cv2.VideoCapture(index, cv2.CAP_V4L2)
    if not capture.isOpened():
        raise CameraUnavailable(f"No camera at /dev/video{index}: is it plugged in?")
    capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
    capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
    capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)   # decode the newest frame, not a queued one
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                raise CameraUnavailable(f"The camera at /dev/video{index} stopped sending images.")
            yield frame
    finally:
        capture.release()


class CodeDebouncer:
    """Lets a code through once while it stays in view, and again after `hold_s` out of view."""

    def __init__(self, hold_s: float, clock: Callable[[], float]) -> None:
        self.hold_s = hold_s
        self._clock = clock
        self._last_seen: dict[str, float] = {}

    def new_codes(self, codes: Iterable[str]) -> list[str]:
        """The codes not seen within the hold time; every sighting extends the hold."""
        now, codes = self._clock(), list(codes)
        fresh = [c for c in codes if now - self._last_seen.get(c, -float("inf")) > self.hold_s]
        for code in codes:
            self._last_seen[code] = now
        self._last_seen = {c: t for c, t in self._last_seen.items() if now - t <= self.hold_s}
        return fresh


class CodeScanner:
    """A worker thread: frames in, each newly shown code out to `on_code(code)`."""

    def __init__(self, frames: Iterable[np.ndarray], on_code: Callable[[str], None], *,
                 hold_s: float = 2.0, clock: Callable[[], float] = time.monotonic,
                 decoder: str | None = None) -> None:
        self._frames = frames
        self._on_code = on_code
        self._decoder = decoder
        self._debouncer = CodeDebouncer(hold_s, clock)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.problem: str | None = None      # why the scanner stopped, for the status page

    def start(self) -> CodeScanner:
        """Start reading frames on a daemon thread."""
        self._thread = threading.Thread(target=self._run, name="code-scanner", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to finish after the current frame, and wait for it."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        """Wait until the frames run out (or the scanner is stopped)."""
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def feed(self, frame: np.ndarray) -> list[str]:
        """Decode one frame and post its new codes; return them."""
        fresh = self._debouncer.new_codes(decode_frame(frame, decoder=self._decoder))
        for code in fresh:
            try:
                self._on_code(code)
            except Exception:   # a failing receiver must not stop the camera
                log.exception("The scanned code could not be handed over")
        return fresh

    def _run(self) -> None:
        try:
            for frame in self._frames:
                if self._stopping.is_set():
                    break
                self.feed(frame)
        except CameraUnavailable as unavailable:
            self.problem = unavailable.reason
        except Exception as error:    # keep the reason for the status page, not just a log
            log.exception("The camera scanner stopped")
            self.problem = f"The camera scanner stopped: {error}"
