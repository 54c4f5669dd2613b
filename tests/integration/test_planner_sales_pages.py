"""The planner's sale through the Flask test client: the buyer (scan, search, walk-in), seats
and payment, the refusal beyond the allocation, receipt and badge queued with the sale, the
sales list and cancelling, the allocation panel; behind the PIN, with CSRF, under a name."""
import base64
import os
import threading

import pytest

from hub.venue import allocations
from shared_domain.allocations import AllocationHandedOver, AllocationReturned
from shared_domain.checkin import BadgePrinted
from shared_domain.errors import DomainError
from shared_domain.sales import OnSiteSaleCancelled, OnSiteSaleMade
from shared_domain.tickets import TicketPayload, issue_ticket, read_ticket
from tests.support.kiosk_node import csrf_token, kiosk_node, node_client, staff_login, tickets
from tests.support.venue import enroll

COCKTAIL = "Additional cocktail party"
WORKSHOP = "CQRS Workshop"
WALK_IN = {"first_name": "Wanda", "last_name": "Walker", "email": "wanda@example.org",
           "company": "Fabrikam"}


def seat_type(hub, name=COCKTAIL):
    T = hub.hub.models.SeatType
    return T.get(T.name == name).id


def allocate(hub, node, quantity, name=COCKTAIL):
    allocations.allocate(hub.hub, hub.hub.models.Node.get_by_id(node.node_id),
                         seat_type(hub, name), quantity)
    hub.pump()
    node.sync_hub()


@pytest.fixture
def node(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    allocate(hub, node, 3)
    yield node
    node.close()


@pytest.fixture
def desk(node):
    client = node_client(node)
    assert staff_login(client, name="Pat Planner").status_code == 302
    client.token = csrf_token(client, "/staff/sell")
    return client


def my_facts(node, kind):
    return [e.message for e in node.replica.store.load(f"edge-{node.replica.origin}")
            if isinstance(e.message, kind)]


def sale_form(desk, hub, quantity=2, *, shown_total=None, name=COCKTAIL, **fields):
    price = {COCKTAIL: 5000, WORKSHOP: 50000}[name]
    return {"csrf_token": desk.token, **WALK_IN, f"qty-{seat_type(hub, name)}": str(quantity),
            "payment_method": "cash", "action": "sell",
            "shown_total": str(quantity * price if shown_total is None else shown_total),
            **fields}


def sell_walk_in(desk, hub, quantity=2, **fields):
    return desk.post("/staff/sell/seats", data=sale_form(desk, hub, quantity, **fields))


def html(response):
    return response.get_data(as_text=True)


# --- access ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/staff/sell", "/staff/sell/seats?seat=x:0", "/staff/sales",
                                  "/staff/sales/x", "/staff/allocation",
                                  "/staff/print-jobs/x.png"])
def test_planner_pages_need_the_pin(node, path):
    r = node_client(node).get(path)
    assert r.status_code == 302 and r.headers["Location"].startswith("/staff/login?next=")


def test_a_sale_without_the_pin_sells_nothing(node, hub):
    client = node_client(node)
    token = csrf_token(client, "/kiosk")
    r = client.post("/staff/sell/seats", data={**WALK_IN, "csrf_token": token,
                                               f"qty-{seat_type(hub)}": "1", "shown_total": "5000"})
    assert r.status_code == 302 and my_facts(node, OnSiteSaleMade) == []


@pytest.mark.parametrize("path", ["/staff/sell/seats", "/staff/sell/walk-in", "/staff/sell/scan",
                                  "/staff/allocation/give-back"])
def test_planner_forms_without_the_token_change_nothing(desk, node, hub, path):
    form = {**sale_form(desk, hub), "seat_type": seat_type(hub), "quantity": "1"}
    del form["csrf_token"]
    assert desk.post(path, data=form).status_code == 400
    assert desk.post(path, data={**form, "csrf_token": "forged"}).status_code == 400
    assert my_facts(node, OnSiteSaleMade) == [] and my_facts(node, AllocationReturned) == []


# --- the buyer -----------------------------------------------------------------------------

def test_the_buyer_screen_has_a_focused_scan_field_search_and_walk_in(desk):
    page = html(desk.get("/staff/sell"))
    assert 'id="code" name="code"' in page and "autofocus" in page.split('id="code"')[1][:300]
    assert "Or find an attendee" in page and "Or a new walk-in" in page


def test_a_walk_in_with_missing_or_bad_fields_is_shown_the_errors_next_to_them(desk):
    r = desk.post("/staff/sell/walk-in", data={"csrf_token": desk.token, "first_name": " ",
                                               "last_name": "Walker", "email": "not-an-email"})
    page = html(r)
    assert r.status_code == 400
    assert 'id="walk-first_name-error">Type the first name.' in page
    assert 'id="walk-email-error">This is not an email address.' in page
    assert 'value="Walker"' in page and "walk-last_name-error" not in page


