"""Ticket codes: a seat's payload signed with Ed25519, compact enough for a small QR code.

Format v1 (docs/tickets.md has the reasons and an example)::

    code    = "CT1-" + BASE32(body)        RFC 4648 alphabet, upper case, no padding
    body    = message + signature(64 bytes) + check(2 bytes)
    message = version(0x01) key_id issuer conference_id seat_id attendee_name
              count(1 byte) seat_type*count nonce

Text fields are a tag byte then bytes: tag 0..223 is UTF-8 text of that many bytes,
0xF0 a canonical UUID (16 bytes), 0xF1 "<uuid>:<position>" (16 bytes and a 2-byte
big-endian position). The nonce is a length byte and the issuer's random bytes.
`issuer` is "" for a code the conference issued, or the id of the node that signed a
provisional code with its own key; `key_id` names the key, so a reader holding several
keys (rotation, nodes) knows which one to try. `check` is CRC-16/CCITT over message and
signature: it tells a changed code (`altered`) from one made without the key (`forged`).

Reading refuses with DomainError codes: `malformed` (not a v1 code, truncated, bad
text), `altered` (the check fails), `unknown_key` (key id not listed), `forged` (the
signature does not verify); `bad_ticket_key` when a listed key is not 32 bytes.
Readers ignore case and surrounding whitespace.
"""
from __future__ import annotations

import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared_domain.errors import DomainError

PREFIX = "CT1-"
VERSION = 1
SIGNATURE_SIZE = 64
CHECK_SIZE = 2
MAX_TEXT_BYTES = 223
TAG_UUID, TAG_UUID_POSITION = 0xF0, 0xF1
BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_BASE32_INDEX = {c: i for i, c in enumerate(BASE32_ALPHABET)}
_BASE32_SET = frozenset(BASE32_ALPHABET)
_TO_INT_DIGITS = str.maketrans({c: "0123456789ABCDEFGHIJKLMNOPQRSTUV"[i]
                                for c, i in _BASE32_INDEX.items()})
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_POSITION = re.compile(r"0|[1-9][0-9]{0,4}")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class TicketPayload:
    conference_id: str
    seat_id: str              # "<order_id>:<position>"
    attendee_name: str
    seat_types: tuple[str, ...]
    nonce: bytes              # the issuer's random part: tells reissued codes apart
    issuer: str = ""          # "" = the conference; else the node that signed it


@dataclass(frozen=True)
class TicketKeyPair:
    private_key: bytes        # 32 raw bytes (the Ed25519 seed)
    public_key: bytes         # 32 raw bytes


