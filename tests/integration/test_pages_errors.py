"""Refusals and error pages of the hub's web pages: CSRF, 404 and 500 in the site's style,
while the JSON API keeps its own JSON errors."""
import re

import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.pages import PageClient, text, visible

GA = "General admission"
DRAFT = {"slug": "draft1", "name": "Draft conference", "description": "Not yet",
         "location": "Oslo", "start_date": "2026-09-01", "end_date": "2026-09-02",
         "owner_name": "Kari", "owner_email": "kari@example.org"}


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def pages(tmp_path, clock):
    client = PageClient(make_app(tmp_path, clock))
    yield client
    client.hub.close()


@pytest.fixture
def conference(pages):
    return pages.api.create_conference()


def test_forms_carry_the_session_csrf_token(pages, conference):
    slug, _, _ = conference
    page = text(pages.get(f"/conferences/{slug}"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert token == pages.token()


def test_a_form_without_or_with_a_wrong_csrf_token_changes_nothing(pages, conference):
    slug, ids, _ = conference
    pages.get(f"/conferences/{slug}")
    seats = {f"seat_{ids[GA]}": "1"}
    for form in (seats, {**seats, "csrf_token": "forged"}):
        r = pages.post(f"/conferences/{slug}/orders", form, csrf=False)
        assert r.status_code == 400
        assert "Nothing was changed" in visible(r)
    assert pages.hub.models.OrderView.select().count() == 0
    api = pages.http.post(f"/api/conferences/{slug}/orders",
                          json={"seats": [{"seat_type": ids[GA], "quantity": 1}]})
    assert api.status_code == 202                                # the JSON API has no CSRF check


def test_server_errors_get_a_page_and_api_errors_stay_json(tmp_path, clock):
    app = make_app(tmp_path, clock)

    @app.get("/explode")
    def explode():
        raise RuntimeError("boom")

    @app.get("/api/explode")
    def explode_api():
        raise RuntimeError("boom")

    http = app.test_client()
    page = http.get("/explode")
    assert page.status_code == 500 and "Something went wrong on our side" in visible(page)
    assert "boom" not in text(page)
    api = http.get("/api/explode")
    assert api.status_code == 500 and api.get_json()["error"]["code"] == "internal_server_error"
    assert http.get("/api/nowhere").get_json()["error"]["code"] == "not_found"
    assert http.get("/sync/v1/nowhere").is_json                 # machines never get pages
    app.extensions["contoso_hub"].close()


def test_unknown_or_unpublished_conference_is_a_404_page(pages):
    pages.api.http.post("/api/conferences", json=DRAFT)
    for path in ("/conferences/nope", "/conferences/draft1"):
        page = pages.get(path)
        assert page.status_code == 404
        assert page.content_type.startswith("text/html")
        assert "Page not found" in visible(page)


def test_unknown_order_is_a_404_page(pages):
    for path in ("/orders/0000/details", "/orders/0000", "/processor/payments/0000"):
        page = pages.get(path)
        assert page.status_code == 404 and "<h1>" in text(page), path
