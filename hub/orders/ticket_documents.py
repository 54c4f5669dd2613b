"""A seat's ticket as people use it: a PDF to print and the same as a PNG for a phone, with the
attendee, the conference, its dates and venue, the seat type, the order's reference, the QR
code of the signed ticket code and what to do at the door (docs/tickets.md, "Documents").

Only a live ticket has a document: the seat's last TicketIssued in the order's tickets stream
that no TicketRevoked has revoked, signed by a key the doors still hold. What the document
says of the attendee and the seat type is what the code itself says (read back from it)."""
from __future__ import annotations

import base64
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import qrcode
from PIL import Image, ImageDraw, ImageFont

from hub.orders import ticket_layout
from hub.platform.formats import date_range
from hub.orders.ticket_fonts import POINT_MM, Face, runs, width_mm
from hub.orders.tickets import current_tickets
from shared_domain import checkin, tickets

if TYPE_CHECKING:
    from fpdf import FPDF

PNG_PX_PER_MM = 7          # 1036 x 1470 pixels: a phone screen's width, sharp when zoomed
QR_BORDER = 4              # modules of quiet zone, as the QR standard asks
FILE_EXTENSIONS = ("pdf", "png")
CREATOR = "Contoso conference system"


@dataclass(frozen=True)
class TicketDocument:
    """Everything a ticket shows, for one seat's live ticket."""
    order_id: str
    position: int            # the seat's position in the order, from 0 (shown from 1)
    conference_id: str
    attendee_name: str       # as the code carries it
    conference_name: str
    start_date: dt.date
    end_date: dt.date
    location: str
    seat_type_name: str      # as the code carries it (several are joined by " + ")
    order_reference: str     # order_reference(order_id)
    code: str                # the signed ticket code the doors scan (docs/tickets.md)
    code_digest: str         # what the log and the revocation lists know the code by


def order_reference(order_id: str) -> str:
    """The order's short reference for people: the last 8 characters of its id, as
    "XXXX-XXXX". Not the access code: that, with the registrant's email, opens the order,
    and a ticket travels to its attendee. The end of a UUIDv7 is its random part."""
    tail = re.sub(r"[^0-9A-Za-z]", "", order_id).upper()[-8:]
    return f"{tail[:4]}-{tail[4:]}" if len(tail) == 8 else tail


def ticket_document(hub, order_id: str, position: int) -> TicketDocument | None:
    """The document of the seat's live ticket; None when the seat has none."""
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        return None
    issued = current_tickets(hub, order_id).get(checkin.seat_id(order_id, position))
    if issued is None:
        return None
    K = hub.models.ConferenceKey
    key = K.get_or_none((K.key_id == issued.key_id) & K.retired_at.is_null())
    if key is None:     # its key was retired: the doors refuse it (unknown_key)
        return None
    payload = tickets.read_ticket(issued.code, {key.key_id: _raw_key(key.public_key)})
    C = hub.models.Conference
    conference = C.get_or_none(C.id == payload.conference_id)
    if conference is None:
        return None
    return TicketDocument(
        order_id=order_id, position=position, conference_id=conference.id,
        attendee_name=payload.attendee_name, conference_name=conference.name,
        start_date=dt.date.fromisoformat(conference.start_date),
        end_date=dt.date.fromisoformat(conference.end_date), location=conference.location,
        seat_type_name=" + ".join(payload.seat_types), order_reference=order_reference(order_id),
        code=issued.code, code_digest=issued.code_digest)


def ticket_filename(doc: TicketDocument, ext: str) -> str:
    """A file name in plain ASCII, e.g. "ticket-cqrs-summit-jose-muller-seat-1.pdf"."""
    if ext not in FILE_EXTENSIONS:
        raise ValueError(f"a ticket is a {' or a '.join(FILE_EXTENSIONS)}, not {ext!r}")
    parts = ["ticket", _ascii_words(doc.conference_name), _ascii_words(doc.attendee_name),
             f"seat-{doc.position + 1}"]
    return "-".join(part for part in parts if part) + "." + ext


