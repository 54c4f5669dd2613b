"""However long the name on a ticket, the badge renders inside its margins and its height
stays bounded; a ticket field cut to fit is cut at a character, never inside one."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from printers.badge import NAME_STYLE, BadgeContent, name_block, render_badge, ribbon
from printers.fonts import font_chain
from shared_domain.tickets import (
    MAX_TEXT_BYTES, TicketPayload, fit_text, issue_ticket, keypair_from_seed, read_ticket,
)

KEY = keypair_from_seed(bytes(range(32)))
SEAT = "0195f3a2-1b2c-7d4e-8f60-abcdef012345:1"
CONFERENCE = "0195f3a2-1b2c-7d4e-8f60-123456789abc"


def leading(size):
    return round(font_chain(size, bold=True).line_height * 1.05)


# The name block's tallest: wrapped at spaces at the largest size, or broken anywhere at
# the smallest; never more, however long the name.
NAME_HEIGHT_MAX = max(NAME_STYLE.max_lines * leading(NAME_STYLE.largest),
                      NAME_STYLE.most_lines * leading(NAME_STYLE.smallest))

names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)


@given(text=st.text(max_size=300), limit=st.integers(0, MAX_TEXT_BYTES))
def test_fit_text_keeps_the_longest_whole_character_prefix(text, limit):
    cut = fit_text(text, limit)
    data = cut.encode("utf-8")            # never a lone surrogate: it encodes
    assert len(data) <= limit
    clean = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    assert clean.startswith(cut)
    rest = clean[len(cut):]
    assert not rest or len(data) + len(rest[0].encode()) > limit


def test_a_name_that_fits_is_kept_whole():
    assert fit_text("Zoë Ñúñez-Çelik") == "Zoë Ñúñez-Çelik"


@settings(max_examples=30, deadline=None)
@given(name=names)
def test_any_name_fitted_to_a_ticket_decodes_and_its_badge_renders(name):
    payload = TicketPayload(CONFERENCE, SEAT, fit_text(name), ("General admission",), b"\x01")
    code = issue_ticket(payload, KEY.private_key, "k1")
    assert read_ticket(code, {"k1": KEY.public_key}) == payload
    badge = render_badge(BadgeContent.from_ticket(payload, code, "Contoso Conference 2026"))
    assert badge.width == 384
    block = name_block(payload.attendee_name, 384, 352, 1.0)
    assert block.height <= NAME_HEIGHT_MAX


@pytest.mark.parametrize("name", ["N" * 300, "W" * 223, "\U0001F600" * 100,
                                  "Maria Magdalena " * 20, "山田太郎" * 60],
                         ids=["latin", "wide", "emoji", "words", "cjk"])
def test_a_very_long_name_stays_inside_the_margins_and_is_cut_with_an_ellipsis(name):
    block = name_block(fit_text(name), 384, 352, 1.0)
    ink = np.asarray(block) < 128
    columns = np.flatnonzero(ink.any(axis=0))
    assert columns.min() >= 16 and columns.max() < 384 - 16
    assert block.height <= NAME_HEIGHT_MAX


def test_a_seat_type_too_long_for_its_ribbon_is_cut_not_spilled():
    bar = ribbon("Workshop " * 30, 384, 1.0)
    white = np.asarray(bar) > 128
    columns = np.flatnonzero(white.any(axis=0))
    assert columns.min() >= 12 and columns.max() < 384 - 12