def test_a_valid_walk_in_goes_on_to_the_seats_this_door_may_sell(desk):
    r = desk.post("/staff/sell/walk-in", data={"csrf_token": desk.token, **WALK_IN})
    page = html(r)
    assert r.status_code == 200 and "Wanda Walker" in page and "New walk-in" in page
    assert COCKTAIL in page and "3 left at this door" in page and "50.00 USD" in page
    assert 'type="hidden" name="email" value="wanda@example.org"' in page


def test_search_offers_to_sell_to_an_attendee(desk, node):
    page = html(desk.get("/staff/sell", query_string={"q": "att1"}))
    [seat] = [a["seat_id"] for a in node.front_desk.search("a1@example.org")]
    assert "Att1 Endee" in page and f"/staff/sell/seats?seat={seat}" in page
    page = html(desk.get("/staff/sell/seats", query_string={"seat": seat}))
    assert "Att1 Endee" in page and "General admission" in page       # what they hold
    assert desk.get("/staff/sell/seats", query_string={"seat": "nobody:0"}).status_code == 404


def test_a_scanned_ticket_chooses_its_holder(desk, node, hub):
    r = desk.post("/staff/sell/scan", data={"csrf_token": desk.token,
                                            "code": "  " + tickets(hub)["Att2 Endee"] + "\n"})
    [seat] = [a["seat_id"] for a in node.front_desk.search("a2@example.org")]
    assert r.status_code == 302 and r.headers["Location"] == f"/staff/sell/seats?seat={seat}"


def forged(node, hub):
    """A well-formed code for a real seat, signed with a key that is not the conference's."""
    real = tickets(hub)["Att0 Endee"]
    key_id = next(iter(node.replica.credentials["ticket_public_keys"]))
    payload = read_ticket(real, node.desk.public_keys())
    return issue_ticket(payload, os.urandom(32), key_id)


@pytest.mark.parametrize("make, message", [
    (forged, "This ticket is not genuine."),
    (lambda node, hub: tickets(hub)["Att0 Endee"][:-3] + "AAA", "This ticket code has been changed."),
    (lambda node, hub: "NOT A TICKET", "This is not a ticket code."),
])
def test_a_forged_altered_or_unreadable_code_is_refused(desk, node, hub, make, message):
    r = desk.post("/staff/sell/scan", data={"csrf_token": desk.token, "code": make(node, hub)},
                  follow_redirects=True)
    assert message in html(r) and "Search for the buyer instead." in html(r)
    assert r.request.path == "/staff/sell"


def test_a_genuine_code_the_door_cannot_place_asks_for_a_search(desk, node, hub):
    creds = node.replica.credentials
    private = base64.urlsafe_b64decode(creds["node_private_key"])
    code = issue_ticket(TicketPayload(node.replica.conference_id, "0193aaaa-0000-7000-8000-000000000001:0",
                                      "Someone Else", ("General admission",), b"\x01" * 8,
                                      issuer=node.node_id), private, f"node:{node.node_id}")
    r = desk.post("/staff/sell/scan", data={"csrf_token": desk.token, "code": code},
                  follow_redirects=True)
    assert "The ticket of Someone Else is genuine, but this door does not know" in html(r)


# --- the sale ------------------------------------------------------------------------------

def test_a_walk_in_sale_queues_receipt_and_badge_and_shows_the_tickets(desk, node, hub):
    r = sell_walk_in(desk, hub, 2, payment_method="card_terminal", payment_reference=" T-4711 ")
    assert r.status_code == 302
    [sale] = my_facts(node, OnSiteSaleMade)
    assert (sale.by, sale.total_cents, sale.payment_reference) == ("Pat Planner", 10000, "T-4711")
    assert sale.buyer.company == "Fabrikam" and sale.buyer_seat_id == ""
    page = html(desk.get(r.headers["Location"]))
    assert "Sold for 100.00 USD (Card terminal T-4711)" in page
    assert page.count('<svg class="ticket-qr"') == 2 and "2 × Additional cocktail party" in page
    receipt, badge = node.prints.waiting()
    assert (receipt.kind, receipt.code, receipt.by) == ("receipt", sale.sale_id, "Pat Planner")
    assert (badge.kind, badge.seat_id, badge.code) == ("badge", sale.seats[0].seat_id,
                                                       sale.seats[0].code)
    assert receipt.image and badge.image                      # rendered at once: the previews
    assert desk.get(f"/staff/print-jobs/{receipt.job_id}.png").mimetype == "image/png"
    assert node.prints.run_due() == 2
    [printed] = my_facts(node, BadgePrinted)                  # the receipt is not in the print log
    assert printed.seat_id == sale.seats[0].seat_id and printed.by == "Pat Planner"
    assert node.printer.images[receipt.job_id].width == 384


