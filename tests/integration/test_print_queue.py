"""The print queue: badges wait for a printer that is off, print once when it is back, and
every print is a fact in the log (BadgePrinted), reprints with who asked for them."""
import pytest
from PIL import Image

from onsite_node.printing import PrintWorker, retry_delay
from shared_domain.checkin import BadgePrinted
from shared_domain.errors import DomainError
from tests.support.kiosk_node import kiosk_node, tickets
from tests.support.processes import wait_for


class Tick:
    """A monotonic clock the test moves by hand (the queue's backoff)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def node(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    node.prints.tick = Tick()
    yield node
    node.close()


def printed_events(node):
    return [e.message for e in node.replica.store.load(f"edge-{node.replica.origin}")
            if isinstance(e.message, BadgePrinted)]


def test_an_admitted_scan_queues_its_badge_and_a_refused_one_does_not(node, hub):
    code = tickets(hub)["Att0 Endee"]
    admitted = node.front_desk.scan(code, by="kiosk")
    refused = node.front_desk.scan(code, by="kiosk")
    assert admitted["badge_job"] and not refused["badge_job"]
    [job] = node.prints.waiting()
    assert job.job_id == admitted["badge_job"] and job.image is not None  # rendered once, at once


def test_the_badge_carries_the_name_company_and_conference_at_the_printers_width(node, hub):
    order_id = hub.hub.models.OrderView.select().first().order_id
    hub.http.put(f"/api/orders/{order_id}/seats/1", headers=hub.owner(order_id),
                 json={"first_name": "Grace", "last_name": "Hopper", "email": "g@example.org",
                       "company": "Navy"})
    hub.pump()
    node.sync_hub()
    job_id = node.front_desk.scan(tickets(hub)["Grace Hopper"], by="kiosk")["badge_job"]
    node.prints.run_due()
    image = node.printer.images[job_id]
    assert image.width == 384 and image.mode == "1"
    assert node.badges.company(node.prints.job(job_id).seat_id) == "Navy"
    assert node.badges.conference_name() == "CQRS Summit"


def test_a_printer_that_is_off_keeps_the_job_and_says_why_then_prints_it_once(node, hub):
    node.printer.unavailable_reason = "The printer is out of paper."
    job_id = node.front_desk.scan(tickets(hub)["Att0 Endee"], by="kiosk")["badge_job"]
    assert node.prints.run_due() == 0
    state = node.prints.state()
    assert (state.ready, state.reason, state.waiting) == (False, "The printer is out of paper.", 1)
    assert node.prints.job(job_id).last_problem == "The printer is out of paper."
    assert node.front_desk.status()["printer"]["reason"] == "The printer is out of paper."

    node.printer.unavailable_reason = None          # paper loaded
    assert node.prints.run_due() == 0               # still backing off
    node.prints.tick.now += retry_delay(1)
    assert node.prints.run_due() == 1
    assert node.prints.run_due() == 0               # printed once
    assert list(node.printer.jobs) == [job_id]
    [printed] = printed_events(node)
    assert (printed.job_id, printed.reprint, printed.by) == (job_id, False, "kiosk")
    assert node.prints.state().ready and node.prints.state().waiting == 0


def test_jobs_print_in_queue_order_and_a_failure_stops_the_round(node, hub):
    codes = tickets(hub)
    node.printer.unavailable_reason = "The printer at 10.0.0.40:9100 cannot be reached."
    first = node.front_desk.scan(codes["Att0 Endee"], by="kiosk")["badge_job"]
    second = node.front_desk.scan(codes["Att1 Endee"], by="kiosk")["badge_job"]
    node.prints.run_due()
    assert [j.attempts for j in node.prints.waiting()] == [1, 0]
    node.printer.unavailable_reason = None
    node.prints.retry_now()
    assert node.prints.run_due() == 2
    assert list(node.printer.jobs) == [first, second]


def test_backoff_doubles_up_to_thirty_seconds():
    assert [retry_delay(n) for n in (1, 2, 3, 4, 5, 6, 9)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_reprint_is_recorded_with_who_asked_and_the_kiosk_cannot_reprint(node, hub):
    job = node.front_desk.scan(tickets(hub)["Att0 Endee"], by="kiosk")
    seat_id = node.prints.job(job["badge_job"]).seat_id
    node.prints.run_due()
    reprint = node.front_desk.reprint(seat_id, by="Sam Staff")
    node.prints.run_due()
    first, second = printed_events(node)
    assert (second.job_id, second.reprint, second.by) == (reprint, True, "Sam Staff")
    assert not first.reprint
    with pytest.raises(DomainError) as refused:
        node.front_desk.reprint(seat_id, by="kiosk")
    assert refused.value.code == "staff_only"
    prints = node.front_desk.history(seat_id)["prints"]
    assert [(p["reprint"], p["by"]) for p in prints] == [(False, "kiosk"), (True, "Sam Staff")]


def test_jobs_survive_a_restart_of_the_node(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k")
    node.printer.unavailable_reason = "The printer is switched off."
    job_id = node.front_desk.scan(tickets(hub)["Att0 Endee"], by="kiosk")["badge_job"]
    node.prints.run_due()
    node.close()
    from onsite_node.service import NodeConfig, NodeService
    again = NodeService(NodeConfig(data_dir=str(tmp_path / "k"), discovery=False,
                                   printer={"kind": "dummy"}))
    assert again.prints.run_due() == 1 and list(again.printer.jobs) == [job_id]
    assert [e.job_id for e in printed_events(again)] == [job_id]
    again.close()


def test_the_worker_thread_prints_a_queued_badge(node, hub):
    node.prints.tick = lambda: 0.0
    worker = PrintWorker(node.prints).start()
    job_id = node.front_desk.scan(tickets(hub)["Att0 Endee"], by="kiosk")["badge_job"]
    assert wait_for(lambda: job_id in node.printer.jobs, timeout=10)
    worker.stop()
    assert not worker.running


def test_a_job_that_can_never_print_does_not_block_the_queue(node, hub):
    with node.replica.db.atomic():
        bad = node.prints.add_badge("x:0", "CT1-NOTATICKET", by="kiosk")
    good = node.front_desk.scan(tickets(hub)["Att0 Endee"], by="kiosk")["badge_job"]
    assert node.prints.run_due() == 1
    assert node.prints.job(bad).state == "failed" and good in node.printer.jobs


def test_a_test_badge_prints_without_a_fact_in_the_log(node):
    job_id = node.front_desk.print_test_badge(by="Sam Staff")
    node.prints.run_due()
    assert isinstance(node.printer.images[job_id], Image.Image)
    assert printed_events(node) == []


def test_the_folder_printer_is_the_default_and_a_wipe_removes_its_badges(hub, tmp_path):
    node = kiosk_node(hub, tmp_path / "k", printer=None)
    assert node.config.printer == {"kind": "folder", "path": str(tmp_path / "k" / "prints"),
                                   "paper_width_mm": 58}
    job_id = node.front_desk.scan(tickets(hub)["Att0 Endee"], by="kiosk")["badge_job"]
    node.prints.run_due()
    assert (tmp_path / "k" / "prints" / f"{job_id}.png").exists()
    node.wipe()
    assert not (tmp_path / "k" / "prints").exists()
