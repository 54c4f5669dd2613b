"""The hub's SMTP settings and public address, checked where they enter (docs/mail.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from email.headerregistry import Address
from urllib.parse import urlsplit

SECURITIES = ("none", "starttls", "tls")
USUAL_PORTS = {"none": 25, "starttls": 587, "tls": 465}
PASSWORD_ENV = "CONTOSO_SMTP_PASSWORD"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
NAME_MAX = 100
HOST_MAX = 253


class MailSettingsError(ValueError):
    """A setting that cannot work: said at start, never at the first mail."""


@dataclass(frozen=True)
class MailSettings:
    """Where mails go and in whose name. No smtp_host: nothing is sent, mails wait queued."""
    smtp_host: str = ""
    smtp_port: int | None = None        # None: the security's usual port (25, 587, 465)
    smtp_security: str = "starttls"     # none | starttls | tls (implicit TLS, "SMTPS")
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_timeout: float = 30.0          # seconds per SMTP operation
    smtp_ca_file: str = ""              # trust this CA bundle instead of the system's
    sender_address: str = ""            # the From address; required to send
    sender_name: str = "Contoso"        # From: "<conference name> via <sender_name>"

    def __post_init__(self):
        check(self)

    @property
    def sending(self) -> bool:
        """Whether an SMTP server is set: the worker sends only then."""
        return bool(self.smtp_host)

    @property
    def port(self) -> int:
        return self.smtp_port or USUAL_PORTS[self.smtp_security]


def check(settings: MailSettings) -> None:
    """Refuse settings that cannot work, with what to change."""
    s = settings
    if s.smtp_security not in SECURITIES:
        raise MailSettingsError(f"Unknown SMTP security {s.smtp_security!r}: use one of "
                                f"{', '.join(SECURITIES)}.")
    smtp_port(s.smtp_port)
    if s.smtp_host and (len(s.smtp_host) > HOST_MAX or any(c.isspace() for c in s.smtp_host)
                        or "/" in s.smtp_host):
        raise MailSettingsError(f"{s.smtp_host!r} is not a host name or address.")
    if bool(s.smtp_user) != bool(s.smtp_password):
        raise MailSettingsError("An SMTP user needs its password and a password its user "
                                f"(the password comes from ${PASSWORD_ENV} or "
                                "--smtp-password-file).")
    if s.smtp_password and s.smtp_security == "none" and s.smtp_host not in LOOPBACK:
        raise MailSettingsError("--smtp-security none would send the SMTP password "
                                "unencrypted: use starttls or tls.")
    if isinstance(s.smtp_timeout, bool) or not 1 <= s.smtp_timeout <= 600:
        raise MailSettingsError("The SMTP timeout is 1 to 600 seconds.")
    if s.smtp_ca_file and not os.path.isfile(s.smtp_ca_file):
        raise MailSettingsError(f"The CA file {s.smtp_ca_file!r} does not exist.")
    if s.sender_address:
        sender_address(s.sender_address)
    elif s.smtp_host:
        raise MailSettingsError("Sending mail needs a sender address (--mail-from).")
    if not s.sender_name.strip() or len(s.sender_name) > NAME_MAX \
            or any(c in s.sender_name for c in "\r\n"):
        raise MailSettingsError(f"The sender name is one line of 1 to {NAME_MAX} characters.")


def smtp_port(value: int | None) -> int | None:
    """A TCP port, 1 to 65535 (None: the usual one for the security)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise MailSettingsError(f"{value!r} is not a TCP port (1 to 65535).")
    return value


def sender_address(value: str) -> str:
    """One plain address (user@domain), as an SMTP envelope and a From header carry it."""
    try:
        address = Address(addr_spec=value)
    except (ValueError, IndexError, TypeError):
        address = None
    if address is None or address.addr_spec != value or not address.domain \
            or "." not in address.domain:
        raise MailSettingsError(f"{value!r} is not an e-mail address (user@example.org).")
    return value


def public_url(value: str) -> str:
    """The hub's address as registrants reach it: http(s)://host[:port][/prefix], no slash
    at the end; the links in mails start with it."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or parts.username or parts.password:
        raise MailSettingsError(f"{value!r} is not the hub's public address "
                                "(e.g. https://tickets.example.org).")
    try:
        parts.port
    except ValueError:
        raise MailSettingsError(f"{value!r} has a bad port.") from None
    return value.strip().rstrip("/")


def password_from(file: str | None, environ=os.environ) -> str:
    """The SMTP password: the first line of `file`, else $CONTOSO_SMTP_PASSWORD, else none;
    never a command-line argument (every user of the machine can read those)."""
    if file:
        try:
            with open(file, encoding="utf-8") as f:
                return f.readline().rstrip("\r\n")
        except OSError as e:
            raise MailSettingsError(f"Cannot read the SMTP password file {file!r}: "
                                    f"{e.strerror}.") from None
    return environ.get(PASSWORD_ENV, "")
