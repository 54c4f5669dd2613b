"""Ticket codes: signed offline-readable payloads, refused with a reason when not genuine."""
import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st

from shared_domain.errors import DomainError
from shared_domain.tickets import (
    BASE32_ALPHABET, PREFIX, TicketPayload, issue_ticket, keypair_from_seed, read_ticket,
)

CONFERENCE_KEY = keypair_from_seed(bytes(range(32)))
NEXT_YEAR_KEY = keypair_from_seed(bytes(range(1, 33)))
NODE_KEY = keypair_from_seed(b"\x07" * 32)
KEYS = {"2026a": CONFERENCE_KEY.public_key}

ADA = TicketPayload(
    conference_id="0195f3a2-1b2c-7d4e-8f60-123456789abc",
    seat_id="0195f3a2-1b2c-7d4e-8f60-abcdef012345:3",
    attendee_name="Ada Lovelace",
    seat_types=("Full conference", "Workshop"),
    nonce=bytes.fromhex("8c1f02d4a7e95b36"),
)


def code_for(payload=ADA, key=CONFERENCE_KEY, key_id="2026a"):
    return issue_ticket(payload, key.private_key, key_id)


def refusal(code, keys=KEYS):
    with pytest.raises(DomainError) as refused:
        read_ticket(code, keys)
    return refused.value.code


def test_a_ticket_reads_back_as_the_payload_it_was_issued_with():
    assert read_ticket(code_for(), KEYS) == ADA


def test_a_code_is_upper_case_base32_after_its_version_prefix():
    code = code_for()
    assert code.startswith(PREFIX) and set(code[len(PREFIX):]) <= set(BASE32_ALPHABET)


def test_a_code_typed_in_lower_case_with_spaces_around_still_reads():
    assert read_ticket(f"  {code_for().lower()}\n", KEYS) == ADA


def test_issuing_is_deterministic_for_the_same_payload_and_key():
    assert code_for() == code_for()


def test_a_typical_code_fits_a_qr_code_of_version_10_or_less_at_level_m():
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(code_for())
    qr.make(fit=True)
    assert qr.version <= 10


def test_changing_any_character_of_a_code_is_refused():
    code = code_for()
    for at in range(len(PREFIX), len(code)):
        other = "A" if code[at] != "A" else "B"
        assert refusal(code[:at] + other + code[at + 1:]) in {"altered", "malformed"}


def test_changing_a_byte_inside_the_signed_message_is_altered():
    code = code_for()
    at = len(PREFIX) + 40   # well inside the attendee's name and seat types
    swapped = BASE32_ALPHABET[(BASE32_ALPHABET.index(code[at]) + 1) % 32]
    assert refusal(code[:at] + swapped + code[at + 1:]) == "altered"


def test_a_code_signed_by_another_key_under_the_conference_key_id_is_forged():
    assert refusal(code_for(key=NODE_KEY)) == "forged"


def test_a_code_signed_with_a_key_id_the_node_does_not_hold_is_refused():
    assert refusal(code_for(key_id="2025z")) == "unknown_key"


@pytest.mark.parametrize("code", [
    "", "CT1-", "CT2-AAAA", "hello world", "CT1-AAAAAAAA", "CT1-A!BC", PREFIX + "A" * 3,
    "https://example.org/tickets/1",
])
def test_something_that_is_not_a_ticket_code_is_malformed(code):
    assert refusal(code) == "malformed"


def test_a_truncated_code_is_refused():
    code = code_for()
    assert refusal(code[:-8]) in {"altered", "malformed"}


def test_after_key_rotation_codes_under_old_and_new_keys_are_both_accepted():
    keys = {"2026a": CONFERENCE_KEY.public_key, "2026b": NEXT_YEAR_KEY.public_key}
    new_code = code_for(key=NEXT_YEAR_KEY, key_id="2026b")
    assert read_ticket(code_for(), keys) == read_ticket(new_code, keys) == ADA


def test_a_retired_key_no_longer_admits_its_codes():
    keys = {"2026b": NEXT_YEAR_KEY.public_key}
    assert refusal(code_for(), keys) == "unknown_key"


def test_a_node_signed_provisional_code_names_its_issuer_and_reads_with_the_node_key():
    provisional = TicketPayload(**{**ADA.__dict__, "issuer": "node-7"})
    code = issue_ticket(provisional, NODE_KEY.private_key, "node-7")
    assert read_ticket(code, {"node-7": NODE_KEY.public_key}).issuer == "node-7"
    assert refusal(code) == "unknown_key"


def test_seat_ids_that_are_not_uuids_round_trip_unchanged():
    payload = TicketPayload("contoso26", "ORDER-42:1", "Bob", (), b"\x01", issuer="")
    assert read_ticket(code_for(payload), KEYS) == payload


@pytest.mark.parametrize("seat_id", [
    "0195F3A2-1B2C-7D4E-8F60-ABCDEF012345:3", "0195f3a2-1b2c-7d4e-8f60-abcdef012345:",
    "0195f3a2-1b2c-7d4e-8f60-abcdef012345:07", "0195f3a2-1b2c-7d4e-8f60-abcdef012345:70000",
    "0195f3a2-1b2c-7d4e-8f60-abcdef012345",
])
def test_uuid_like_seat_ids_round_trip_exactly(seat_id):
    payload = TicketPayload(ADA.conference_id, seat_id, "Bob", ("Day pass",), b"\x02")
    assert read_ticket(code_for(payload), KEYS).seat_id == seat_id


@pytest.mark.parametrize("payload, reason", [
    (TicketPayload("c", "s", "n", (), b""), "bad_ticket_nonce"),
    (TicketPayload("c", "s", "x" * 300, (), b"\x01"), "ticket_too_large"),
])
def test_a_payload_that_cannot_be_encoded_is_refused_at_issue(payload, reason):
    with pytest.raises(DomainError) as refused:
        code_for(payload)
    assert refused.value.code == reason


def test_a_public_key_of_the_wrong_size_is_a_key_problem_not_a_forgery():
    assert refusal(code_for(), {"2026a": b"short"}) == "bad_ticket_key"


def test_a_key_seed_must_be_32_bytes():
    with pytest.raises(DomainError) as refused:
        keypair_from_seed(b"short")
    assert refused.value.code == "bad_ticket_key"


names = st.text(min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(name=names, seat_types=st.lists(st.text(max_size=20), max_size=4),
       nonce=st.binary(min_size=1, max_size=32), issuer=st.sampled_from(["", "node-7"]))
def test_any_unicode_payload_round_trips(name, seat_types, nonce, issuer):
    payload = TicketPayload(ADA.conference_id, ADA.seat_id, name, tuple(seat_types), nonce, issuer)
    assert read_ticket(code_for(payload), KEYS) == payload


def test_the_check_is_crc_16_ccitt_false():
    """Its standard check value: the CRC of the nine digits 1 to 9 is 0x29B1."""
    from shared_domain.tickets import _crc16
    assert _crc16(b"123456789") == 0x29B1
