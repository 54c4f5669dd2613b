"""Hub admin accounts: sign-in, sign-out, idle timeout, rate limit, CSRF, and nothing else
(no business customer's access code or session) ever opens an admin page or call."""
import io
import logging
import sys

import pytest

import contoso
from hub.accounts import admins
from hub.accounts import guesses
from tests.support.admin import ADMIN_EMAIL, ADMIN_PASSWORD, AdminPages, add_admin, admin_basic
from tests.support.clock import FakeClock
from tests.support.hub_api import CONFERENCE, basic, make_app
from tests.support.pages import form_error, text, visible

ADMIN_PAGES = ["/admin/", "/admin/conflicts/", "/admin/conferences/cqrs2026/nodes/",
               "/admin/conferences/cqrs2026/dashboard/"]
ADMIN_GETS = ["/api/admin/conferences", "/api/admin/conflicts",
              "/api/admin/conferences/cqrs2026/nodes", "/api/admin/conferences/cqrs2026/dashboard"]
ADMIN_POSTS = ["/api/admin/conferences/cqrs2026/nodes", "/api/admin/conflicts/bulk-resolve",
               "/api/admin/conflicts/" + "0" * 64 + "/resolve"]


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def pages(tmp_path, clock):
    client = AdminPages(make_app(tmp_path, clock))
    _, _, client.owner_auth = client.api.create_conference()
    add_admin(client.hub)
    yield client
    client.hub.close()


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_an_admin_page_sends_a_stranger_to_sign_in_and_back(pages, path):
    r = pages.get(path)
    assert r.status_code == 302 and r.headers["Location"].startswith("/admin/login?next=")
    r = pages.post(r.headers["Location"], {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == path
    assert pages.get(path).status_code == 200


@pytest.mark.parametrize("part", ["nodes/", "dashboard/", "orders/", "mail/"])
def test_a_stranger_learns_nothing_of_which_conferences_exist(pages, part):
    real, unknown = (pages.get(f"/admin/conferences/{slug}/{part}")
                     for slug in ("cqrs2026", "no_such_conference"))
    assert real.status_code == unknown.status_code == 302
    assert real.headers["Location"].startswith("/admin/login?next=")
    assert unknown.headers["Location"].startswith("/admin/login?next=")
    pages.sign_in()
    assert pages.get(f"/admin/conferences/no_such_conference/{part}").status_code == 404


@pytest.mark.parametrize("path", ADMIN_GETS)
def test_an_admin_api_call_without_credentials_is_401_with_a_challenge(pages, path):
    r = pages.get(path)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "unauthorized"
    assert r.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_an_admin_api_change_without_credentials_is_401(pages, path):
    assert pages.http.post(path, json={}).status_code == 401


@pytest.mark.parametrize("path", ADMIN_GETS)
def test_basic_auth_with_an_admin_password_opens_the_api(pages, path):
    assert pages.get(path, headers=admin_basic()).status_code == 200


def test_a_wrong_password_is_refused_on_the_page_and_in_the_api(pages):
    r = pages.sign_in(password="not the password")
    assert r.status_code == 401 and "email or password is wrong" in visible(r)
    assert pages.get("/admin/").status_code == 302
    assert pages.get("/api/admin/conferences",
                     headers=admin_basic(password="nope")).status_code == 401


def test_a_business_customers_access_code_never_opens_admin_pages(pages):
    for path in ADMIN_GETS:
        assert pages.get(path, headers=pages.owner_auth).status_code == 401
    # An owner session (signed in at /manage/) is not an admin session.
    access_code = pages.hub.models.Conference.get().access_code
    r = pages.post("/manage/locate", {"owner_email": CONFERENCE["owner_email"],
                                      "access_code": access_code})
    assert r.status_code == 302
    for path in ADMIN_PAGES:
        assert pages.get(path).status_code == 302
    assert pages.sign_in(email=CONFERENCE["owner_email"], password=access_code).status_code == 401


def test_failed_sign_ins_are_rate_limited_per_email_and_logged(pages, caplog):
    caplog.set_level(logging.WARNING, logger="hub.admin")
    for _ in range(admins.MAX_FAILURES):
        assert pages.sign_in(password="wrong password").status_code == 401
    r = pages.sign_in()  # even the right password waits now
    assert r.status_code == 429 and "Too many failed sign-ins" in form_error(r)
    assert pages.get("/api/admin/conferences", headers=admin_basic()).status_code == 429
    failures = [rec for rec in caplog.records if "sign-in failed" in rec.getMessage()]
    assert len(failures) == admins.MAX_FAILURES and ADMIN_EMAIL in failures[0].getMessage()


def test_the_rate_limit_ends_after_the_window(pages, clock):
    for _ in range(admins.MAX_FAILURES):
        pages.sign_in(password="wrong password")
    clock.advance(minutes=16)
    assert pages.sign_in().status_code == 302


def test_failed_sign_ins_are_rate_limited_per_client_address(pages):
    for n in range(guesses.ADDRESS_CEILING):
        pages.sign_in(email=f"guess{n}@example.org", password="whatever it is")
    r = pages.sign_in()     # this address never signed in: it sprayed, it waits
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    other_client = AdminPages(pages.app)
    r = other_client.sign_in(environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert r.status_code == 302


def test_sign_out_ends_the_session(pages):
    pages.sign_in()
    assert pages.get("/admin/").status_code == 200
    r = pages.post("/admin/logout")
    assert r.status_code == 302
    assert pages.get("/admin/").status_code == 302


def copied_cookie(pages):
    return pages.http.get_cookie("session").value


def replay(pages, cookie, path="/admin/"):
    """A request of another browser that holds a copy of the session cookie."""
    other = AdminPages(pages.app)
    other.http.set_cookie("session", cookie)
    return other.get(path)


def test_sign_out_ends_the_session_for_a_copied_cookie_too(pages):
    pages.sign_in()
    cookie = copied_cookie(pages)
    assert replay(pages, cookie).status_code == 200
    pages.post("/admin/logout")
    assert replay(pages, cookie).status_code == 302
    assert replay(pages, cookie, "/api/admin/conferences").status_code == 401


def test_an_idle_session_is_over_for_a_copied_cookie_too(pages, clock):
    pages.sign_in()
    cookie = copied_cookie(pages)
    clock.advance(minutes=31)
    assert pages.get("/admin/").status_code == 302
    clock.advance(minutes=-31)          # even if the clock went back
    assert replay(pages, cookie).status_code == 302


def test_an_idle_session_times_out_after_thirty_minutes(pages, clock):
    pages.sign_in()
    clock.advance(minutes=29)
    assert pages.get("/admin/").status_code == 200   # activity: the clock starts again
    clock.advance(minutes=29)
    assert pages.get("/admin/").status_code == 200
    clock.advance(minutes=31)
    r = pages.get("/admin/")
    assert r.status_code == 302
    assert "signed out after 30 minutes" in visible(pages.follow(r))
    assert pages.get("/api/admin/conferences").status_code == 401


def test_forms_without_the_csrf_token_are_refused(pages):
    r = pages.post("/admin/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                   csrf=False)
    assert r.status_code == 400 and "Nothing was changed" in text(r)
    pages.sign_in()
    r = pages.post("/admin/conferences/cqrs2026/nodes/", {"name": "Door A"}, csrf=False)
    assert r.status_code == 400
    assert pages.hub.models.Node.select().count() == 0


def test_session_api_changes_need_the_csrf_header_basic_ones_do_not(pages):
    pages.sign_in()
    r = pages.api_post("/api/admin/conferences/cqrs2026/nodes", {"name": "Door A"}, csrf=False)
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "csrf_refused"
    assert pages.api_post("/api/admin/conferences/cqrs2026/nodes",
                          {"name": "Door A"}).status_code == 201
    r = pages.app.test_client().post("/api/admin/conferences/cqrs2026/nodes",
                                     json={"name": "Door B"}, headers=admin_basic())
    assert r.status_code == 201


def test_sign_in_never_redirects_to_another_site(pages):
    r = pages.post("/admin/login?next=https://evil.example/admin/",
                   {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert r.headers["Location"] == "/admin/"


def test_session_cookies_are_samesite_lax_and_http_only_but_not_secure_by_default(pages):
    cookie = pages.sign_in().headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie and "Secure" not in cookie


def test_secure_cookies_marks_the_session_cookie_secure(tmp_path, clock):
    client = AdminPages(make_app(tmp_path, clock, secure_cookies=True))
    add_admin(client.hub)
    cookie = client.sign_in().headers["Set-Cookie"]
    assert "Secure" in cookie and "SameSite=Lax" in cookie
    client.hub.close()


def test_the_run_command_takes_secure_cookies(tmp_path):
    import argparse

    from hub import cli
    parser = argparse.ArgumentParser()
    cli.add_commands(parser)
    args = parser.parse_args(["run", "--data-dir", str(tmp_path), "--secure-cookies"])
    assert cli.config_from(args).secure_cookies is True
    args = parser.parse_args(["run", "--data-dir", str(tmp_path)])
    assert cli.config_from(args).secure_cookies is False


def test_create_admin_from_the_command_line(tmp_path, monkeypatch, capsys):
    data = tmp_path / "hub"
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough password\n"))
    assert contoso.main(["hub", "create-admin", "--data-dir", str(data), "--email",
                         "Root@Contoso.example", "--password-stdin"]) == 0
    assert "root@contoso.example created" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert contoso.main(["hub", "create-admin", "--data-dir", str(data), "--email",
                         "two@contoso.example", "--password-stdin"]) == 2
    app = make_app(tmp_path, FakeClock())
    client = AdminPages(app)
    assert client.sign_in(email="root@contoso.example",
                          password="a long enough password").status_code == 302
    stored = client.hub.models.AdminUser.get()
    assert stored.password_hash.startswith(("scrypt:", "pbkdf2:"))
    client.hub.close()


def test_an_owner_basic_header_on_the_owner_api_still_works(pages):
    # Admin auth lives beside the owners' and changes nothing for them.
    assert pages.get("/api/conferences/cqrs2026/manage",
                     headers=pages.owner_auth).status_code == 200
    assert pages.get("/api/conferences/cqrs2026/manage",
                     headers=basic(ADMIN_EMAIL, ADMIN_PASSWORD)).status_code == 401
