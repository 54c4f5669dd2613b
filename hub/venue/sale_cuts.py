"""A sale's causal cut, for a slice of the log at once (hub/venue/sales_slice.py): from which
position the hub holds every fact the seller held (`OnSiteSales._holds`), and what the seller
held at the cut (`OnSiteSales._judge`), with each seller's facts loaded and folded once."""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

import peewee

from hub.venue import sale_rules as rules
from shared_domain import sales
from shared_domain.allocations import Holding, HoldingsFold
from event_store.store import StoredEvent

IN_LIST = 900      # values in one IN (...): under the 999 parameters of the oldest SQLite builds
ALWAYS, NEVER = -math.inf, math.inf
COUNTS = ("granted", "handed_in", "handed_out", "returned", "sold")


class Reach:
    """How far the log holds some origins along a stretch of it (start, end]: each origin's
    highest seq up to `start`, and the positions in the stretch where it goes higher."""

    def __init__(self, store, origins: set[str], start: int, end: int):
        E = store.models.EventRecord
        before: dict[str, int] = {}
        along: dict[str, tuple[list[int], list[int]]] = {}
        for chunk in chunks(sorted(origins), IN_LIST):
            before.update(E.select(E.origin, peewee.fn.MAX(E.seq)).where(
                E.origin.in_(chunk) & (E.position <= start)).group_by(E.origin).tuples())
            for origin, seq, position in E.select(E.origin, E.seq, E.position).where(
                    E.origin.in_(chunk) & (E.position > start) & (E.position <= end)) \
                    .order_by(E.position).tuples():
                at, highest = along.setdefault(origin, ([], []))
                at.append(position)
                highest.append(max(seq, highest[-1]) if highest else seq)
        self.origins = {origin: (before.get(origin) or 0, *along.get(origin, ([], [])))
                        for origin in origins}

    def reached(self, context: dict[str, int]) -> float:
        """The first position from which the log holds every fact of the context: at a
        position p of the stretch `OnSiteSales._holds(context, p)` is exactly p >= this."""
        return max((self._reached(origin, seq) for origin, seq in context.items()),
                   default=ALWAYS)

    def _reached(self, origin: str, seq: int) -> float:
        before, at, highest = self.origins[origin]
        if before >= seq:
            return ALWAYS
        index = bisect.bisect_left(highest, seq)
        return at[index] if index < len(at) else NEVER


@dataclass
class Judgement:
    """A sale to judge at a position of the log, and the conflicts found once judged."""
    sale: sales.OnSiteSaleMade
    event: StoredEvent
    position: int
    found: list = field(default_factory=list)


def judge(store, judgements: list[Judgement]) -> None:
    """Each sale against its seller's own facts up to the sale and the grants and hand-overs
    of other origins up to the position it is judged at; its conflicts go in `found`."""
    if not judgements:
        return
    E = store.models.EventRecord
    own: dict[str, list] = {}
    for e in events_in(store, E.origin, {j.event.origin for j in judgements},
                       E.type.in_(rules.OWN_LEDGER_TYPES)
                       & (E.seq <= max(j.event.seq for j in judgements)),
                       order=(E.origin, E.seq)):
        own.setdefault(e.origin, []).append((e.seq, e.message))
    received: dict[str, list] = {}
    for e in events_in(store, E.conference, {j.event.conference for j in judgements},
                       E.type.in_(rules.RECEIVED_LEDGER_TYPES)
                       & (E.position <= max(j.position for j in judgements)),
                       order=(E.position,)):
        received.setdefault(e.conference, []).append((e.position, e.origin, e.message))
    own_held = _held_at_cuts(
        judgements, lambda j: (j.event.origin, j.sale.node_id, j.sale.epoch),
        lambda j: own.get(j.event.origin, []), lambda j: j.event.seq)
    received_held = _held_at_cuts(
        judgements, lambda j: (j.event.conference, j.event.origin, j.sale.node_id, j.sale.epoch),
        lambda j: [(p, m) for p, origin, m in received.get(j.event.conference, [])
                   if origin != j.event.origin],
        lambda j: j.position)
    for index, j in enumerate(judgements):
        j.found = rules.beyond_allocation(
            j.sale, j.event, lambda t: _plus(own_held[index][t], received_held[index][t]))


def _held_at_cuts(judgements: list[Judgement], group, facts, cut) -> list[dict]:
    """For each judgement, what its seller held (per seat type of its lines) from the facts
    of its group up to its cut: each group's facts, in (cut key, fact) order, folded once."""
    held: list[dict] = [{} for _ in judgements]
    groups: dict[tuple, list[int]] = {}
    for index, j in enumerate(judgements):
        groups.setdefault(group(j), []).append(index)
    for indexes in groups.values():
        first = judgements[indexes[0]]
        fold, rows, done = HoldingsFold(first.sale.node_id, first.sale.epoch), facts(first), 0
        for index in sorted(indexes, key=lambda i: cut(judgements[i])):
            j = judgements[index]
            while done < len(rows) and rows[done][0] <= cut(j):
                fold.add(rows[done][1])
                done += 1
            held[index] = {line.seat_type: fold.holding(line.seat_type) for line in j.sale.lines}
    return held


def _plus(a: Holding, b: Holding) -> Holding:
    return Holding(*(getattr(a, count) + getattr(b, count) for count in COUNTS))


def events_in(store, column, values, where=None, order=()) -> list[StoredEvent]:
    """Decoded events whose `column` is one of `values` (and `where`), in `order` within
    each chunk of values."""
    found = []
    for chunk in chunks(sorted(set(values)), IN_LIST):
        query = store.models.EventRecord.select().where(column.in_(chunk))
        if where is not None:
            query = query.where(where)
        found.extend(store.events(query.order_by(*order)))
    return found


def chunks(items, size: int) -> list[list]:
    items = list(items)
    return [items[start:start + size] for start in range(0, len(items), size)]
