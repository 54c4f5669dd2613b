"""Tickets as documents: a real PDF read back with pypdf (its text, and its QR image decoded
with zbar to exactly the ticket code), the same ticket as a PNG, and no document for a seat
whose ticket was revoked."""
import datetime as dt
import io
import re

import pypdf
import pytest
from PIL import Image

from hub.orders import ticket_documents, ticket_layout
from hub.orders.ticket_documents import (order_reference, ticket_document, ticket_filename,
                                         ticket_pdf, ticket_png)
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app

pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="libzbar0 is not installed")
GA = "General admission"
JOSE = {"first_name": "José", "last_name": "Müller", "email": "jose@example.org"}
WANG = {"first_name": "王", "last_name": "小明", "email": "wang@example.org"}


@pytest.fixture
def api(tmp_path):
    api = HubClient(make_app(tmp_path, FakeClock()))
    yield api
    api.hub.close()


@pytest.fixture
def order(api):
    """A paid order of two seats of the conference CQRS Summit."""
    slug, ids, _ = api.create_conference()
    order_id = api.order(slug, {ids[GA]: 2})
    api.pump()
    api.registrant(order_id)
    api.pay(order_id)
    api.pump()
    return order_id


def assign(api, order_id, position, attendee):
    r = api.http.put(f"/api/orders/{order_id}/seats/{position}", headers=api.owner(order_id),
                     json=attendee)
    assert r.status_code == 200, r.get_json()
    api.pump()


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def pdf_qr_codes(data: bytes) -> list[str]:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return [found.data.decode() for image in page.images
            for found in pyzbar.decode(image.image)]


def png_qr_codes(data: bytes) -> list[str]:
    return [found.data.decode() for found in pyzbar.decode(Image.open(io.BytesIO(data)))]


def test_the_pdf_says_who_what_when_where_and_its_qr_code_is_the_ticket_code(api, order):
    assign(api, order, 0, JOSE)
    doc = ticket_document(api.hub, order, 0)
    live = api.hub.models.TicketView.get(api.hub.models.TicketView.position == 0)
    assert doc.code == live.code and doc.attendee_name == "José Müller"
    assert (doc.conference_name, doc.location, doc.seat_type_name) == ("CQRS Summit", "Redmond", GA)
    assert (doc.start_date, doc.end_date) == (dt.date(2026, 6, 1), dt.date(2026, 6, 3))
    data = ticket_pdf(doc)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for shown in ("José Müller", "CQRS Summit", "1–3 June 2026", "Redmond", GA,
                  doc.order_reference, "seat 1", "Show this code at the entrance",
                  "works offline", "One person per ticket"):
        assert shown in text, shown
    assert pdf_qr_codes(data) == [doc.code]


def test_the_png_is_the_same_ticket_and_its_qr_code_decodes(api, order):
    assign(api, order, 1, JOSE)
    doc = ticket_document(api.hub, order, 1)
    data = ticket_png(doc)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1036, 1470)
    assert png_qr_codes(data) == [doc.code]


def test_chinese_names_are_drawn_with_an_embedded_cjk_font(api, order):
    assign(api, order, 0, WANG)
    doc = ticket_document(api.hub, order, 0)
    data = ticket_pdf(doc)
    assert "王 小明" in pdf_text(data)
    fonts = {font for font in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", data)}
    assert any(b"WenQuanYi" in font or b"wqy" in font.lower() for font in fonts), fonts
    assert any(b"DejaVu" in font for font in fonts), fonts
    assert b"/FontFile2" in data                                  # embedded, not referenced
    assert png_qr_codes(ticket_png(doc)) == [doc.code]


@pytest.mark.parametrize("first, last", [
    ("Maximiliana Wilhelmina Theodora Augusta Friederike Luise",
     "von Hohenzollern-Sigmaringen-Wittelsbach-Habsburg-Lothringen"),
    ("W" * 60, "W" * 60),                                       # no space to break at
])
def test_a_very_long_name_is_wrapped_or_cut_never_drawn_off_the_ticket(api, order, first, last):
    from hub.orders.ticket_fonts import width_mm
    assign(api, order, 0, {"first_name": first, "last_name": last, "email": "max@example.org"})
    doc = ticket_document(api.hub, order, 0)
    layout = ticket_documents._layout(doc)
    name = [line for line in layout.lines if line.size >= 15 and line.color == ticket_layout.INK]
    assert 1 <= len(name) <= 2
    assert "".join(line.text for line in name).replace(" ", "").rstrip("…") in \
        doc.attendee_name.replace(" ", "")
    for line in layout.lines:
        assert line.x + width_mm(line.text, line.size, line.bold) <= layout.width - line.x
        assert 0 < line.baseline < layout.height
    assert layout.qr.y > name[-1].baseline and layout.qr.y + layout.qr.h < layout.height
    assert pdf_qr_codes(ticket_pdf(doc)) == [doc.code]


def test_a_revoked_ticket_has_no_document_and_the_new_one_has(api, order):
    assign(api, order, 0, JOSE)
    old = ticket_document(api.hub, order, 0)
    assign(api, order, 0, WANG)                       # another attendee: the old code revoked
    new = ticket_document(api.hub, order, 0)
    assert new.code != old.code and new.attendee_name == "王 小明"
    r = api.http.delete(f"/api/orders/{order}/seats/0", headers=api.owner(order))
    assert r.status_code == 200
    api.pump()
    assert ticket_document(api.hub, order, 0) is None


def test_seats_without_a_ticket_have_no_document(api, order):
    assert ticket_document(api.hub, order, 0) is None        # not assigned yet
    assert ticket_document(api.hub, order, 7) is None        # no such seat
    assert ticket_document(api.hub, order, -1) is None
    assert ticket_document(api.hub, "no-such-order", 0) is None


def test_file_names_are_plain_ascii(api, order):
    assign(api, order, 0, JOSE)
    doc = ticket_document(api.hub, order, 0)
    assert ticket_filename(doc, "pdf") == "ticket-cqrs-summit-jose-muller-seat-1.pdf"
    assign(api, order, 1, WANG)
    assert ticket_filename(ticket_document(api.hub, order, 1), "png") == \
        "ticket-cqrs-summit-seat-2.png"
    with pytest.raises(ValueError):
        ticket_filename(doc, "exe")


def test_the_order_reference_is_the_random_end_of_the_order_id_not_the_access_code(order):
    assert order_reference("0195f3a2-1b2c-7d4e-8f60-abcdef012345") == "EF01-2345"
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", order_reference(order))
