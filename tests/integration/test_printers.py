"""Badges, receipts and ESC/POS output against the dummy, file and an absent network printer."""
import math
import socket
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageOps
from pyzbar import pyzbar

from printers.badge import BadgeContent, name_block, render_badge, width_for_paper
from printers.fonts import font_chain
from printers.output import (
    BAND_DOTS, DummyPrinter, EscposPrinter, FilePrinter, PrinterUnavailable, encode_job,
    printer_from_config,
)
from printers.receipt import ReceiptContent, money, render_receipt
from shared_domain.pricing import OrderLine
from shared_domain.tickets import TicketPayload, issue_ticket, keypair_from_seed

KEY = keypair_from_seed(bytes(range(32)))
INIT, RASTER, CUT = b"\x1b@", b"\x1dv0", b"\x1dV"


def ticket(name="Ada Lovelace", seat_types=("Full conference", "Workshop")):
    payload = TicketPayload("0195f3a2-1b2c-7d4e-8f60-123456789abc",
                            "0195f3a2-1b2c-7d4e-8f60-abcdef012345:1", name, seat_types, b"\x01" * 8)
    return payload, issue_ticket(payload, KEY.private_key, "2026a")


def badge(name="Ada Lovelace", company="Analytical Engines", seat_types=("Full conference", "Workshop"),
          width=384):
    payload, code = ticket(name, seat_types)
    content = BadgeContent.from_ticket(payload, code, "Contoso Conference 2026", company)
    return render_badge(content, width)


def qr_codes(image):
    return [s.data.decode() for s in pyzbar.decode(np.asarray(image.convert("L")))]


@pytest.mark.parametrize("paper_mm, dots", [(58, 384), (80, 576)])
def test_a_badge_is_exactly_as_wide_as_the_paper(paper_mm, dots):
    image = badge(width=width_for_paper(paper_mm))
    assert image.width == dots and image.mode == "1"


def test_other_paper_widths_are_refused():
    with pytest.raises(ValueError):
        width_for_paper(62)


@pytest.mark.parametrize("width", [384, 576])
def test_the_badge_qr_code_reads_back_as_the_ticket_code(width):
    _, code = ticket()
    assert qr_codes(badge(width=width)) == [code]


LONG_NAMES = [
    "Maria Magdalena Fernández de la Cruz y Villanueva-Oyarzábal",
    "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafe",
    "Ζωή Παπαδοπούλου-Καραγιαννοπούλου Αλεξανδροπούλου",
]


@pytest.mark.parametrize("name", LONG_NAMES)
def test_a_long_name_is_wrapped_and_stays_inside_the_margins(name):
    image = badge(name=name, company="", seat_types=())
    ink = np.asarray(image) == 0
    columns = np.flatnonzero(ink.any(axis=0))
    assert columns.min() >= 16 and columns.max() < image.width - 16


def test_a_long_name_is_set_smaller_than_a_short_one():
    short, long = name_block("Ada", 384, 352, 1.0), name_block(LONG_NAMES[0], 384, 352, 1.0)
    line = lambda block: np.flatnonzero((np.asarray(block) < 128).any(axis=1))  # noqa: E731
    assert long.height > short.height and len(line(long)) < 2.5 * len(line(short))


@pytest.mark.parametrize("name", [
    "Zoë Ñúñez-Çelik", "山田 太郎", "김민준", "Ζωή Παπαδοπούλου", "Дмитрий Шостакович", "ありがとう 花子",
])
def test_names_in_any_script_render_as_letters_not_missing_glyph_boxes(name):
    rendered = name_block(name, 384, 352, 1.0)
    boxes = name_block("".join(" " if c == " " else "\uffff" for c in name), 384, 352, 1.0)
    assert ImageOps.invert(rendered).getbbox() is not None     # some ink
    assert ImageChops.difference(rendered, boxes).getbbox() is not None
    assert qr_codes(badge(name=name)) == [ticket(name)[1]]


def test_without_any_installed_font_pillows_own_font_still_draws_latin_names():
    chain = font_chain(40, bold=True, font_dirs=(Path("/nonexistent"),))
    assert chain.length("Ada Lovelace") > 0 and len(chain.fonts) == 1


def test_each_seat_type_is_a_black_ribbon():
    plain, ribboned = badge(seat_types=()), badge(seat_types=("Speaker", "Workshop"))
    full_black_rows = lambda image: int((np.asarray(image) == 0).all(axis=1).sum())  # noqa: E731
    assert full_black_rows(plain) == 0 and full_black_rows(ribboned) > 10


def test_dummy_printer_bytes_start_with_init_and_hold_raster_bands_and_a_cut():
    image = badge(width=576)
    printer = DummyPrinter(paper_width_mm=80)
    printer.print_image(image, job_id="badge-1")
    output = printer.output
    assert output.startswith(INIT)
    assert output.count(RASTER) == math.ceil(image.height / BAND_DOTS)
    assert CUT in output[-8:]


