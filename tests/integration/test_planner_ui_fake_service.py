"""The planner's pages against a fake node: what they send to the service (under the staff
name) and how they show its answers and refusals; no node, no database."""
import pytest
from flask import Flask

import kiosk_ui
from tests.integration.test_kiosk_ui_fake_service import FakeNode
from tests.support.kiosk_node import TOKEN


@pytest.fixture
def fake():
    return FakeNode()


@pytest.fixture
def client(fake):
    app = Flask("fake-node")
    app.secret_key = b"test"
    kiosk_ui.mount(app, fake)
    client = app.test_client()
    token = TOKEN.search(client.get("/staff/login").get_data(as_text=True)).group(1)
    client.post("/staff/login", data={"name": "Kim", "pin": "1111", "csrf_token": token})
    client.token = token
    return client


def post(client, path, **form):
    return client.post(path, data={"csrf_token": client.token, **form})


def sale_form(quantity="1", total=None, **fields):
    return {"seat": "o1:0", "qty-ws": quantity, "payment_method": "cash",
            "shown_total": str(12000 * int(quantity)) if total is None else total, **fields}


def page(response):
    return response.get_data(as_text=True)


def test_a_scanned_code_becomes_the_buyer_and_a_forged_one_is_refused(client):
    assert post(client, "/staff/sell/scan", code="GOOD").headers["Location"] == \
        "/staff/sell/seats?seat=o1:0"
    r = post(client, "/staff/sell/scan", code="BAD")
    assert r.headers["Location"] == "/staff/sell"
    assert "This ticket is not genuine." in page(client.get("/staff/sell"))


def test_the_seats_page_shows_the_offer_the_buyer_and_what_they_hold(client):
    html = page(client.get("/staff/sell/seats?seat=o1:0"))
    assert "Ada Lovelace" in html and "General admission" in html
    assert "Workshop" in html and "120.00 USD" in html and "2 left at this door" in html
    assert 'max="2"' in html and 'data-price="12000"' in html     # for the live total
    assert "0 to 2 (2 left at this door)" in html


def test_a_sale_goes_to_the_service_under_the_staff_name_then_shows_the_sale(client, fake):
    r = post(client, "/staff/sell/seats", **sale_form("1", payment_method="card_terminal",
                                                      payment_reference="T-9"))
    assert r.headers["Location"] == "/staff/sales/s1"
    assert fake.calls == [("sell", "ada@example.org", {"ws": 1}, "card_terminal", "T-9", "Kim")]
    html = page(client.get("/staff/sales/s1"))
    assert "Sold for 120.00 USD (Card terminal T-9)" in html
    assert "Waiting for the printer" in html and "Out of paper." in html
    assert '<svg class="ticket-qr"' in html and "No badge printed at this door." in html


def test_more_than_is_left_is_refused_with_the_range_before_the_service_is_asked(client, fake):
    r = post(client, "/staff/sell/seats", **sale_form("3"))
    assert r.status_code == 400 and "Type 0 to 2 (2 left at this door)." in page(r)
    assert 'value="3"' in page(r) and fake.calls == []


def test_a_total_that_differs_from_the_one_shown_is_confirmed_before_selling(client, fake):
    r = post(client, "/staff/sell/seats", **sale_form("2", total="12000"))
    assert r.status_code == 409 and "The total is 240.00 USD." in page(r)
    assert fake.calls == []


def test_cancel_receipt_and_allocation_moves_go_to_the_service_under_the_staff_name(client, fake):
    post(client, "/staff/sales/s1/cancel", refund_method="invoice")
    post(client, "/staff/sales/s1/receipt")
    post(client, "/staff/allocation/hand-over", door="node-b", seat_type="ws", quantity="2")
    post(client, "/staff/allocation/give-back", seat_type="ws", quantity="1")
    assert fake.calls == [("cancel_sale", "s1", "invoice", "Kim"), ("print_receipt", "s1", "Kim"),
                          ("hand_over", "node-b", "ws", 2, "Kim"), ("give_back", "ws", 1, "Kim")]


def test_the_allocation_panel_lists_the_doors_and_the_sales_list_the_sales(client):
    assert "Door 00000b" in page(client.get("/staff/allocation"))
    html = page(client.get("/staff/sales"))
    assert "Ada Lovelace" in html and "1 × Workshop" in html and "Kim" in html


def test_an_unknown_buyer_or_sale_is_not_found(client):
    assert client.get("/staff/sell/seats?seat=x:9").status_code == 404
    assert client.get("/staff/sales/nope").status_code == 404
