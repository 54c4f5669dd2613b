"""One person, one badge: a person holding several seats of the conference gets one badge
listing their seat types; their second ticket admits its seat without a second badge;
staff can still reprint it."""
import io

import pytest
from PIL import Image

from onsite_node.badges import png_bytes
from printers.badge import BadgeContent, render_badge
from printers.output import encode_job
from shared_domain.checkin import AttendeeCheckedIn, BadgePrinted
from tests.support.kiosk_node import csrf_token, kiosk_node, kiosk_page, node_client, staff_login
from tests.support.venue import GA

WORKSHOP = "CQRS Workshop"
JSON = {"Accept": "application/json"}


def seat_type_ids(hub):
    T = hub.hub.models.SeatType
    return {t.name: t.id for t in T.select()}


def order_for_one_person(hub, seat_types, names):
    """A paid order of one seat per seat type, its seats assigned to (first, last, email)s."""
    ids = seat_type_ids(hub)
    order_id = hub.order(hub.conference.slug, {ids[name]: 1 for name in seat_types})
    hub.pump()
    hub.registrant(order_id, "buyer@example.org")
    hub.pay(order_id)
    hub.pump()
    for position, (first, last, email) in enumerate(names):
        r = hub.http.put(f"/api/orders/{order_id}/seats/{position}", headers=hub.owner(order_id),
                         json={"first_name": first, "last_name": last, "email": email})
        assert r.status_code < 300, r.text
    hub.pump()
    T = hub.hub.models.TicketView
    return [T.get(T.seat_id == f"{order_id}:{p}").code for p in range(len(names))]


@pytest.fixture
def radia(hub):
    """Radia's two tickets (general admission, workshop), her name typed twice differently."""
    return order_for_one_person(hub, [GA, WORKSHOP], [
        ("Radia", "Turing", "radia@example.org"), (" radia ", "TURING ", "Radia@Example.org")])


@pytest.fixture
def node(hub, radia, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    yield node
    node.close()


@pytest.fixture
def kiosk(node):
    return kiosk_page(node)


def scan(kiosk, code):
    return kiosk.post("/kiosk/scan", data={"code": code, "csrf_token": kiosk.token},
                      headers=JSON).get_json()


def my_facts(node, kind):
    return [e.message for e in node.replica.store.load(f"edge-{node.replica.origin}")
            if isinstance(e.message, kind)]


def test_two_tickets_of_one_person_are_two_check_ins_and_one_badge(kiosk, node, radia):
    first, second = scan(kiosk, radia[0]), scan(kiosk, radia[1])
    assert first["tone"] == second["tone"] == "welcome"
    assert first["badge_url"] and not second["badge_url"]
    assert second["lines"] == ["Your badge lists this seat too.",
                               "Please keep using the badge you have."]
    assert len(my_facts(node, AttendeeCheckedIn)) == 2
    [job] = node.prints.waiting()
    assert node.prints.run_due() == 1
    content = node.badges.badge_content(job.code)
    assert content.seat_types == (GA, WORKSHOP)
    # the very bytes the printer got are those of a badge with both ribbons
    expected = render_badge(content, node.badges.width)
    printed = Image.open(io.BytesIO(node.prints.image(job.job_id)))
    assert node.printer.jobs[job.job_id] == encode_job(expected, paper_width_mm=58)
    assert png_bytes(expected) == png_bytes(printed)
    one_ribbon = render_badge(BadgeContent(content.attendee_name, content.conference_name,
                                           content.ticket_code, content.company, (GA,)))
    assert printed.height > one_ribbon.height
    assert len(my_facts(node, BadgePrinted)) == 1


def test_scanning_in_the_other_order_still_prints_one_badge_listing_both(kiosk, node, radia):
    scan(kiosk, radia[1])
    scan(kiosk, radia[0])
    [job] = node.prints.waiting()
    assert node.badges.badge_content(job.code).seat_types == (WORKSHOP, GA)


def test_a_badge_printed_at_another_door_counts(hub, node, radia, tmp_path):
    other = kiosk_node(hub, tmp_path / "b", name="Kiosk B")
    try:
        other.front_desk.scan(radia[0])
        other.prints.run_due()
        other.sync_hub()
        hub.pump()
        node.sync_hub()
        decision = node.front_desk.scan(radia[1])
        assert decision["admitted"] and decision["badge_held"] and not decision["badge_job"]
        assert node.prints.waiting() == []
    finally:
        other.close()


def test_staff_reprint_prints_the_persons_badge_again(kiosk, node, radia):
    scan(kiosk, radia[0])
    scan(kiosk, radia[1])
    node.prints.run_due()
    desk = node_client(node)
    assert staff_login(desk).status_code == 302
    token = csrf_token(desk, "/staff")
    seat = node.badges.seats_of_person(node.front_desk.search("radia")[0]["seat_id"])[1]
    page = desk.get(f"/staff/attendees/{seat}").get_data(as_text=True)
    assert 'id="badge-held"' in page
    desk.post(f"/staff/attendees/{seat}/reprint", data={"csrf_token": token})
    [reprint] = node.prints.waiting()
    assert node.prints.run_due() == 1
    prints = my_facts(node, BadgePrinted)
    assert len(prints) == 2 and prints[1].reprint and prints[1].by == "Sam Staff"
    assert node.badges.badge_content(reprint.code).seat_types == (WORKSHOP, GA)


def test_a_manual_check_in_of_the_second_seat_prints_no_second_badge(node, radia):
    seats = node.badges.seats_of_person(node.front_desk.search("radia turing")[0]["seat_id"])
    assert len(seats) == 2
    assert node.front_desk.check_in(seats[0], by="Sam") != ""
    assert node.front_desk.check_in(seats[1], by="Sam") == ""
    assert len(node.prints.waiting()) == 1 and len(my_facts(node, AttendeeCheckedIn)) == 2


def test_same_email_another_name_is_another_person_with_a_badge_of_their_own(hub, tmp_path):
    codes = order_for_one_person(hub, [GA, WORKSHOP], [
        ("Ada", "Turing", "family@example.org"), ("Alan", "Turing", "family@example.org")])
    node = kiosk_node(hub, tmp_path / "f")
    try:
        assert node.front_desk.scan(codes[0])["badge_job"]
        assert node.front_desk.scan(codes[1])["badge_job"]
        ada, alan = node.prints.waiting()
        assert node.badges.badge_content(ada.code).seat_types == (GA,)
        assert node.badges.badge_content(alan.code).seat_types == (WORKSHOP,)
    finally:
        node.close()