def test_on_58_mm_paper_without_a_cutter_the_badge_is_fed_out_to_tear():
    output = encode_job(badge(), paper_width_mm=58)
    assert output.startswith(INIT) and RASTER in output
    assert CUT not in output and output.endswith(b"\x1bd\x06")


def test_an_image_wider_than_the_paper_is_refused_before_printing():
    with pytest.raises(ValueError):
        encode_job(badge(width=576), paper_width_mm=58)


def test_the_file_printer_writes_the_bytes_and_a_preview_per_job(tmp_path):
    image = badge()
    printer = FilePrinter(tmp_path / "prints")
    printer.print_image(image, job_id="job-1")
    printer.print_image(badge(name="Bob"), job_id="job-2")
    assert sorted(p.name for p in (tmp_path / "prints").iterdir()) == [
        "job-1.bin", "job-1.png", "job-2.bin", "job-2.png"]
    assert (tmp_path / "prints/job-1.bin").read_bytes() == encode_job(image)
    preview = Image.open(tmp_path / "prints/job-1.png")
    assert ImageChops.difference(preview.convert("L"), image.convert("L")).getbbox() is None
    assert printer.status().ready


def test_a_job_id_that_is_not_a_plain_file_name_is_refused(tmp_path):
    with pytest.raises(ValueError):
        FilePrinter(tmp_path).print_image(badge(), job_id="../escape")


def test_a_file_printer_that_cannot_write_is_unavailable_with_a_reason(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    printer = FilePrinter(blocked / "prints")
    with pytest.raises(PrinterUnavailable) as unavailable:
        printer.print_image(badge(), job_id="job-1")
    assert str(blocked) in unavailable.value.reason
    assert not printer.status().ready


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_network_printer_is_unavailable_with_a_readable_reason():
    port = closed_port()
    printer = EscposPrinter({"kind": "network", "host": "127.0.0.1", "port": port,
                             "timeout_s": 0.5, "paper_width_mm": 80})
    with pytest.raises(PrinterUnavailable) as unavailable:
        printer.print_image(badge(width=576), job_id="job-1")
    assert unavailable.value.reason.startswith(f"The printer at 127.0.0.1:{port} cannot be reached")
    assert "switched on" in unavailable.value.reason
    assert printer.status().ready is False


def test_a_switched_off_dummy_printer_refuses_then_prints_when_back():
    printer = DummyPrinter()
    printer.unavailable_reason = "The printer is out of paper."
    with pytest.raises(PrinterUnavailable):
        printer.print_image(badge(), job_id="job-1")
    assert printer.status().reason == "The printer is out of paper."
    printer.unavailable_reason = None
    printer.print_image(badge(), job_id="job-1")
    assert list(printer.jobs) == ["job-1"] and printer.status().ready


@pytest.mark.parametrize("config, kind", [
    ({"kind": "folder", "path": "/tmp/contoso-prints"}, FilePrinter),
    ({"kind": "dummy", "paper_width_mm": 80}, DummyPrinter),
    ({"kind": "network", "host": "10.0.0.40"}, EscposPrinter),
    ({"kind": "usb", "vendor_id": "0x0416", "product_id": "0x5011"}, EscposPrinter),
    ({"kind": "serial", "device": "/dev/ttyUSB0", "baudrate": 19200}, EscposPrinter),
    ({"kind": "file", "path": "/dev/usb/lp0"}, EscposPrinter),
])
def test_the_config_chooses_the_printer(config, kind):
    assert isinstance(printer_from_config(config), kind)


def test_every_escpos_printer_gets_the_profile_of_its_paper():
    assert EscposPrinter({"kind": "file", "path": "x"}).profile == "NT-5890K"
    assert EscposPrinter({"kind": "file", "path": "x", "paper_width_mm": 80}).profile == "TM-T20II"


def test_a_receipt_lists_lines_and_total_at_the_paper_width():
    lines = (OrderLine("w", "Workshop: Rust for Pythonistas (afternoon)", 2, 4500, 9000),
             OrderLine("c", "Cocktail party", 1, 2500, 2500))
    receipt = ReceiptContent("Contoso Conference 2026", "N7-000042", "2026-05-12 10:41",
                             lines, 11500, "card")
    image = render_receipt(receipt, 576)
    assert image.width == 576 and image.mode == "1"
    assert render_receipt(receipt, 384).height > render_receipt(
        ReceiptContent("C", "1", "now", lines[1:], 2500, "cash"), 384).height


@pytest.mark.parametrize("cents, text", [(11500, "115.00 USD"), (5, "0.05 USD"), (-250, "-2.50 USD")])
def test_money_is_printed_from_integer_cents(cents, text):
    assert money(cents, "USD") == text
