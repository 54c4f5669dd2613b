"""The dashboard's chart of check-ins per five minutes, drawn here as SVG (no script, no CDN)."""
from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 12, 28


def check_in_chart(timeline: dict) -> Markup:
    """Bars of entries per bucket, with the hour marks and the tallest bar's value."""
    counts = timeline["counts"]
    start = dt.datetime.fromisoformat(timeline["start"])
    step = dt.timedelta(minutes=timeline["bucket_minutes"])
    top = max(max(counts, default=0), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar_w = plot_w / max(len(counts), 1)
    parts = [_axes(plot_w, plot_h, top)]
    for i, count in enumerate(counts):
        at = start + i * step
        h = plot_h * count / top
        x = LEFT + i * bar_w
        parts.append(
            f'<rect class="bar" x="{x + 1:.1f}" y="{TOP + plot_h - h:.1f}" '
            f'width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}">'
            f'<title>{at:%H:%M}: {count} check-in{"" if count == 1 else "s"}</title></rect>')
        if at.minute == 0 or i == 0:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 8}">{at:%H:%M}</text>')
    total = sum(counts)
    label = escape(f"Check-ins per {timeline['bucket_minutes']} minutes since "
                   f"{start:%H:%M} UTC: {total} in all")
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
                  f'aria-label="{label}">{"".join(parts)}</svg>')


def _axes(plot_w: float, plot_h: float, top: int) -> str:
    base = TOP + plot_h
    return (f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}"/>'
            f'<line class="grid" x1="{LEFT}" y1="{TOP}" x2="{LEFT + plot_w}" y2="{TOP}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top}</text>'
            f'<text class="tick" x="{LEFT - 6}" y="{base}" text-anchor="end">0</text>')
