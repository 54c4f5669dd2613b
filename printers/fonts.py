"""Fonts for badges and receipts: DejaVu first, a CJK font for what it lacks, Pillow's own last.

Debian's `fonts-dejavu-core` covers Latin, Greek, Cyrillic, Arabic and Hebrew;
`fonts-wqy-microhei` (5 MB) covers Chinese, Japanese kana and Korean hangul. A name mixing scripts is drawn in runs, each run
in the first font that has its characters, so no attendee sees boxes for their name.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/wqy"),
    Path("/usr/share/fonts/opentype/noto"),     # fonts-noto-cjk, if someone installed it
)
REGULAR_FILES = ("DejaVuSans.ttf", "wqy-microhei.ttc", "NotoSansCJK-Regular.ttc")
BOLD_FILES = ("DejaVuSans-Bold.ttf", "wqy-microhei.ttc", "NotoSansCJK-Bold.ttc")
_MISSING = "\uffff"  # a non-character: every font draws its "missing glyph" box for it


class FontChain:
    """Fonts tried in order for each character, so one line can mix scripts."""

    def __init__(self, fonts: tuple[ImageFont.FreeTypeFont, ...]) -> None:
        self.fonts = fonts
        self.ascent, self.descent = fonts[0].getmetrics()
        self._notdef = [_glyph_key(font, _MISSING) for font in fonts]
        self._choice: dict[str, int] = {}

    @property
    def line_height(self) -> int:
        return self.ascent + self.descent

    def runs(self, text: str) -> list[tuple[ImageFont.FreeTypeFont, str]]:
        """Split text into (font, run) pairs, each run drawn by one font."""
        runs: list[tuple[int, str]] = []
        for char in text:
            index = self._font_index(char)
            if runs and runs[-1][0] == index:
                runs[-1] = (index, runs[-1][1] + char)
            else:
                runs.append((index, char))
        return [(self.fonts[index], run) for index, run in runs]

    def length(self, text: str) -> float:
        """Width of text in dots."""
        return sum(font.getlength(run) for font, run in self.runs(text))

    def draw(self, draw: ImageDraw.ImageDraw, left: float, baseline: float, text: str,
             fill: int) -> None:
        """Draw text with its left end at `left` and its baseline at `baseline`."""
        for font, run in self.runs(text):
            draw.text((left, baseline), run, font=font, fill=fill, anchor="ls")
            left += font.getlength(run)

    def _font_index(self, char: str) -> int:
        if char.isspace() or len(self.fonts) == 1:
            return 0
        if char not in self._choice:
            found = (i for i, font in enumerate(self.fonts)
                     if _glyph_key(font, char) != self._notdef[i])
            self._choice[char] = next(found, 0)
        return self._choice[char]


def _glyph_key(font: ImageFont.FreeTypeFont, char: str) -> tuple:
    mask = font.getmask(char)
    return mask.size, bytes(mask)


@lru_cache(maxsize=128)
def font_chain(size: int, bold: bool = False, font_dirs: tuple[Path, ...] = FONT_DIRS) -> FontChain:
    """The chain of installed fonts at a size; Pillow's built-in font when none is found."""
    files = BOLD_FILES if bold else REGULAR_FILES
    paths = [folder / name for name in files for folder in font_dirs if (folder / name).exists()]
    fonts = tuple(ImageFont.truetype(str(path), size) for path in paths)
    return FontChain(fonts or (ImageFont.load_default(size=size),))


def wrap_words(text: str, chain: FontChain, width: float) -> list[str] | None:
    """Break text at spaces into lines no wider than width; None if one word is too wide."""
    lines: list[str] = []
    for word in text.split():
        if chain.length(word) > width:
            return None
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and chain.length(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def wrap_anywhere(text: str, chain: FontChain, width: float) -> list[str]:
    """Break text between any two characters (names without spaces, very long words)."""
    lines = [""]
    for char in " ".join(text.split()):
        if lines[-1] and chain.length(lines[-1] + char) > width:
            lines.append(char.strip())
        else:
            lines[-1] += char
    return [line for line in lines if line]
