"""Door facts as a node records them, for sync tests: refused scans of a node, by number."""
import time

from shared_domain.checkin import TicketScanned
from event_store.ids import format_hlc

AT = "2026-05-04T09:00:00+00:00"


def scans(node_id: str, n: int, start: int = 0) -> list:
    """`n` refused scans at the node, told apart by their nonce."""
    return [TicketScanned(f"scan-{i:06d}", f"digest-{i}", "", node_id, AT, "refused",
                          "malformed") for i in range(start, start + n)]


def scan_body(node_id: str, i: int) -> dict:
    return {"scan_nonce": f"scan-{i:06d}", "code_digest": f"digest-{i}", "seat_id": "",
            "node_id": node_id, "scanned_at": AT, "result": "refused", "reason": "malformed",
            "by": "kiosk"}


def now_hlc() -> str:
    return format_hlc(int(time.time() * 1000), 0)


def scan_envelope(creds: dict, seq: int, **overrides) -> dict:
    """The wire envelope of the node's seq-th fact, a refused scan."""
    return {"id": f"00000000-0000-7000-8000-{seq:012d}", "origin": creds["origin"], "seq": seq,
            "stream": f"edge-{creds['origin']}", "version": seq, "type": "TicketScanned",
            "schema": 1, "conference": creds["conference"]["id"],
            "data": scan_body(creds["node_id"], seq), "occurred_at": AT, "hlc": now_hlc(),
            **overrides}