def fit_text(text: str, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """Cut text to at most max_bytes of UTF-8 at a character boundary; lone surrogates: U+FFFD."""
    clean = _SURROGATE.sub("\ufffd", text)   # a lone surrogate has no UTF-8 form
    data = clean.encode("utf-8")
    if len(data) <= max_bytes:
        return clean
    # errors="ignore" drops only the partial character left at the cut
    return data[:max_bytes].decode("utf-8", "ignore")


def keypair_from_seed(seed: bytes) -> TicketKeyPair:
    """Derive an Ed25519 key pair from 32 seed bytes the caller drew (os.urandom(32))."""
    if len(seed) != 32:
        raise DomainError("bad_ticket_key", "A ticket key seed is exactly 32 bytes.")
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    return TicketKeyPair(private_key=bytes(seed), public_key=public)


def issue_ticket(payload: TicketPayload, private_key_bytes: bytes, key_id: str) -> str:
    """Sign a payload with the named key and encode it as a v1 ticket code."""
    if not 1 <= len(payload.nonce) <= 32:
        raise DomainError("bad_ticket_nonce", "A ticket's random part is 1 to 32 bytes.")
    if len(payload.seat_types) > 255:
        raise DomainError("ticket_too_large", "A ticket holds at most 255 seat types.")
    try:
        signer = Ed25519PrivateKey.from_private_bytes(private_key_bytes)
    except ValueError as error:
        raise DomainError("bad_ticket_key", "A ticket private key is 32 raw bytes.") from error
    message = _message(payload, key_id)
    signed = message + signer.sign(message)
    return PREFIX + _base32(signed + _crc16(signed).to_bytes(CHECK_SIZE, "big"))


def read_ticket(code: str, public_keys: Mapping[str, bytes]) -> TicketPayload:
    """Return the payload of a genuine, unchanged code signed by one of the listed keys."""
    body = _decode_body(code)
    signed, check = body[:-CHECK_SIZE], body[-CHECK_SIZE:]
    if _crc16(signed).to_bytes(CHECK_SIZE, "big") != check:
        raise DomainError("altered", "This ticket code has been changed since it was issued.")
    message, signature = signed[:-SIGNATURE_SIZE], signed[-SIGNATURE_SIZE:]
    key_id, payload = _parse_message(message)
    public_key = public_keys.get(key_id)
    if public_key is None:
        raise DomainError("unknown_key", "This ticket was signed with a key this node does not know.")
    try:
        verifier = Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError as error:   # the node's key list is wrong, not the ticket
        raise DomainError("bad_ticket_key", f"Ticket key {key_id!r} is not 32 raw bytes.") from error
    try:
        verifier.verify(signature, message)
    except InvalidSignature as error:
        raise DomainError("forged", "This ticket's signature is not genuine.") from error
    return payload


# --- message layout -----------------------------------------------------------

def _message(payload: TicketPayload, key_id: str) -> bytes:
    fields = [key_id, payload.issuer, payload.conference_id, payload.seat_id,
              payload.attendee_name]
    parts = [bytes([VERSION]), *map(_pack_text, fields), bytes([len(payload.seat_types)])]
    parts += [_pack_text(name) for name in payload.seat_types]
    parts.append(bytes([len(payload.nonce)]) + payload.nonce)
    return b"".join(parts)


def _parse_message(message: bytes) -> tuple[str, TicketPayload]:
    reader = _Reader(message)
    if reader.take(1)[0] != VERSION:
        raise _malformed()
    key_id, issuer, conference_id, seat_id, name = (reader.text() for _ in range(5))
    seat_types = tuple(reader.text() for _ in range(reader.take(1)[0]))
    nonce = reader.take(reader.take(1)[0])
    if not reader.at_end():
        raise _malformed()
    return key_id, TicketPayload(conference_id, seat_id, name, seat_types, nonce, issuer)


def _pack_text(text: str) -> bytes:
    uuid_text, colon, position = text.partition(":")
    if _UUID.fullmatch(uuid_text):
        raw = bytes.fromhex(uuid_text.replace("-", ""))
        if not colon:
            return bytes([TAG_UUID]) + raw
        if _POSITION.fullmatch(position) and int(position) <= 0xFFFF:
            return bytes([TAG_UUID_POSITION]) + raw + int(position).to_bytes(2, "big")
    data = text.encode("utf-8")
    if len(data) > MAX_TEXT_BYTES:
        raise DomainError("ticket_too_large", f"A ticket field holds at most {MAX_TEXT_BYTES} bytes.")
    return bytes([len(data)]) + data


class _Reader:
    """Walks a message, refusing anything that runs past its end."""

    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def take(self, size: int) -> bytes:
        if self._at + size > len(self._data):
            raise _malformed()
        chunk = self._data[self._at:self._at + size]
        self._at += size
        return chunk

    def text(self) -> str:
        tag = self.take(1)[0]
        if tag == TAG_UUID:
            return _uuid_text(self.take(16))
        if tag == TAG_UUID_POSITION:
            return f"{_uuid_text(self.take(16))}:{int.from_bytes(self.take(2), 'big')}"
        if tag > MAX_TEXT_BYTES:
            raise _malformed()
        try:
            return self.take(tag).decode("utf-8")
        except UnicodeDecodeError as error:
            raise _malformed() from error

    def at_end(self) -> bool:
        return self._at == len(self._data)


def _uuid_text(raw: bytes) -> str:
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _malformed() -> DomainError:
    return DomainError("malformed", "This is not a ticket code of this system.")


# --- text encoding and check --------------------------------------------------
# Hand-written so the domain imports only what its purity test allows; both are tiny.

def _decode_body(code: str) -> bytes:
    text = code.strip().upper()
    if not text.startswith(PREFIX):
        raise _malformed()
    body = _unbase32(text[len(PREFIX):])
    if len(body) < 1 + SIGNATURE_SIZE + CHECK_SIZE:
        raise _malformed()
    return body


def _base32(data: bytes) -> str:
    bits = len(data) * 8
    number = int.from_bytes(data, "big") << (-bits % 5)
    count = -(-bits // 5)
    return "".join(BASE32_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(count)))


def _unbase32(text: str) -> bytes:
    spare_bits = len(text) * 5 % 8
    if spare_bits >= 5 or not _BASE32_SET.issuperset(text):
        raise _malformed()
    # Spelled in int()'s own base-32 digits (0-9, A-V), the number is parsed in C: a loop
    # over the 300 characters of a code was a tenth of a scan.
    number = int(text.translate(_TO_INT_DIGITS), 32) if text else 0
    if number & ((1 << spare_bits) - 1):  # only one text spells each body
        raise _malformed()
    return (number >> spare_bits).to_bytes(len(text) * 5 // 8, "big")


def _crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: catches every burst of up to 16 changed bits. The standard
    library's `crc_hqx` is that CRC (polynomial 0x1021) from the initial value 0xFFFF, in C:
    a bit loop in Python cost a tenth of a scan."""
    return binascii.crc_hqx(data, 0xFFFF)
