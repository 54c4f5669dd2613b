"""What the demo reads straight from the hub's SQLite file (read-only, beside the running hub).

Ticket codes are what registrants hold on their phones; reading them here stands for
"the attendee shows the QR code of the ticket the hub sent them"."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Ticket:
    attendee_name: str
    code: str
    seat_id: str
    order_id: str
    position: int


def fresh_tickets(hub_db: str, door_dbs: tuple[str, ...] = ()) -> list[Ticket]:
    """Current tickets of seats bought online that were never checked in, oldest orders first.

    "Never" is read from the hub's log as well as its check-in table (its readers may not
    have caught up yet after the doors pushed) and from every door's own replica (a check-in
    the door has not pushed yet), so a ticket used in an earlier run is never offered again.
    """
    used = {seat for (seat,) in _query(hub_db, """
        SELECT seat_id FROM checkin_record
        UNION SELECT json_extract(data, '$.seat_id') FROM event
        WHERE type = 'AttendeeCheckedIn'""")}
    for door_db in door_dbs:
        try:
            used |= {seat for (seat,) in _query(door_db, "SELECT seat_id FROM rm_check_in")}
        except sqlite3.Error:      # a door not enrolled yet has no replica: nothing checked in
            pass
    rows = _query(hub_db, """
        SELECT attendee_name, code, seat_id, order_id, position FROM rm_ticket
        WHERE order_id NOT IN (SELECT order_id FROM rm_order WHERE sold_on_site_by != '')
        ORDER BY rowid""")
    return [Ticket(*row) for row in rows if row[2] not in used]


def door_replicas(state: dict) -> tuple[str, ...]:
    """The doors' replica files of a running demo (its demo.json state)."""
    return tuple(os.path.join(door["folder"], "node.sqlite3")
                 for door in state.get("doors", {}).values())


def registrant_of(hub_db: str, order_id: str) -> tuple[str, str]:
    """(email, access code) of an order's registrant: what they sign in to their order with."""
    return tuple(_query(hub_db, "SELECT registrant_email, access_code FROM rm_order "
                                "WHERE order_id = ?", (order_id,))[0])


def on_site_orders(hub_db: str) -> list[tuple[str, str]]:
    """(order id, the selling node's name) of every order sold at a door."""
    return _query(hub_db, "SELECT order_id, sold_on_site_by FROM rm_order "
                          "WHERE sold_on_site_by != ''")


def _query(hub_db: str, sql: str, parameters: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(f"file:{hub_db}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(sql, parameters).fetchall()
    finally:
        db.close()