def ticket_pdf(doc: TicketDocument) -> bytes:
    """The ticket as a one-page A5 PDF, its fonts embedded (only the glyphs it uses)."""
    from fpdf import FPDF    # imported when a PDF is made: it adds 0.4 s to a process's start
    layout = _layout(doc)
    pdf = FPDF(unit="mm", format=(layout.width, layout.height))
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_title(f"Ticket: {doc.conference_name}, {doc.attendee_name}")
    pdf.set_subject(f"Seat {doc.position + 1} of order {doc.order_reference}")
    pdf.set_creator(CREATOR)
    pdf.add_page()
    for rect in layout.rects:
        pdf.set_fill_color(*rect.color)
        pdf.rect(rect.x, rect.y, rect.w, rect.h, style="F")
    families: dict[str, str] = {}
    for line in layout.lines:
        pdf.set_text_color(*line.color)
        x = line.x
        for face, run in runs(line.text, line.bold):
            _pdf_font(pdf, families, face, line.size)
            pdf.text(x, line.baseline, run if face else _latin1(run))
            x += width_mm(run, line.size, line.bold)
    qr = layout.qr
    pdf.image(qr_image(doc.code), x=qr.x, y=qr.y, w=qr.w, h=qr.h)
    return bytes(pdf.output())


def ticket_png(doc: TicketDocument) -> bytes:
    """The same ticket as a PNG, at PNG_PX_PER_MM pixels a millimetre."""
    layout = _layout(doc)
    s = PNG_PX_PER_MM
    image = Image.new("RGB", (round(layout.width * s), round(layout.height * s)), "white")
    draw = ImageDraw.Draw(image)
    for rect in layout.rects:
        draw.rectangle([rect.x * s, rect.y * s, (rect.x + rect.w) * s - 1,
                        (rect.y + rect.h) * s - 1], fill=rect.color)
    for line in layout.lines:
        x = line.x
        px = max(1, round(line.size * POINT_MM * s))
        for face, run in runs(line.text, line.bold):
            draw.text((x * s, line.baseline * s), run, font=_png_font(face, px),
                      fill=line.color, anchor="ls")
            x += width_mm(run, line.size, line.bold)
    qr = layout.qr
    code = qr_image(doc.code, box_size=max(1, int(qr.w * s) // len(_qr_matrix(doc.code))))
    image.paste(code.convert("RGB"), (round((qr.x + qr.w / 2) * s - code.width / 2),
                                      round((qr.y + qr.h / 2) * s - code.height / 2)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def qr_image(code: str, box_size: int = 10) -> Image.Image:
    """The QR code of a ticket code, error correction M (as the badge prints it), in grey
    levels: black modules on white, box_size pixels each, the quiet zone around them."""
    matrix = _qr_matrix(code)
    image = Image.new("L", (len(matrix), len(matrix)), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    return image.resize((image.width * box_size, image.height * box_size), Image.NEAREST)


def qr_svg(code: str) -> str:
    """The QR code of a ticket code as inline SVG markup (one path, a unit per module) for a
    web page: sharp at any size. Only numbers of ours go into it, so it is safe to embed."""
    matrix = _qr_matrix(code)
    runs_of_dark = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs_of_dark.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    n = len(matrix)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" '
            f'shape-rendering="crispEdges" aria-hidden="true"><rect width="{n}" height="{n}" '
            f'fill="#fff"/><path fill="#000" d="{"".join(runs_of_dark)}"/></svg>')


@lru_cache(maxsize=32)
def _qr_matrix(code: str) -> tuple[tuple[bool, ...], ...]:
    symbol = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER)
    symbol.add_data(code)
    symbol.make(fit=True)
    return tuple(tuple(row) for row in symbol.get_matrix())


def _layout(doc: TicketDocument) -> ticket_layout.Layout:
    return ticket_layout.lay_out(ticket_layout.Fields(
        conference=doc.conference_name, dates=date_range(doc.start_date, doc.end_date),
        venue=doc.location, attendee=doc.attendee_name, seat_type=doc.seat_type_name,
        reference=f"{doc.order_reference} · seat {doc.position + 1}"))


def _pdf_font(pdf: FPDF, families: dict[str, str], face: Face | None, size: float) -> None:
    """Use a face in this PDF, adding (and so embedding) it on first use only."""
    if face is None:            # no font installed: the PDF's own Helvetica, Latin-1 only
        pdf.set_font("helvetica", size=size)
        return
    if face.path not in families:
        families[face.path] = f"face{len(families)}"
        pdf.add_font(families[face.path], "", face.path)
    pdf.set_font(families[face.path], size=size)


@lru_cache(maxsize=64)
def _png_font(face: Face | None, px: int):
    if face is None:
        return ImageFont.load_default(px)
    return ImageFont.truetype(face.path, px, index=0, layout_engine=ImageFont.Layout.BASIC)


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _ascii_words(text: str, longest: int = 40) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return words[:longest].rstrip("-")


def _raw_key(public_key: str) -> bytes:
    return base64.urlsafe_b64decode(public_key + "=" * (-len(public_key) % 4))
