"""The business customers' pages through the Flask test client: create, locate, edit,
publish, seat types, and the orders and attendees lists."""
import csv
import io

import pytest

from tests.support.clock import FakeClock
from tests.support.hub_api import make_app
from tests.support.pages import PageClient, field_error, form_error, text, visible

CONFERENCE = {"name": "Offline First Conf", "slug": "offline26", "tagline": "Sync later",
              "description": "Talks about replicas.", "location": "Tampere",
              "start_date": "2026-09-10", "end_date": "2026-09-11", "twitter_search": "",
              "owner_name": "Aino Virtanen", "owner_email": "aino@example.org"}
SEAT_TYPE = {"name": "Full pass", "description": "Both days", "quantity": "40", "price": "99.50"}


@pytest.fixture
def pages(tmp_path):
    client = PageClient(make_app(tmp_path, FakeClock()))
    yield client
    client.hub.close()


def create(pages, **overrides) -> str:
    """Create a conference through the form; return its access code."""
    r = pages.post("/manage/new", {**CONFERENCE, **overrides})
    assert r.status_code == 302, visible(r)
    slug = overrides.get("slug", CONFERENCE["slug"])
    assert r.headers["Location"].endswith(f"/manage/{slug}/")
    return pages.hub.models.Conference.get(slug=slug).access_code


def add_seat_type(pages, slug="offline26", **overrides) -> str:
    r = pages.post(f"/manage/{slug}/seat-types/new", {**SEAT_TYPE, **overrides})
    assert r.status_code == 302, visible(r)
    pages.pump()
    S = pages.hub.models.SeatType
    return S.get(S.name == overrides.get("name", SEAT_TYPE["name"])).id


def stranger(pages) -> PageClient:
    """Another browser on the same hub: a fresh session."""
    other = PageClient.__new__(PageClient)
    other.app, other.hub, other.api = pages.app, pages.hub, pages.api
    other.http = pages.app.test_client()
    return other


# --- the entrance -------------------------------------------------------------------

def test_business_area_offers_to_create_or_locate(pages):
    page = pages.get("/manage/")
    assert page.status_code == 200
    assert 'href="/manage/new"' in text(page) and 'action="/manage/locate"' in text(page)


def test_create_shows_every_problem_next_to_its_field_and_keeps_the_input(pages):
    r = pages.post("/manage/new", {**CONFERENCE, "name": "X", "slug": "no spaces",
                                   "end_date": "2026-09-01", "owner_email": "aino"})
    assert r.status_code == 400
    assert field_error(r, "name") == "Name must be between 2 and 200 characters."
    assert field_error(r, "slug") == "Slug can only contain letters, digits and underscores."
    assert field_error(r, "end_date") == "End date must not be before the start date."
    assert field_error(r, "owner_email") == "Owner email is not a valid email address."
    assert field_error(r, "location") is None
    assert 'value="Tampere"' in text(r) and "Talks about replicas." in text(r)
    assert pages.hub.models.Conference.select().count() == 0


def test_create_gives_the_access_code_and_opens_the_conference(pages):
    code = create(pages)
    dashboard = pages.get("/manage/offline26/")
    words = visible(dashboard)
    assert "Your conference is created" in words and f'id="access-code">{code}<' in text(dashboard)
    assert "Not published" in words and "Publish" in words


def test_a_taken_slug_is_refused_next_to_the_slug(pages):
    create(pages)
    r = pages.post("/manage/new", {**CONFERENCE, "slug": "OFFLINE26"})
    assert r.status_code == 400
    assert field_error(r, "slug") == "Another conference uses this slug."


def test_locate_with_owner_email_and_access_code(pages):
    code = create(pages)
    other = stranger(pages)
    refused = other.get("/manage/offline26/")
    assert refused.headers["Location"].endswith("/manage/")
    assert "Sign in with the owner email" in visible(other.follow(refused))
    wrong = other.post("/manage/locate", {"owner_email": "aino@example.org", "access_code": "AAAAAA"})
    assert wrong.status_code == 400
    assert form_error(wrong) == "No conference has this owner email and access code."
    blank = other.post("/manage/locate", {"owner_email": "", "access_code": ""})
    assert field_error(blank, "owner_email") == "This field is required."
    found = other.post("/manage/locate", {"owner_email": "AINO@example.org",
                                          "access_code": code.lower()})
    assert found.headers["Location"].endswith("/manage/offline26/")
    assert other.get("/manage/offline26/").status_code == 200
    assert "Offline First Conf" in visible(other.get("/manage/"))  # remembered in the session


def test_an_unknown_slug_looks_like_one_you_may_not_open(pages):
    r = pages.get("/manage/nothing_here/orders")
    assert r.status_code == 302 and r.headers["Location"].endswith("/manage/")


def test_sign_out_forgets_the_conferences(pages):
    create(pages)
    pages.post("/manage/sign-out")
    assert pages.get("/manage/offline26/").status_code == 302


