"""The mail outbox's rules without a server: settings checked at start, the backoff, what a
mail says in text and HTML, the addresses a mail can carry, the message sent on every try."""
import datetime as dt
import email.policy
from types import SimpleNamespace

import pytest

from hub.mail import content, delivery
from hub.mail.message import email_message
from hub.mail.outbox import message_id, usable_address
from hub.mail.settings import MailSettings, MailSettingsError, password_from, public_url


@pytest.mark.parametrize("settings, says", [
    ({"smtp_security": "ssl"}, "Unknown SMTP security 'ssl'"),
    ({"smtp_port": 0}, "is not a TCP port"),
    ({"smtp_port": 70000}, "is not a TCP port"),
    ({"smtp_host": "mail example.org"}, "is not a host name"),
    ({"smtp_host": "mail.example.org"}, "needs a sender address"),
    ({"smtp_host": "mail.example.org", "sender_address": "not an address"},
     "is not an e-mail address"),
    ({"smtp_user": "bob"}, "needs its password"),
    ({"smtp_host": "mail.example.org", "sender_address": "t@example.org", "smtp_user": "bob",
      "smtp_password": "pw", "smtp_security": "none"}, "unencrypted"),
    ({"smtp_timeout": 0}, "1 to 600 seconds"),
    ({"smtp_ca_file": "/no/such/file"}, "does not exist"),
    ({"sender_name": "Two\nlines"}, "one line"),
])
def test_settings_that_cannot_work_are_refused_saying_what_to_change(settings, says):
    with pytest.raises(MailSettingsError, match=says):
        MailSettings(**settings)


def test_the_port_follows_the_security_unless_set_and_a_password_stays_out_of_repr():
    assert MailSettings(smtp_security="tls").port == 465
    assert MailSettings(smtp_security="starttls").port == 587
    assert MailSettings(smtp_security="none", smtp_port=2525).port == 2525
    quiet = MailSettings(smtp_host="m.example.org", sender_address="t@example.org",
                         smtp_user="bob", smtp_password="s3cret")
    assert "s3cret" not in repr(quiet) and quiet.sending
    assert not MailSettings().sending


def test_the_password_comes_from_its_file_else_the_environment(tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("from the file\nsecond line\n")
    assert password_from(str(secret), {"CONTOSO_SMTP_PASSWORD": "env"}) == "from the file"
    assert password_from(None, {"CONTOSO_SMTP_PASSWORD": "env"}) == "env"
    assert password_from(None, {}) == ""
    with pytest.raises(MailSettingsError, match="Cannot read"):
        password_from(str(tmp_path / "missing"), {})


@pytest.mark.parametrize("url, kept", [("https://tickets.example.org/", "https://tickets.example.org"),
                                       ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
                                       ("https://example.org/hub", "https://example.org/hub")])
def test_a_public_url_is_kept_without_its_last_slash(url, kept):
    assert public_url(url) == kept


@pytest.mark.parametrize("url", ["ftp://example.org", "example.org", "https://", "https://x/?a=1",
                                 "https://u:p@example.org", "http://example.org:99999"])
def test_a_public_url_that_would_make_broken_links_is_refused(url):
    with pytest.raises(MailSettingsError):
        public_url(url)


def test_the_backoff_doubles_from_30_seconds_to_an_hour_with_a_quarter_of_jitter():
    middle = [delivery.backoff(n, 0.5).total_seconds() for n in range(1, 10)]
    assert middle == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert delivery.backoff(1, 0.0).total_seconds() == 22.5
    assert delivery.backoff(1, 1.0).total_seconds() == 37.5
    assert delivery.backoff(10_000, 1.0) == delivery.MAX_DELAY * 1.25
    # Tried at least this often before a day of failures fails a mail: an hour of an SMTP
    # server down is about six attempts, and nothing is given up.
    elapsed, tries = dt.timedelta(), 0
    while elapsed < delivery.GIVE_UP_AFTER:
        tries += 1
        elapsed += delivery.backoff(tries, 1.0)
    assert tries >= 20


def test_every_value_is_escaped_in_the_html_and_kept_as_it_is_in_the_text():
    hostile = '<script>alert("x")</script> & \'quotes\''
    mail = content.render(hostile, f"Subject\r\nBcc: victim@example.org {hostile}", hostile,
                          [content.Paragraph(hostile), content.Rows(((hostile, hostile),)),
                           content.Code(hostile, hostile),
                           content.Link(hostile, 'https://x.example/?a="><script>')],
                          hostile)
    assert "<script>" not in mail.html and '"><script>' not in mail.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in mail.html
    assert 'href="https://x.example/?a=&quot;&gt;&lt;script&gt;"' in mail.html
    assert mail.text.count(hostile) == 9      # every value given, once each
    assert "\n" not in mail.subject and "\r" not in mail.subject


@pytest.mark.parametrize("address, usable", [
    ("ada@example.org", True), ("josé.müller@example.org", True), ("a+tag@sub.example.org", True),
    ("odd,one@example.org", False), ("two@example.org, three@example.org", False),
    ("<x>@example.org", False), ('"quoted"@example.org', False), ("a@localhost", False),
    ("a..b@example.org", False), ("a@example.org\r\nBcc: b@example.org", False), ("", False)])
def test_only_one_plain_address_is_written_in_a_mail(address, usable):
    assert usable_address(address) is usable


def test_a_message_id_is_made_from_the_row_and_the_hubs_host():
    assert message_id("01ab", "https://tickets.example.org") == "<mail-01ab@tickets.example.org>"
    assert message_id("01ab", "http://127.0.0.1:8000") == "<mail-01ab@127.0.0.1>"
    assert message_id("01ab", "http://[::1]:8000") == "<mail-01ab@[::1]>"


def test_the_message_is_the_same_on_every_attempt_and_in_the_conferences_name():
    row = SimpleNamespace(conference_name='Summit "2026", Redmond', recipient="ada@example.org",
                          subject="Your order", created_at="2026-05-04T09:00:00+00:00",
                          message_id="<mail-1@tickets.example.org>", kind="order_confirmation",
                          text_body="Hello\n", html_body="<p>Hello</p>\n")
    settings = MailSettings(sender_address="tickets@example.org")
    first, again = (email_message(row, settings, []).as_bytes(policy=email.policy.SMTP)
                    for _ in range(2))
    assert first == again
    message = email_message(row, settings, [])
    assert message["From"].addresses[0].display_name == 'Summit "2026", Redmond via Contoso'
    assert message["From"].addresses[0].addr_spec == "tickets@example.org"
    assert message["Date"] == "Mon, 04 May 2026 09:00:00 +0000"
    assert message["Auto-Submitted"] == "auto-generated"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
