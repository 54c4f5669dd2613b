"""A ticket code as an inline SVG QR code: sharp at any size, scannable from the screen."""
from __future__ import annotations

import qrcode
from markupsafe import Markup


def qr_svg(code: str, label: str = "Ticket QR code") -> Markup:
    """One SVG path of the dark modules, quiet zone included (what a scanner needs)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(code)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    path = "".join(f"M{x} {y}h{run}v1h-{run}z" for y, row in enumerate(matrix)
                   for x, run in dark_runs(row))
    size = len(matrix)
    return Markup(
        '<svg class="ticket-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" '
        'role="img" aria-label="{1}" shape-rendering="crispEdges">'
        '<rect width="{0}" height="{0}" fill="#fff"/><path d="{2}" fill="#000"/></svg>'
    ).format(size, label, path)


def dark_runs(row: list[bool]):
    """(start, length) of each run of dark modules in a row: a short path, the same picture."""
    start = None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            yield start, x - start
            start = None