def replay(pages, cookie, path):
    """A request of another browser that holds a copy of the session cookie."""
    other = PageClient(pages.app)
    other.http.set_cookie("session", cookie)
    return other.get(path)


def test_sign_out_ends_the_session_for_a_copied_cookie_too(pages):
    create(pages)
    cookie = pages.http.get_cookie("session").value
    assert replay(pages, cookie, "/manage/offline26/").status_code == 200
    pages.post("/manage/sign-out")
    assert replay(pages, cookie, "/manage/offline26/").status_code == 302


def test_an_owner_session_ends_after_twelve_idle_hours(pages):
    create(pages)
    pages.hub.clock.advance(hours=11)
    assert pages.get("/manage/offline26/").status_code == 200
    pages.hub.clock.advance(hours=12, minutes=1)
    assert pages.get("/manage/offline26/").status_code == 302


def test_locating_after_sign_out_opens_the_conference_again(pages):
    code = create(pages)
    pages.post("/manage/sign-out")
    r = pages.post("/manage/locate", {"owner_email": CONFERENCE["owner_email"],
                                      "access_code": code})
    assert r.status_code == 302 and pages.get("/manage/offline26/").status_code == 200


# --- editing and publishing -----------------------------------------------------------

def test_edit_saves_valid_details_and_explains_invalid_ones(pages):
    create(pages)
    form = text(pages.get("/manage/offline26/edit"))
    assert 'value="Tampere"' in form and 'name="slug"' in form
    bad = pages.post("/manage/offline26/edit", {**CONFERENCE, "location": ""})
    assert bad.status_code == 400 and field_error(bad, "location") == "Location is required."
    ok = pages.post("/manage/offline26/edit", {**CONFERENCE, "slug": "offline_26",
                                               "location": "Helsinki"})
    assert ok.headers["Location"].endswith("/manage/offline_26/")
    assert "Helsinki" in visible(pages.follow(ok))


def test_publish_opens_registration_and_fixes_the_slug(pages):
    create(pages)
    add_seat_type(pages)
    assert "Offline First Conf" not in visible(pages.get("/"))
    pages.post("/manage/offline26/publish")
    assert "Offline First Conf" in visible(pages.get("/"))
    assert pages.get("/conferences/offline26").status_code == 200
    form = text(pages.get("/manage/offline26/edit"))
    assert 'name="slug"' not in form and "/conferences/offline26" in form
    saved = pages.post("/manage/offline26/edit", {**{k: v for k, v in CONFERENCE.items()
                                                     if k != "slug"}, "tagline": "New"})
    assert saved.status_code == 302
    pages.post("/manage/offline26/unpublish")
    assert pages.get("/conferences/offline26").status_code == 404
    assert "Not published" in visible(pages.get("/manage/offline26/"))


def test_publishing_without_seat_types_is_explained_on_the_page(pages):
    create(pages)
    r = pages.post("/manage/offline26/publish")
    assert "Add at least one seat type before publishing" in visible(pages.follow(r))
    assert not pages.hub.models.Conference.get(slug="offline26").is_published


def test_a_form_without_the_csrf_token_changes_nothing(pages):
    create(pages)
    r = pages.post("/manage/offline26/publish", csrf=False)
    assert r.status_code == 400 and "Nothing was changed" in visible(r)
    assert not pages.hub.models.Conference.get(slug="offline26").is_published


# --- seat types -------------------------------------------------------------------------

def test_seat_type_form_errors_are_shown_next_to_the_fields(pages):
    create(pages)
    r = pages.post("/manage/offline26/seat-types/new",
                   {"name": "A", "description": "", "quantity": "-1", "price": "abc"})
    assert r.status_code == 400
    assert field_error(r, "name") == "Name must be between 2 and 70 characters."
    assert "whole number" in field_error(r, "quantity")
    assert "Price must be" in field_error(r, "price")
    assert pages.hub.models.SeatType.select().count() == 0


def test_seat_types_are_added_edited_and_deleted_before_the_first_publish(pages):
    create(pages)
    seat_type = add_seat_type(pages)
    dashboard = visible(pages.get("/manage/offline26/"))
    assert "Full pass" in dashboard and "$99.50" in dashboard and "40 40" in dashboard
    form = text(pages.get(f"/manage/offline26/seat-types/{seat_type}/edit"))
    assert 'value="99.50"' in form
    pages.post(f"/manage/offline26/seat-types/{seat_type}/edit",
               {**SEAT_TYPE, "quantity": "45", "price": "120"})
    pages.pump()
    assert "$120.00 45 45" in visible(pages.get("/manage/offline26/"))
    assert f"/seat-types/{seat_type}/delete" in text(pages.get("/manage/offline26/"))
    pages.post(f"/manage/offline26/seat-types/{seat_type}/delete")
    assert "Full pass" not in visible(pages.get("/manage/offline26/"))


