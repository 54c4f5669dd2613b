"""Figure `decode`: QR decodes per second through the scanner pipeline, against bare pyzbar.

Both loops read the same 640x480 frames (clean, rotated, noisy, low contrast), each
holding one ticket code that every loop can read, so both do the same work. Ours starts
from the camera's BGR frame (greyscale conversion included, as on the node); the
baseline is a bare `pyzbar.decode(grey)` (all symbologies, its default) on the
already-grey frames; `baseline_qr_only` adds `symbols=[QRCODE]` to the bare call.
`QUICK=1` runs fewer rounds. Prints one JSON line.
"""
from __future__ import annotations

import json
import os
import time

import cv2
import numpy as np
import qrcode
from PIL import Image
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from onsite_node.scanner import decode_frame
from shared_domain.tickets import TicketPayload, issue_ticket, keypair_from_seed

VARIANTS = [  # (angle, noise, darkest, lightest, QR size in pixels)
    (0, 0, 0, 255, 300), (20, 0, 0, 255, 260), (90, 0, 0, 255, 220), (0, 20, 0, 255, 300),
    (0, 0, 100, 150, 280), (45, 10, 30, 220, 240), (0, 0, 0, 255, 180), (10, 10, 40, 220, 320),
]


def ticket_code(index: int) -> str:
    keys = keypair_from_seed(bytes(32))
    payload = TicketPayload("0195f3a2-1b2c-7d4e-8f60-123456789abc",
                            f"0195f3a2-1b2c-7d4e-8f60-abcdef0123{index:02d}:{index}",
                            f"Attendee Number {index}", ("Full conference",), bytes([index]) * 8)
    return issue_ticket(payload, keys.private_key, "2026a")


def camera_frame(code: str, angle: int, noise: float, dark: int, light: int, size: int,
                 seed: int) -> np.ndarray:
    """A BGR 640x480 frame with the code's QR somewhere near the middle."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    symbol = qr.make_image().get_image().convert("L").resize((size, size), Image.Resampling.NEAREST)
    symbol = symbol.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    canvas = Image.new("L", (640, 480), 255)
    canvas.paste(symbol, ((640 - symbol.width) // 2 + seed * 7 - 20, (480 - symbol.height) // 2))
    pixels = dark + np.asarray(canvas, dtype=np.float64) / 255 * (light - dark)
    pixels += np.random.default_rng(seed).normal(0, noise, pixels.shape) if noise else 0
    return cv2.cvtColor(np.clip(pixels, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)


def timed(decode, frames, rounds: int) -> tuple[float, int]:
    """Seconds spent and codes found decoding every frame `rounds` times."""
    found, started = 0, time.perf_counter()
    for _ in range(rounds):
        for frame in frames:
            found += len(decode(frame))
    return time.perf_counter() - started, found


def main() -> None:
    rounds = 3 if os.environ.get("QUICK") == "1" else 25
    frames = [camera_frame(ticket_code(i), *variant, seed=i) for i, variant in enumerate(VARIANTS)]
    greys = [cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) for frame in frames]
    pipelines = {
        "ours": (decode_frame, frames),
        "bare": (pyzbar.decode, greys),
        "bare_qr_only": (lambda g: pyzbar.decode(g, symbols=[ZBarSymbol.QRCODE]), greys),
    }
    totals = {name: [0.0, 0] for name in pipelines}
    for _ in range(rounds):   # interleaved, so drift in the machine's speed hits all alike
        for name, (decode, inputs) in pipelines.items():
            seconds, found = timed(decode, inputs, 1)
            totals[name][0] += seconds
            totals[name][1] += found
    rate = {name: found / seconds for name, (seconds, found) in totals.items()}
    print(json.dumps({
        "name": "decode", "value": round(rate["ours"], 1), "unit": "decodes/s",
        "baseline": round(rate["bare"], 1), "ratio": round(rate["bare"] / rate["ours"], 3),
        "baseline_qr_only": round(rate["bare_qr_only"], 1),
        "frames": len(frames) * rounds, "found": totals["ours"][1],
        "baseline_found": totals["bare"][1], "frame_size": "640x480",
    }))


if __name__ == "__main__":
    main()
