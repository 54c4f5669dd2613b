"""The business pages refuse what the management API refuses, for the same reason: both call
the same service function (hub/conferences/management.py, hub/orders/order_management.py),
and the page shows the refusal's own message. Each case is tried both ways on one hub."""
import html

import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import CONFERENCE, basic, make_app
from tests.support.pages import PageClient, visible

GA = "General admission"
SLUG = CONFERENCE["slug"]


@pytest.fixture
def owner(tmp_path):
    pages = PageClient(make_app(tmp_path, FakeClock()))
    pages.slug, pages.ids, pages.auth = pages.api.create_conference()
    code = pages.hub.models.Conference.get(slug=SLUG).access_code
    assert pages.post("/manage/locate", {"owner_email": CONFERENCE["owner_email"],
                                         "access_code": code}).status_code == 302
    yield pages
    pages.hub.close()


def api_refusal(owner, method, path, body=None):
    r = owner.api.http.open(path, method=method, headers=owner.auth,
                            **({"json": body} if body is not None else {}))
    assert r.status_code in (400, 409), (path, r.get_json())
    error = r.get_json()["error"]
    return error["code"], error.get("fields", {}), error["message"]


def shown(page) -> str:
    """What the page says, as one text (a redirect's next page included)."""
    return html.unescape(visible(page))


def sold_two(owner):
    api = owner.api
    order_id = api.order(SLUG, {owner.ids[GA]: 2})
    api.pump()
    api.registrant(order_id)
    api.pay(order_id)
    api.pump()
    return order_id


def test_a_quantity_below_what_is_sold(owner):
    sold_two(owner)
    seat_type = owner.ids[GA]
    body = {"name": GA, "description": "All talks", "quantity": 1, "price": 199}
    code, fields, _ = api_refusal(owner, "PUT", f"/api/conferences/{SLUG}/seat-types/{seat_type}",
                                  body)
    assert code == "quantity_below_sold"
    page = owner.post(f"/manage/{SLUG}/seat-types/{seat_type}/edit",
                      {**body, "quantity": "1", "price": "199"})
    assert page.status_code == 400 and fields["quantity"] in shown(page)


def test_publishing_with_no_seat_types(owner):
    r = owner.api.http.post("/api/conferences", json={**CONFERENCE, "slug": "empty26"})
    auth = basic(CONFERENCE["owner_email"], r.get_json()["access_code"])
    api = owner.api.http.post("/api/conferences/empty26/publish", headers=auth)
    assert (api.status_code, api.get_json()["error"]["code"]) == (409, "no_seat_types")
    owner.post("/manage/locate", {"owner_email": CONFERENCE["owner_email"],
                                  "access_code": r.get_json()["access_code"]})
    page = owner.follow(owner.post("/manage/empty26/publish"))
    assert api.get_json()["error"]["message"] in shown(page)


def test_deleting_a_seat_type_once_published(owner):
    seat_type = owner.ids[GA]
    code, _, message = api_refusal(owner, "DELETE",
                                   f"/api/conferences/{SLUG}/seat-types/{seat_type}")
    assert code == "seat_type_in_use"
    page = owner.follow(owner.post(f"/manage/{SLUG}/seat-types/{seat_type}/delete"))
    assert message in shown(page)


def test_changing_the_slug_once_published(owner):
    """The form shows the slug fixed; a form that sends one anyway is told why, beside it."""
    code, _, message = api_refusal(owner, "PUT", f"/api/conferences/{SLUG}", {"slug": "other"})
    assert code == "slug_locked"
    page = owner.post(f"/manage/{SLUG}/edit", {**CONFERENCE, "slug": "other"})
    assert page.status_code == 400 and message in shown(page)


def test_a_cancellation_deadline_after_the_conference(owner):
    body = {"cancellation_deadline": "2026-07-01T00:00"}
    code, fields, _ = api_refusal(owner, "PUT", f"/api/conferences/{SLUG}", body)
    page = owner.post(f"/manage/{SLUG}/edit", {**CONFERENCE, **body})
    assert page.status_code == 400 and fields["cancellation_deadline"] in shown(page)


def test_marking_a_paid_order_paid_again(owner):
    order_id = sold_two(owner)
    code, _, message = api_refusal(owner, "POST",
                                   f"/api/conferences/{SLUG}/orders/{order_id}/invoice-payment",
                                   {"invoice_reference": "INV-1"})
    assert code == "already_paid"
    page = owner.post(f"/manage/{SLUG}/orders/{order_id}/invoice-payment",
                      {"invoice_reference": "INV-1"})
    assert page.status_code == 409 and message in shown(page)


def test_cancelling_an_expired_order(owner):
    order_id = owner.api.order(SLUG, {owner.ids[GA]: 1})
    owner.pump()
    owner.hub.clock.advance(minutes=25)
    owner.pump()
    code, _, message = api_refusal(owner, "POST",
                                   f"/api/conferences/{SLUG}/orders/{order_id}/cancel")
    assert code == "order_expired"
    page = owner.post(f"/manage/{SLUG}/orders/{order_id}/cancel", {})
    assert page.status_code == 409 and message in shown(page)
