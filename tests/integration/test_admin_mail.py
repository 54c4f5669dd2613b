"""The admin's mail outbox page: a conference's mails with their error and next attempt, and a
Retry that queues a failed mail again (signed-in admin, CSRF)."""
import pytest

from hub.mail.models import FAILED, QUEUED, SENT
from tests.support.admin import AdminPages, add_admin
from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.mail import outbox, received, sender_for, smtp_server  # noqa: F401
from tests.support.pages import text, visible

GA = "General admission"


@pytest.fixture
def admin(tmp_path):
    clock = FakeClock()
    pages = AdminPages(make_app(tmp_path, clock))
    pages.clock = clock
    add_admin(pages.hub)
    pages.sign_in()
    yield pages
    pages.hub.close()


def confirmed(admin, email, slug="cqrs2026", name="CQRS Summit"):
    api = admin.api
    _, ids, _ = api.create_conference(slug=slug, name=name)
    order_id = api.order(slug, {ids[GA]: 1})
    api.pump()
    api.registrant(order_id, email)
    api.pay(order_id)
    api.pump()
    return order_id


def test_the_page_lists_a_conferences_mails_with_their_error_and_next_attempt(
        admin, smtp_server):
    confirmed(admin, "ada@example.org")
    confirmed(admin, "other@example.org", slug="other", name="Other Summit")
    smtp_server.stop()
    sender_for(admin.hub, smtp_server).send_due()
    page = admin.get("/admin/conferences/cqrs2026/mail/")
    assert page.status_code == 200
    words = visible(page)
    assert "ada@example.org" in words and "other@example.org" not in words
    assert "Order confirmation" in words and "Your order for CQRS Summit is confirmed" in words
    assert "ConnectionRefusedError" in words
    assert "next attempt 2026-05-04 09:00:30" in words
    assert page.headers["Cache-Control"] == "no-store"


def test_retry_queues_a_failed_mail_again_and_it_is_sent(admin, smtp_server):
    confirmed(admin, "ada@example.org")
    M = admin.hub.models.MailOutbox
    M.update(status=FAILED, last_error="550 no such user").execute()
    page = admin.get("/admin/conferences/cqrs2026/mail/?status=failed")
    assert "550 no such user" in visible(page) and ">Retry</button>" in text(page)
    [row] = outbox(admin.hub)
    done = admin.follow(admin.post(f"/admin/conferences/cqrs2026/mail/{row.id}/retry"))
    assert "queued again" in visible(done)
    [row] = outbox(admin.hub)
    assert (row.status, row.retried_by, row.failing_since) == (QUEUED, "admin@contoso.example",
                                                               None)
    assert sender_for(admin.hub, smtp_server).send_due().sent == 1
    assert outbox(admin.hub)[0].status == SENT and len(received(smtp_server)) == 1


def test_retry_refuses_without_csrf_a_mail_not_failed_and_another_conferences_mail(admin):
    confirmed(admin, "ada@example.org")
    confirmed(admin, "other@example.org", slug="other", name="Other Summit")
    ours, theirs = outbox(admin.hub)
    assert admin.post(f"/admin/conferences/cqrs2026/mail/{ours.id}/retry",
                      csrf=False).status_code == 400
    assert admin.post(f"/admin/conferences/cqrs2026/mail/{ours.id}/retry").status_code == 409
    assert admin.post(f"/admin/conferences/cqrs2026/mail/{theirs.id}/retry").status_code == 404
    assert admin.post(f"/admin/conferences/cqrs2026/mail/{'x' * 500}/retry").status_code == 404
    assert [r.status for r in outbox(admin.hub)] == [QUEUED, QUEUED]


def test_a_stranger_is_sent_to_sign_in(tmp_path):
    pages = AdminPages(make_app(tmp_path, FakeClock()))
    try:
        pages.api.create_conference()
        r = pages.get("/admin/conferences/cqrs2026/mail/")
        assert r.status_code == 302 and "/admin/login" in r.headers["Location"]
    finally:
        pages.hub.close()