def test_an_add_on_prints_the_buyers_own_badge_with_every_seat_type_they_hold(desk, node, hub):
    allocate(hub, node, 2, WORKSHOP)
    seat = desk.post("/staff/sell/scan", data={"csrf_token": desk.token,
                                               "code": tickets(hub)["Att0 Endee"]}
                     ).headers["Location"].split("seat=")[1]
    r = desk.post("/staff/sell/seats", data={**sale_form(desk, hub, 1, name=WORKSHOP), "seat": seat,
                                             "first_name": "", "email": ""})
    assert r.status_code == 302
    [sale] = my_facts(node, OnSiteSaleMade)
    assert sale.buyer_seat_id == seat and sale.buyer.email == "a0@example.org"
    [_, badge] = node.prints.waiting()
    assert badge.seat_id == seat and badge.code == tickets(hub)["Att0 Endee"]
    assert node.badges.seat_types_held("A0@example.org") == ["General admission", WORKSHOP]
    assert "General admission" in html(desk.get(f"/staff/sell/seats?seat={seat}"))


def test_a_sale_beyond_the_allocation_is_refused_with_how_many_are_left(desk, node, hub):
    r = sell_walk_in(desk, hub, 4)
    assert r.status_code == 400
    assert ("Type 0 to 3 (3 left at this door). Ask the hub admin to raise this door&#39;s "
            "allocation, or borrow seats from another door.") in html(r)
    assert 'value="4"' in html(r) and "Wanda Walker" in html(r)          # nothing is lost
    assert my_facts(node, OnSiteSaleMade) == [] and node.prints.waiting() == []


@pytest.mark.parametrize("fields, field_id, message", [
    ({"payment_method": "invoice"}, "reference-error", "the invoice number"),
    ({"payment_method": "bitcoin"}, None, "Take payment as one of"),
])
def test_payment_needs_a_known_method_and_a_reference_for_card_or_invoice(
        desk, node, hub, fields, field_id, message):
    r = sell_walk_in(desk, hub, 1, **fields)
    assert r.status_code == 409 and message in html(r)
    assert field_id is None or f'id="{field_id}"' in html(r)
    assert my_facts(node, OnSiteSaleMade) == []


@pytest.mark.parametrize("quantity, message", [
    ("two", "Type a whole number of seats, 0 to 3 (3 left at this door)."),
    ("-1", "Type a whole number of seats, 0 to 3 (3 left at this door)."),
    ("9999", "Type 0 to 3 (3 left at this door)."),
                                                ("0", "Choose at least one seat to sell.")])
def test_bad_quantities_are_refused(desk, node, hub, quantity, message):
    r = sell_walk_in(desk, hub, quantity, shown_total=0)
    assert r.status_code in (400, 409) and message in html(r)
    assert my_facts(node, OnSiteSaleMade) == []


def test_the_server_recomputes_the_total_and_a_different_one_is_shown_before_selling(desk, node, hub):
    r = sell_walk_in(desk, hub, 2, shown_total=5000)
    assert r.status_code == 409 and "The total is 100.00 USD. Check it with the buyer" in html(r)
    assert 'name="shown_total" id="shown-total" value="10000"' in html(r)
    assert my_facts(node, OnSiteSaleMade) == []
    quote = desk.post("/staff/sell/seats", data={**sale_form(desk, hub, 2), "action": "quote"})
    assert quote.status_code == 200 and 'id="total">100.00 USD' in html(quote)
    assert sell_walk_in(desk, hub, 2).status_code == 302


def test_a_walk_in_tampered_on_the_seats_form_is_sent_back_to_the_buyer_screen(desk, node, hub):
    r = sell_walk_in(desk, hub, 1, email="nobody")
    assert r.status_code == 400 and "This is not an email address." in html(r)
    assert my_facts(node, OnSiteSaleMade) == []


def test_two_planners_at_once_never_both_sell_the_last_seat(node, hub):
    buyer = {"seat_id": "", "holds": [], **WALK_IN}
    outcomes = []

    def planner():
        try:
            outcomes.append(node.front_desk.sell(buyer, {seat_type(hub): 2}, payment_method="cash",
                                                 payment_reference="", by="Pat"))
        except DomainError as e:
            outcomes.append(e.code)

    threads = [threading.Thread(target=planner) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o == "allocation_exhausted" for o in outcomes) == [False, True, True, True]
    assert len([j for j in node.prints.jobs.select() if j.kind == "receipt"]) == 1


# --- after the sale ------------------------------------------------------------------------