def test_seat_types_cannot_be_deleted_once_published(pages):
    create(pages)
    seat_type = add_seat_type(pages)
    pages.post("/manage/offline26/publish")
    pages.post("/manage/offline26/unpublish")
    dashboard = pages.get("/manage/offline26/")
    assert f"/seat-types/{seat_type}/delete" not in text(dashboard)
    r = pages.post(f"/manage/offline26/seat-types/{seat_type}/delete")
    assert "cannot be deleted" in visible(pages.follow(r))
    assert pages.hub.models.SeatType.select().count() == 1


def test_an_unknown_seat_type_is_a_404_page(pages):
    create(pages)
    r = pages.get("/manage/offline26/seat-types/nope/edit")
    assert r.status_code == 404 and "This conference has no such seat type." in visible(r)


# --- orders and attendees --------------------------------------------------------------

@pytest.fixture
def sold(pages):
    """A published conference with one confirmed order (two seats) and one only reserved."""
    create(pages)
    seat_type = add_seat_type(pages)
    pages.post("/manage/offline26/publish")
    api = pages.api
    paid = api.order("offline26", {seat_type: 2})
    waiting = api.order("offline26", {seat_type: 1})
    api.pump()
    api.registrant(paid, "mika@example.org")
    api.registrant(waiting, "lea@example.org")
    api.pay(paid)
    api.pump()
    for position, (name, company) in enumerate([("Mika", "Contoso"), ("=Sum", "Fabrikam")]):
        api.http.put(f"/api/orders/{paid}/seats/{position}", headers=api.owner(paid), json={
            "first_name": name, "last_name": "Laine", "email": f"{position}@example.org",
            "company": company})
    return seat_type


def test_orders_list_with_filters(pages, sold):
    everything = visible(pages.get("/manage/offline26/orders"))
    assert "2 orders" in everything and "mika@example.org" in everything
    assert "lea@example.org" in everything and "2 × Full pass" in everything
    confirmed = visible(pages.get("/manage/offline26/orders?status=confirmed"))
    assert "1 order" in confirmed and "lea@example.org" not in confirmed and "Paid" in confirmed
    by_email = visible(pages.get("/manage/offline26/orders?email=LEA@example.org"))
    assert "1 order" in by_email and "Reserved" in by_email
    too_long = pages.get("/manage/offline26/orders?email=" + "x" * 300)
    assert too_long.status_code == 400 and too_long.content_type.startswith("text/html")


def test_attendees_list_with_filters_and_csv_export(pages, sold):
    page = visible(pages.get("/manage/offline26/attendees"))
    assert "2 seats sold" in page and "Mika Laine" in page and "Fabrikam" in page
    filtered = pages.get("/manage/offline26/attendees?q=contoso")
    assert "1 seat sold" in visible(filtered)
    assert 'href="/manage/offline26/attendees.csv?q=contoso"' in text(filtered)
    export = pages.get("/manage/offline26/attendees.csv")
    assert export.content_type.startswith("text/csv")
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text(export))))
    assert [r["company"] for r in rows] == ["Fabrikam", "Contoso"]
    assert rows[0]["first_name"] == "'=Sum"                      # never a spreadsheet formula
    by_type = pages.get(f"/manage/offline26/attendees.csv?seat_type={sold}&q=fabrikam")
    assert len(list(csv.DictReader(io.StringIO(text(by_type))))) == 1


def test_lists_need_the_owner_session(pages, sold):
    other = stranger(pages)
    for path in ("/manage/offline26/orders", "/manage/offline26/attendees.csv"):
        r = other.get(path)
        assert r.status_code == 302 and r.headers["Location"].endswith("/manage/")


def test_a_quantity_below_what_is_sold_is_explained_beside_the_field(pages, sold):
    r = pages.post(f"/manage/offline26/seat-types/{sold}/edit", {**SEAT_TYPE, "quantity": "1"})
    assert r.status_code == 400
    assert "2 seats of this type already sold" in field_error(r, "quantity")
    assert pages.hub.models.SeatType.get_by_id(sold).quantity == 40


def test_form_fields_carry_the_documented_maxima(pages):
    import re
    from shared_domain import limits
    create(pages)

    def maxlength(page, name):
        tag = re.search(r'<(?:input|textarea)[^>]*name="%s"[^>]*>' % name, text(page))
        return int(re.search(r'maxlength="(\d+)"', tag.group(0)).group(1))

    form = pages.get("/manage/offline26/edit")
    for name, limit in (("name", limits.CONFERENCE_NAME_MAX), ("slug", limits.SLUG_MAX),
                        ("description", limits.CONFERENCE_DESCRIPTION_MAX),
                        ("location", limits.LOCATION_MAX), ("owner_email", limits.EMAIL_MAX)):
        assert maxlength(form, name) == limit, name
    seat_form = pages.get("/manage/offline26/seat-types/new")
    assert maxlength(seat_form, "name") == limits.SEAT_TYPE_NAME_MAX
    assert maxlength(seat_form, "description") == limits.SEAT_TYPE_DESCRIPTION_MAX
    assert maxlength(pages.get("/manage/"), "owner_email") == limits.EMAIL_MAX
