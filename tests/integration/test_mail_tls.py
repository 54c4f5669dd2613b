"""The sender speaks STARTTLS and implicit TLS, checks the server's certificate, and logs in:
against aiosmtpd with a certificate made for the test."""
import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from hub.mail.dev_server import DevSmtpServer
from hub.mail.sender import MailSender
from tests.support.clock import FakeClock
from tests.support.hub_api import HubClient, make_app
from tests.support.mail import outbox, received, settings_for

GA = "General admission"
# The implicit-TLS server requires AUTH without STARTTLS (its connection is TLS already).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1: (the server's context, the CA file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "contoso test mail")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context, str(cert_file)


logins = []


def authenticator(server, session, envelope, mechanism, auth_data):
    logins.append((auth_data.login, auth_data.password, session.ssl is not None))
    return AuthResult(success=auth_data.login == b"hub" and auth_data.password == b"s3cret",
                      handled=False)     # not handled: the server answers 535 itself


@pytest.fixture
def api(tmp_path):
    client = HubClient(make_app(tmp_path, FakeClock()))
    slug, ids, _ = client.create_conference()
    order_id = client.order(slug, {ids[GA]: 1})
    client.pump()
    client.registrant(order_id, "ada@example.org")
    client.pay(order_id)
    client.pump()
    yield client
    client.hub.close()


def test_starttls_with_a_login_sends_over_the_encrypted_connection(api, tmp_path, certificate):
    context, ca_file = certificate
    server = DevSmtpServer(str(tmp_path / "box"), tls_context=context, require_starttls=True,
                           authenticator=authenticator, auth_required=True).start()
    logins.clear()
    try:
        settings = settings_for(server, smtp_security="starttls", smtp_ca_file=ca_file,
                                smtp_user="hub", smtp_password="s3cret")
        assert MailSender(api.hub, settings).send_due().sent == 1
        assert logins == [(b"hub", b"s3cret", True)]
        assert [m["To"] for m in received(server)] == ["ada@example.org"]
    finally:
        server.stop()


def test_implicit_tls_sends_and_a_wrong_password_is_retried_later_not_lost(api, tmp_path,
                                                                           certificate):
    context, ca_file = certificate
    # aiosmtpd counts only STARTTLS as TLS for AUTH; this connection is TLS from the start.
    server = DevSmtpServer(str(tmp_path / "box"), ssl_context=context, auth_require_tls=False,
                           authenticator=authenticator, auth_required=True).start()
    try:
        wrong = settings_for(server, smtp_security="tls", smtp_ca_file=ca_file,
                             smtp_user="hub", smtp_password="wrong")
        outcome = MailSender(api.hub, wrong).send_due()
        assert outcome.trouble.startswith("535") and outcome.sent == 0
        [row] = outbox(api.hub)
        assert row.status == "queued" and row.attempts == 1
        right = settings_for(server, smtp_security="tls", smtp_ca_file=ca_file,
                             smtp_user="hub", smtp_password="s3cret")
        api.hub.clock.advance(minutes=1)
        assert MailSender(api.hub, right).send_due().sent == 1
        assert len(received(server)) == 1
    finally:
        server.stop()


def test_a_certificate_the_sender_does_not_trust_is_refused(api, tmp_path, certificate):
    context, _ = certificate
    server = DevSmtpServer(str(tmp_path / "box"), tls_context=context).start()
    try:
        untrusted = settings_for(server, smtp_security="starttls")    # the system's CAs
        outcome = MailSender(api.hub, untrusted).send_due()
        assert "CERTIFICATE_VERIFY_FAILED" in outcome.trouble
        assert not received(server) and outbox(api.hub)[0].status == "queued"
    finally:
        server.stop()