@pytest.mark.parametrize("synced", [False, True])
def test_cancelling_a_sale_refunds_it_and_gives_the_seats_back(desk, node, hub, synced):
    sale_url = sell_walk_in(desk, hub, 2).headers["Location"]
    sale_id = sale_url.rsplit("/", 1)[1]
    if synced:
        node.sync_hub()
        hub.pump()
    assert node.front_desk.sale_offer()[0]["left"] == 1
    r = desk.post(f"{sale_url}/cancel", data={"csrf_token": desk.token, "refund_method": "cash"},
                  follow_redirects=True)
    assert "Sale cancelled: refund 100.00 USD (cash). 2 seats went back" in html(r)
    assert 'id="sale-state">Cancelled' in html(r) and "Cancel sale and refund" not in html(r)
    [cancelled] = my_facts(node, OnSiteSaleCancelled)
    assert (cancelled.sale_id, cancelled.by, cancelled.refund_method) == (sale_id, "Pat Planner", "cash")
    assert node.front_desk.sale_offer()[0]["left"] == 3
    again = desk.post(f"{sale_url}/cancel", data={"csrf_token": desk.token, "refund_method": "cash"},
                      follow_redirects=True)
    assert "already cancelled" in html(again)


def test_a_cancel_needs_a_refund_method(desk, node, hub):
    sale_url = sell_walk_in(desk, hub, 1).headers["Location"]
    r = desk.post(f"{sale_url}/cancel", data={"csrf_token": desk.token, "refund_method": "iou"},
                  follow_redirects=True)
    assert "Choose how the money was given back." in html(r)
    assert my_facts(node, OnSiteSaleCancelled) == []


def test_the_sales_list_shows_this_doors_sales_and_the_receipt_prints_again(desk, node, hub):
    assert "No sales at this door yet." in html(desk.get("/staff/sales"))
    sale_url = sell_walk_in(desk, hub, 1, payment_method="invoice",
                            payment_reference="INV-7").headers["Location"]
    page = html(desk.get("/staff/sales"))
    assert "Wanda Walker" in page and "1 × Additional cocktail party" in page
    assert "50.00 USD" in page and "Invoice" in page and "Pat Planner" in page
    desk.post(f"{sale_url}/receipt", data={"csrf_token": desk.token})
    receipts = [j for j in node.prints.jobs.select() if j.kind == "receipt"]
    assert len(receipts) == 2 and receipts[1].by == "Pat Planner"
    assert desk.get("/staff/sales/nothing-here").status_code == 404
    assert desk.get("/staff/print-jobs/nothing.png").status_code == 404


# --- the allocation ------------------------------------------------------------------------

def test_the_allocation_panel_hands_seats_to_a_known_door_and_gives_seats_back(desk, node, hub,
                                                                              tmp_path):
    enroll(hub, tmp_path / "b", "Door B")
    node.sync_hub()                                        # learns door B's key from the hub
    other = hub.hub.models.Node.get(hub.hub.models.Node.name == "Door B").id
    page = html(desk.get("/staff/allocation"))
    assert f'<option value="{other}">Door B</option>' in page        # by its name, learned by sync
    sell_walk_in(desk, hub, 1)
    r = desk.post("/staff/allocation/hand-over", data={
        "csrf_token": desk.token, "door": other, "seat_type": seat_type(hub), "quantity": "1"},
        follow_redirects=True)
    assert f"1 seat of {COCKTAIL} handed to Door B" in html(r)
    r = desk.post("/staff/allocation/give-back", data={
        "csrf_token": desk.token, "seat_type": seat_type(hub), "quantity": "1"},
        follow_redirects=True)
    assert f"1 seat of {COCKTAIL} given back to the hub" in html(r)
    [offer] = node.front_desk.sale_offer()
    assert (offer["allocated"], offer["sold"], offer["left"]) == (1, 1, 0)
    [handed] = my_facts(node, AllocationHandedOver)
    [returned] = my_facts(node, AllocationReturned)
    assert (handed.to_node_id, handed.by, returned.by) == (other, "Pat Planner", "Pat Planner")


@pytest.mark.parametrize("path, fields, message", [
    ("/staff/allocation/give-back", {"quantity": "9"}, "Only 3 seats of"),
    ("/staff/allocation/give-back", {"quantity": "lots"}, "Type a whole number of seats, from 1."),
    ("/staff/allocation/give-back", {"quantity": "1", "seat_type": "nope"}, "Choose a seat type"),
    ("/staff/allocation/hand-over", {"quantity": "1", "door": "stranger"}, "Choose the door"),
])
def test_allocation_moves_with_bad_input_are_refused(desk, node, hub, path, fields, message):
    form = {"csrf_token": desk.token, "seat_type": seat_type(hub), **fields}
    r = desk.post(path, data=form, follow_redirects=True)
    assert message in html(r)
    assert my_facts(node, AllocationReturned) == [] and my_facts(node, AllocationHandedOver) == []
