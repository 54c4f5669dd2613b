"""The fonts of ticket documents: DejaVu for Latin, Greek and Cyrillic, WenQuanYi Micro Hei
for Chinese, Japanese and Korean (Debian's fonts-dejavu-core and fonts-wqy-microhei, which
`make system-packages` installs), chosen character by character.

The PDF and the PNG measure text with the same metrics (read here with fontTools) and draw
the same runs at the same places, so both show the same lines. The hub may not import
printers/, so this is the hub's own small copy of the badge's font choice."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/wqy"),
             Path("/usr/share/fonts/opentype/noto"))
REGULAR = ("DejaVuSans.ttf", "wqy-microhei.ttc", "NotoSansCJK-Regular.ttc")
BOLD = ("DejaVuSans-Bold.ttf", "wqy-microhei.ttc", "NotoSansCJK-Bold.ttc")
POINT_MM = 25.4 / 72
# With no font installed at all: a plain width per character, and the renderers' own fonts.
PLAIN_ADVANCE = 0.6


@dataclass(frozen=True, eq=False)     # one per file (cached): compared and hashed by identity
class Face:
    """One font file (a collection's first face) and what the layout needs of it."""
    path: str
    advances: dict[int, float]    # code point -> advance in em

    def has(self, char: str) -> bool:
        return ord(char) in self.advances


@lru_cache(maxsize=8)
def _face(path: str) -> Face:
    font = TTFont(path, fontNumber=0, lazy=True)
    em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    advances = {code: metrics[glyph][0] / em for code, glyph in font.getBestCmap().items()
                if glyph in metrics}
    font.close()
    return Face(path, advances)


@lru_cache(maxsize=2)
def faces(bold: bool) -> tuple[Face, ...]:
    """The installed faces, tried in this order for each character; () when none is."""
    names = BOLD if bold else REGULAR
    paths = [folder / name for name in names for folder in FONT_DIRS if (folder / name).exists()]
    return tuple(_face(str(path)) for path in paths)


def printable(text: str) -> str:
    """Text as a ticket shows it: one line, no control or format characters."""
    kept = "".join(" " if c.isspace() else c for c in text
                   if c.isspace() or not unicodedata.category(c).startswith("C"))
    return " ".join(kept.split())


def runs(text: str, bold: bool) -> list[tuple[Face | None, str]]:
    """Text cut into runs, each drawn by one face (None: no font installed)."""
    chain = faces(bold)
    out: list[tuple[Face | None, str]] = []
    for char in text:
        face = _face_of(char, chain)
        if out and out[-1][0] is face:
            out[-1] = (face, out[-1][1] + char)
        else:
            out.append((face, char))
    return out


def _face_of(char: str, chain: tuple[Face, ...]) -> Face | None:
    if not chain:
        return None
    if char.isspace():
        return chain[0]
    return next((face for face in chain if face.has(char)), chain[0])   # none: a box


def width_mm(text: str, size_pt: float, bold: bool) -> float:
    """How wide the text is drawn at this size."""
    em = 0.0
    for face, run in runs(text, bold):
        em += sum(face.advances.get(ord(c), 0.5) for c in run) if face else \
            PLAIN_ADVANCE * len(run)
    return em * size_pt * POINT_MM
