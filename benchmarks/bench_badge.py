"""Figure `badge`: render a badge and encode it as ESC/POS, against the printer's own speed.

The baseline is the time a 200 mm/s thermal printer needs to print that badge (its
height in dots / 8 dots per mm / 200 mm/s): the physical limit of the queue at the door.
A ratio below 1 means the node prepares badges faster than the printer can print them.
Names vary per badge, as at a real door. `QUICK=1` runs fewer badges. Prints one JSON line.
"""
from __future__ import annotations

import json
import os
import time

from printers.badge import BadgeContent, render_badge, width_for_paper
from printers.output import encode_job
from shared_domain.tickets import TicketPayload, issue_ticket, keypair_from_seed

PRINT_SPEED_MM_S = 200
DOTS_PER_MM = 8          # 203 dpi
NAMES = ["Ada Lovelace", "Grace Hopper", "Zoë Ñúñez-Çelik", "山田 太郎", "Дмитрий Шостакович",
         "Maria Magdalena Fernández de la Cruz", "Ζωή Παπαδοπούλου", "Alan Turing"]


def badge_content(index: int) -> BadgeContent:
    keys = keypair_from_seed(bytes(32))
    name = NAMES[index % len(NAMES)]
    payload = TicketPayload("0195f3a2-1b2c-7d4e-8f60-123456789abc",
                            f"0195f3a2-1b2c-7d4e-8f60-abcdef0123{index % 100:02d}:{index}",
                            name, ("Full conference", "Workshop"), index.to_bytes(8, "big"))
    code = issue_ticket(payload, keys.private_key, "2026a")
    return BadgeContent.from_ticket(payload, code, "Contoso Developer Conference 2026",
                                    company="Contoso Ltd")


def print_time_ms(height_dots: int) -> float:
    """How long the printer takes to feed a badge of this height past its head."""
    return height_dots / DOTS_PER_MM / PRINT_SPEED_MM_S * 1000


def main(paper_width_mm: int = 58) -> None:
    count = 8 if os.environ.get("QUICK") == "1" else 80
    width = width_for_paper(paper_width_mm)
    contents = [badge_content(i) for i in range(count)]
    encode_job(render_badge(contents[0], width), paper_width_mm=paper_width_mm)  # load fonts
    heights, sizes, started = [], [], time.perf_counter()
    for content in contents:
        image = render_badge(content, width)
        sizes.append(len(encode_job(image, paper_width_mm=paper_width_mm)))
        heights.append(image.height)
    value = (time.perf_counter() - started) * 1000 / count
    baseline = print_time_ms(sum(heights) / count)
    print(json.dumps({
        "name": "badge", "value": round(value, 2), "unit": "ms", "baseline": round(baseline, 1),
        "ratio": round(value / baseline, 3), "paper_mm": paper_width_mm, "width_dots": width,
        "height_dots": round(sum(heights) / count), "escpos_bytes": round(sum(sizes) / count),
        "badges": count,
    }))


if __name__ == "__main__":
    main()
