"""The camera scanner on generated QR frames (never a real camera)."""
import importlib.util
import sys

import numpy as np
import pytest
import qrcode
from PIL import Image

from onsite_node import scanner
from onsite_node.scanner import CameraUnavailable, CodeDebouncer, CodeScanner, decode_frame

ADA = "CT1-AEBGWMIA6AAZL45CDMWH2TUPMAJDIVTYTK6PCAMV6ORBWLD5J2HWBK6N54ASGRIAAMGECZDBEBGG65TFNR"
BOB = "CT1-BOBBOBBOB234567"


def camera_frame(code=ADA, *, angle=0, noise=0.0, dark=0, light=255, size=300, colour=False):
    """A 640x480 frame with the code's QR in the middle, as a camera might see it."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    symbol = qr.make_image().get_image().convert("L").resize((size, size), Image.Resampling.NEAREST)
    symbol = symbol.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    canvas = Image.new("L", (640, 480), 255)
    canvas.paste(symbol, ((640 - symbol.width) // 2, (480 - symbol.height) // 2))
    pixels = dark + np.asarray(canvas, dtype=np.float64) / 255 * (light - dark)
    pixels += np.random.default_rng(7).normal(0, noise, pixels.shape) if noise else 0
    grey = np.clip(pixels, 0, 255).astype(np.uint8)
    return np.dstack([grey] * 3) if colour else grey


def empty_frame():
    return np.full((480, 640), 200, dtype=np.uint8)


@pytest.mark.parametrize("frame", [
    pytest.param(camera_frame(), id="clean"),
    pytest.param(camera_frame(colour=True), id="colour"),
    pytest.param(camera_frame(angle=20), id="rotated-20"),
    pytest.param(camera_frame(angle=90), id="rotated-90"),
    pytest.param(camera_frame(noise=25), id="noisy"),
    pytest.param(camera_frame(dark=100, light=150), id="low-contrast"),
    pytest.param(camera_frame(dark=90, light=160, noise=10), id="dim-and-noisy"),
])
def test_a_qr_code_in_a_camera_frame_is_decoded(frame):
    assert decode_frame(frame) == [ADA]


def test_a_frame_without_a_code_decodes_to_nothing():
    assert decode_frame(empty_frame()) == []


def test_two_codes_in_one_frame_are_both_read():
    frame = np.hstack([camera_frame(ADA, size=300)[:, 170:470], camera_frame(BOB, size=200)])
    assert sorted(decode_frame(frame)) == sorted([ADA, BOB])


def test_the_opencv_fallback_decodes_a_clean_code():
    assert decode_frame(camera_frame(), decoder=scanner.OPENCV) == [ADA]


def test_without_libzbar_the_module_loads_and_uses_opencv(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyzbar", None)      # importing it now fails
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    spec = importlib.util.spec_from_file_location("scanner_without_zbar", scanner.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DEFAULT_DECODER == module.OPENCV
    assert module.decode_frame(camera_frame()) == [ADA]


class TickingClock:
    """A clock that moves on a fixed step each time it is read."""

    def __init__(self, step):
        self.now, self.step = 0.0, step

    def __call__(self):
        self.now += self.step
        return self.now


def scan(frames, *, hold_s=2.0, step=0.1):
    codes = []
    CodeScanner(frames, codes.append, hold_s=hold_s, clock=TickingClock(step)).start().join(30)
    return codes


def test_the_same_code_held_for_ten_frames_is_one_scan():
    assert scan([camera_frame()] * 10) == [ADA]


def test_two_different_codes_are_two_scans():
    assert scan([camera_frame(ADA)] * 3 + [camera_frame(BOB, size=250)] * 3) == [ADA, BOB]


def test_a_code_shown_again_after_the_hold_time_is_a_new_scan():
    frames = [camera_frame()] * 2 + [empty_frame()] * 5 + [camera_frame()]
    assert scan(frames, hold_s=0.3, step=0.1) == [ADA, ADA]


def test_a_code_kept_in_view_longer_than_the_hold_time_is_still_one_scan():
    debouncer = CodeDebouncer(hold_s=1.0, clock=TickingClock(0.5))
    assert [debouncer.new_codes([ADA]) for _ in range(6)] == [[ADA]] + [[]] * 5


def test_a_receiver_that_fails_does_not_stop_the_scanner():
    seen = []

    def receive(code):
        seen.append(code)
        raise RuntimeError("the node is busy")

    worker = CodeScanner([camera_frame(ADA), camera_frame(BOB, size=250)], receive).start()
    worker.join(30)
    assert seen == [ADA, BOB] and worker.problem is None


def test_a_camera_that_fails_is_reported_with_its_reason():
    def failing_camera():
        yield empty_frame()
        raise CameraUnavailable("The camera at /dev/video0 stopped sending images.")

    worker = CodeScanner(failing_camera(), print).start()
    worker.join(30)
    assert not worker.running
    assert worker.problem == "The camera at /dev/video0 stopped sending images."


def test_stopping_the_scanner_ends_an_endless_camera():
    def endless_camera():
        while True:
            yield empty_frame()

    worker = CodeScanner(endless_camera(), print).start()
    worker.stop(timeout=30)
    assert not worker.running and worker.problem is None
