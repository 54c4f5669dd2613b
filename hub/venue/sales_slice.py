"""The on-site sales rules over a slice of the log at once (OnSiteSales.apply_many): the
decisions `OnSiteSales.apply` makes one event at a time, made for the whole slice from what a
few queries load, in memory and in log order, then written in a few statements. Whatever
cannot be decided exactly so (a broken event, a sale's order stream missing) raises before
anything is written, and the feed applies the slice one event at a time, which sets the
failing event aside (event_store/readers.py)."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import peewee

from hub.venue import sale_rules as rules
from hub.venue.checkins import conflict_row
from hub.venue.sale_cuts import (COUNTS, IN_LIST, NEVER, Judgement, Reach, chunks, events_in,
                                 judge)
from shared_domain import orders, sales
from event_store.store import StoredEvent

log = logging.getLogger(__name__)

INSERT_ROWS = 80   # rows of up to 11 columns in one INSERT, under 999 parameters


@dataclass
class Sale:
    """What the hub holds of a sale: its SaleRecord row, or the one this slice makes."""
    sale_id: str
    event_id: str
    conference_id: str
    node_id: str
    epoch: int
    payment_method: str
    payment_reference: str
    total_cents: int
    sold_at: str
    cancelled: bool = False
    new: bool = False


@dataclass
class Pending:
    """A sale waiting for facts its seller held: a PendingSaleCheck row or one deferred now."""
    event: StoredEvent | None    # None: its event is not in the log (`apply` fails on it)
    reached: float               # the first position at which the hub holds its context
    new: bool = False


class SalesSlice:
    """One slice: load, decide event by event in memory, judge, write."""

    def __init__(self, hub, events: list[StoredEvent]):
        self.hub, self.m, self.E = hub, hub.models, hub.store.models.EventRecord
        self.events = events
        self.sales: dict[str, Sale] = {}
        self.by_reference: dict[tuple[str, str], list[Sale]] = {}
        self.pending: dict[str, Pending] = {}       # in the order PendingSaleCheck lists them
        self.judged_rows: list[str] = []            # PendingSaleCheck rows judged now
        self.cancelled_rows: list[str] = []         # SaleRecord rows cancelled now
        self.soonest = NEVER                        # the first position a pending sale is due
        self.missing_pending = False
        self.ledger: dict[tuple, dict] = {}         # (node, epoch, seat type) -> row and moves
        self.found: list = []                       # Found and Judgement, in the order found
        self.appends: list[tuple[str, list, StoredEvent]] = []
        self.commands: list = []
        self.warnings: list[tuple] = []
        self.first_orders: dict[str, object] = {}   # order stream -> its first event
        # (or the sale made now whose order will be), for the lines a cancellation frees
        self.reach: Reach | None = None

    def apply(self) -> None:
        if not self.events:
            return
        positions = [e.position for e in self.events]
        if positions != sorted(positions):
            raise ValueError("a slice of the log comes in log order")
        self._load()
        for event in self.events:
            self._step(event)
        judge(self.hub.store, [j for j in self.found if isinstance(j, Judgement)])
        self._write()
        for args in self.warnings:
            log.warning(*args)

    # --- what the slice needs, in a few queries -----------------------------------------------

    def _load(self) -> None:
        made = [e for e in self.events if isinstance(e.message, sales.OnSiteSaleMade)]
        cancelled = [e.message.sale_id for e in self.events
                     if isinstance(e.message, sales.OnSiteSaleCancelled)]
        S = self.m.SaleRecord
        for row in self._select_in(S.select(), S.sale_id,
                                   [e.message.sale_id for e in made] + cancelled):
            self.sales[row.sale_id] = self._sale(row)
        references = {e.message.payment_reference.strip() for e in made} - {""}
        for row in self._select_in(S.select(), S.payment_reference, references):
            sale = self.sales.setdefault(row.sale_id, self._sale(row))
            self.by_reference.setdefault((sale.payment_reference, sale.payment_method),
                                         []).append(sale)
        for event in events_in(self.hub.store, self.E.stream,
                               [orders.stream_id(i) for i in cancelled],
                               order=(self.E.stream, self.E.version)):
            self.first_orders.setdefault(event.stream, event.message)
        rows = list(self.m.PendingSaleCheck.select())
        stored = {e.id: e for e in events_in(self.hub.store, self.E.id,
                                             [r.event_id for r in rows])}
        waiting = [(row.sale_id, stored.get(row.event_id)) for row in rows]
        contexts = {sale_id: sales.parse_context(event.message.causal_context)
                    for sale_id, event in waiting if event is not None}
        origins = {origin for context in contexts.values() for origin in context}
        for event in made:
            origins.update(sales.parse_context(event.message.causal_context))
        self.reach = Reach(self.hub.store, origins, self.events[0].position - 1,
                           self.events[-1].position)
        for sale_id, event in waiting:
            self.missing_pending |= event is None
            self._defer(sale_id, Pending(event, self.reach.reached(contexts[sale_id])
                                         if event is not None else NEVER))

    @staticmethod
    def _sale(row) -> Sale:
        return Sale(row.sale_id, row.event_id, row.conference_id, row.node_id, row.epoch,
                    row.payment_method, row.payment_reference, row.total_cents, row.sold_at,
                    row.cancelled)

    # --- deciding, event by event, in log order ---------------------------------------------

    def _step(self, event: StoredEvent) -> None:
        m = event.message
        for move in rules.allocation_moves(event):
            self._ledger(move)
        if (command := rules.allocation_command(m)) is not None:
            self.commands.append(command)
        if isinstance(m, sales.OnSiteSaleMade):
            self._sale_made(m, event)
        elif isinstance(m, sales.OnSiteSaleCancelled):
            self._sale_cancelled(m, event)
        if not event.origin.startswith("hub/") and self.pending:
            self._judge_due(event.position)

    def _ledger(self, move: rules.Ledger) -> None:
        assert move.field in rules.LEDGER_FIELDS
        key = (move.node_id, move.epoch, move.seat_type)
        if key not in self.ledger:
            self.ledger[key] = dict(node_id=move.node_id, epoch=move.epoch,
                                    seat_type=move.seat_type, conference_id=move.conference_id,
                                    **{count: 0 for count in COUNTS})
        self.ledger[key][move.field] += move.quantity

    def _sale_made(self, m: sales.OnSiteSaleMade, event: StoredEvent) -> None:
        if m.sale_id in self.sales:
            return
        reference = m.payment_reference.strip()
        sale = self.sales[m.sale_id] = Sale(
            m.sale_id, event.id, m.conference_id, m.node_id, m.epoch, m.payment_method,
            reference, m.total_cents, m.sold_at, new=True)
        for line in m.lines:
            self._ledger(rules.Ledger(m.conference_id, m.node_id, m.epoch, line.seat_type,
                                      "sold", line.quantity))
        reached = self.reach.reached(sales.parse_context(m.causal_context))
        if reached <= event.position:
            self.found.append(Judgement(m, event, event.position))
        elif m.sale_id not in self.pending:
            self._defer(m.sale_id, Pending(event, reached, new=True))
        if reference:
            others = self.by_reference.setdefault((reference, m.payment_method), [])
            self.found.extend(rules.reference_reused(m, event, reference, o) for o in others)
            others.append(sale)
        self.found.extend(rules.discount_refused(self.hub.store, m, event))
        for stream, events in rules.sale_consequences(m):
            self.appends.append((stream, events, event))
        self.first_orders.setdefault(orders.stream_id(m.sale_id), m)   # lines as its order's

    def _sale_cancelled(self, m: sales.OnSiteSaleCancelled, event: StoredEvent) -> None:
        sale = self.sales.get(m.sale_id)
        if sale is None or sale.cancelled:
            return
        if not rules.seller_cancels(sale, m, event, warn=lambda *a: self.warnings.append(a)):
            return
        sale.cancelled = True
        if not sale.new:
            self.cancelled_rows.append(sale.sale_id)
        made = self.first_orders.get(orders.stream_id(m.sale_id))
        if made is None:
            raise LookupError(f"sale {m.sale_id} has no order to cancel")
        for line in made.lines:
            self._ledger(rules.Ledger(sale.conference_id, sale.node_id, sale.epoch,
                                      line.seat_type, "sold", -line.quantity))
        self.appends.append((*rules.refund(m), event))

    def _defer(self, sale_id: str, pending: Pending) -> None:
        self.pending[sale_id] = pending
        self.soonest = min(self.soonest, pending.reached)

    def _judge_due(self, position: int) -> None:
        """The pending sales whose context the log holds at this position, in their order."""
        if self.missing_pending:
            raise LookupError("a pending sale check names an event the log does not hold")
        if position < self.soonest:
            return
        for sale_id in [s for s, p in self.pending.items() if p.reached <= position]:
            pending = self.pending.pop(sale_id)
            if not pending.new:
                self.judged_rows.append(sale_id)
            self.found.append(Judgement(pending.event.message, pending.event, position))
        self.soonest = min((p.reached for p in self.pending.values()), default=NEVER)

    # --- writing, in a few statements ---------------------------------------------------------

    def _write(self) -> None:
        S, L, P = self.m.SaleRecord, self.m.NodeLedger, self.m.PendingSaleCheck
        made = [s for s in self.sales.values() if s.new]
        for chunk in chunks([_record(s) for s in made], INSERT_ROWS):
            S.insert_many(chunk).execute()
        for chunk in chunks(self.cancelled_rows, IN_LIST):
            S.update(cancelled=True).where(S.sale_id.in_(chunk)).execute()
        moves = {getattr(L, count): getattr(L, count) + getattr(peewee.EXCLUDED, count)
                 for count in COUNTS}
        for chunk in chunks(list(self.ledger.values()), INSERT_ROWS):
            L.insert_many(chunk).on_conflict(
                conflict_target=[L.node_id, L.epoch, L.seat_type], update=moves).execute()
        for chunk in chunks(self.judged_rows, IN_LIST):
            P.delete().where(P.sale_id.in_(chunk)).execute()
        deferred = [dict(sale_id=sale_id, event_id=p.event.id)
                    for sale_id, p in self.pending.items() if p.new]
        for chunk in chunks(deferred, INSERT_ROWS):
            P.insert_many(chunk).on_conflict_ignore().execute()
        self._write_conflicts()
        for command in self.commands:
            self.hub.bus.send(command)
        self._publish()

    def _write_conflicts(self) -> None:
        rows: dict[str, dict] = {}
        for item in self.found:
            for found in item.found if isinstance(item, Judgement) else [item]:
                row = conflict_row(self.hub, found.kind, "review", found.conference_id,
                                   found.subject, found.event_ids, found.sides, found.outcome,
                                   found.node_ids)
                rows.setdefault(row["id"], row)     # found again: recorded once, the first
        for chunk in chunks(list(rows.values()), INSERT_ROWS):
            self.m.Conflict.insert_many(chunk).on_conflict_ignore().execute()

    def _publish(self) -> None:
        """The hub's events in the order `apply` appends them, each stream after what it
        holds (as Hub.append_consequences does, with every stream's version read at once)."""
        E = self.E
        versions: dict[str, int] = {}
        for chunk in chunks(sorted({stream for stream, _, _ in self.appends}), IN_LIST):
            versions.update(E.select(E.stream, peewee.fn.MAX(E.version))
                            .where(E.stream.in_(chunk)).group_by(E.stream).tuples())
        for stream, events, cause in self.appends:
            version = versions.get(stream) or 0
            self.hub.publish(stream, events, conference=cause.conference,
                             expected_version=version, causation=cause.id, correlation=stream)
            versions[stream] = version + len(events)

    # --- queries --------------------------------------------------------------------------

    @staticmethod
    def _select_in(query, column, values) -> list:
        rows = []
        for chunk in chunks(sorted(set(values)), IN_LIST):
            rows.extend(query.where(column.in_(chunk)))
        return rows


def _record(sale: Sale) -> dict:
    return dict(sale_id=sale.sale_id, event_id=sale.event_id, conference_id=sale.conference_id,
                node_id=sale.node_id, epoch=sale.epoch, payment_method=sale.payment_method,
                payment_reference=sale.payment_reference, total_cents=sale.total_cents,
                sold_at=sale.sold_at, cancelled=sale.cancelled)
