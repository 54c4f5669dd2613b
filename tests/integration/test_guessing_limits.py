"""Guessing limits on the hub (hub/accounts/guesses.py): per (account, address), per address and kind
of secret, per account; nobody locks someone else out, and every 429 says when to retry."""
import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.accounts import guesses
from tests.support.admin import ADMIN_EMAIL, AdminPages, add_admin, admin_basic
from tests.support.clock import FakeClock
from tests.support.hub_api import CONFERENCE, make_app
from tests.support.pages import form_error

STRANGER, ADMIN_DESK, ELSEWHERE = "10.0.0.66", "10.0.0.7", "10.0.0.9"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def pages(tmp_path, clock):
    client = AdminPages(make_app(tmp_path, clock))
    auth = client.api.create_conference()[2]["Authorization"]
    client.owner_code = base64.b64decode(auth.split()[1]).decode().split(":", 1)[1]
    add_admin(client.hub)
    yield client
    client.hub.close()


def at(address):
    return {"environ_base": {"REMOTE_ADDR": address}}


def sign_in(pages, address, password="correct horse battery"):
    return AdminPages(pages.app).sign_in(password=password, **at(address))


def find_order(pages, address, email="ada@example.org", code="ZZZZZZ"):
    return pages.http.post("/api/orders/find", json={"email": email, "access_code": code},
                           **at(address))


def test_a_strangers_failures_do_not_stop_the_admin_at_another_address(pages):
    for _ in range(guesses.MAX_FAILURES):
        assert sign_in(pages, STRANGER, password="not the password").status_code == 401
    assert sign_in(pages, STRANGER).status_code == 429
    assert sign_in(pages, ADMIN_DESK).status_code == 302


def test_typos_of_order_codes_from_the_same_network_never_stop_an_admin_or_an_owner(pages):
    for n in range(guesses.ADDRESS_CEILING + 5):
        find_order(pages, STRANGER, email=f"someone{n}@example.org")
    assert find_order(pages, STRANGER).status_code == 429       # that address, that kind
    assert sign_in(pages, STRANGER).status_code == 302
    r = pages.http.post("/api/conferences/locate", json={
        "owner_email": CONFERENCE["owner_email"], "access_code": pages.owner_code},
        **at(STRANGER))
    assert r.status_code == 200


def test_a_guesser_is_stopped_and_told_when_to_retry_in_the_api(pages, clock):
    for _ in range(guesses.MAX_FAILURES):
        r = pages.http.get("/api/admin/conferences",
                           headers=admin_basic(password="a wrong guess"), **at(STRANGER))
        assert r.status_code == 401
    r = pages.http.get("/api/admin/conferences", headers=admin_basic(), **at(STRANGER))
    error = r.get_json()["error"]
    assert r.status_code == 429 and error["code"] == "too_many_attempts"
    wait = int(r.headers["Retry-After"])
    assert error["retry_after"] == wait and 0 < wait <= 15 * 60
    assert "Wait 15 minutes" in error["message"]
    clock.advance(seconds=wait - 1)
    assert pages.http.get("/api/admin/conferences", headers=admin_basic(),
                          **at(STRANGER)).status_code == 429
    clock.advance(seconds=1)
    assert pages.http.get("/api/admin/conferences", headers=admin_basic(),
                          **at(STRANGER)).status_code == 200


def test_the_sign_in_page_says_how_long_to_wait(pages, clock):
    for _ in range(guesses.MAX_FAILURES):
        clock.advance(minutes=2)
        sign_in(pages, STRANGER, password="a wrong guess")
    r = sign_in(pages, STRANGER)
    assert r.status_code == 429 and r.headers["Retry-After"] == str(7 * 60)
    assert "Too many failed sign-ins. Wait 7 minutes, then try again." == form_error(r)


def test_refused_tries_do_not_make_the_wait_longer(pages, clock):
    for _ in range(guesses.MAX_FAILURES):
        sign_in(pages, STRANGER, password="a wrong guess")
    wait = int(sign_in(pages, STRANGER).headers["Retry-After"])
    for _ in range(10):
        clock.advance(seconds=wait // 20)
        assert sign_in(pages, STRANGER).status_code == 429
    clock.advance(seconds=wait)
    assert sign_in(pages, STRANGER).status_code == 302


def test_a_success_starts_the_count_of_typos_again(pages):
    for _ in range(3):
        for _ in range(guesses.MAX_FAILURES - 1):
            assert sign_in(pages, ADMIN_DESK, password="typo").status_code == 401
        assert sign_in(pages, ADMIN_DESK).status_code == 302


def test_rotating_addresses_is_stopped_but_the_admins_own_desk_still_signs_in(pages, clock):
    assert sign_in(pages, ADMIN_DESK).status_code == 302        # the desk is known now
    for n in range(guesses.ACCOUNT_CEILING):
        assert sign_in(pages, f"192.0.2.{n}", password="guess").status_code == 401
    r = sign_in(pages, "192.0.2.250")       # a fresh address, even with the right password
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert sign_in(pages, ADMIN_DESK).status_code == 302
    clock.advance(minutes=16)               # and a new address waits one window at most
    assert sign_in(pages, ELSEWHERE).status_code == 302


def test_an_owners_access_code_is_limited_per_account_and_address_too(pages):
    body = {"owner_email": CONFERENCE["owner_email"], "access_code": "AAAAAA"}
    for _ in range(guesses.MAX_FAILURES):
        assert pages.http.post("/api/conferences/locate", json=body,
                               **at(STRANGER)).status_code == 401
    right = {**body, "access_code": pages.owner_code}
    r = pages.http.post("/api/conferences/locate", json=right, **at(STRANGER))
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert pages.http.post("/api/conferences/locate", json=right,
                           **at(ELSEWHERE)).status_code == 200


def test_the_organiser_page_says_how_long_to_wait(pages):
    form = {"owner_email": CONFERENCE["owner_email"], "access_code": "AAAAAA"}
    for _ in range(guesses.MAX_FAILURES):
        pages.post("/manage/locate", form, **at(STRANGER))
    r = pages.post("/manage/locate", {**form, "access_code": pages.owner_code}, **at(STRANGER))
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "Wait 15 minutes" in r.get_data(as_text=True)


tries = st.lists(st.tuples(st.sampled_from(["admin", "owner", "order"]),
                           st.sampled_from([ADMIN_EMAIL, "x@example.org", "y@example.org"]),
                           st.sampled_from([STRANGER, ELSEWHERE, "192.0.2.1", "192.0.2.2"])),
                 max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(failures=tries)
def test_no_failures_of_others_ever_refuse_the_admin_at_a_known_desk(pages, failures):
    hub = pages.hub
    hub.models.SignInAttempt.delete().execute()
    key = f"admin:{ADMIN_EMAIL}"
    guesses.remember(hub, key, ADMIN_DESK, succeeded=True)
    for kind, email, address in failures:
        guesses.remember(hub, f"{kind}:{email}", address, succeeded=False)
    assert guesses.seconds_to_wait(hub, key, ADMIN_DESK) == 0
