"""The planner's desk on a node: sell from the allocation, cancel, hand seats on, give back."""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass

from kiosk_ui.pin_guard import PinGuard
from onsite_node.door_codes import known_terms
from onsite_node.replica import Replica
from shared_domain import allocations, door_codes, sales
from shared_domain.allocations import Holding
from shared_domain.edge_facts import hub_origin
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo
from shared_domain.pricing import SeatTypePrice
from shared_domain.tickets import TicketPayload, issue_ticket
from event_store.ids import uuid7


@dataclass
class TopUpPolicy:
    """Ask the hub for more when few are left: never (ceiling 0), or up to a ceiling per seat type."""
    ceiling: int = 0
    low_water: int = 2


def node_key_id(node_id: str) -> str:
    return f"node:{node_id}"


class SalesDesk:
    """On-site sales on one node; every check and its fact commit in one IMMEDIATE transaction."""

    def __init__(self, replica: Replica, top_up: TopUpPolicy | None = None):
        self.replica = replica
        self.top_up = top_up or TopUpPolicy()
        # Unknown promotional codes typed at this desk, per planner: limited like wrong PINs.
        self.code_guesses = PinGuard()

    @property
    def me(self) -> tuple[str, int]:
        creds = self.replica.credentials
        return creds["node_id"], creds["epoch"]

    def _require_confirmed_epoch(self) -> None:
        """A node that may be a restored copy must not sell: it could sell seats already sold."""
        if not self.replica.epoch_confirmed:
            raise DomainError(
                "records_unconfirmed",
                "This door has not yet checked its records with the hub or another door since "
                "it started. Connect it to the venue network; sales open within seconds.")

    def holdings(self) -> dict[str, Holding]:
        """What this node (in its current epoch) may still sell, per seat type."""
        L = self.replica.models.LedgerView
        node_id, epoch = self.me
        return {r.seat_type: Holding(r.granted, r.handed_in, r.handed_out, r.returned, r.sold)
                for r in L.select().where((L.node_id == node_id) & (L.epoch == epoch))}

    def prices(self) -> dict[str, SeatTypePrice]:
        S = self.replica.models.SeatTypeView
        return {s.seat_type_id: SeatTypePrice(s.seat_type_id, s.name, s.price_cents)
                for s in S.select()}

    def offer(self) -> list[dict]:
        """Seat types this node can sell now, with price and how many are left."""
        holdings, prices = self.holdings(), self.prices()
        return [{"seat_type": t, "name": prices[t].name if t in prices else t,
                 "price_cents": prices[t].price_cents if t in prices else 0,
                 "allocated": h.limit, "sold": h.sold, "left": h.left}
                for t, h in sorted(holdings.items(), key=lambda kv: prices.get(kv[0], kv[0]) and kv[0])]

    def sell(self, *, buyer: PersonalInfo, wanted: dict[str, int], payment_method: str,
             payment_reference: str = "", buyer_seat_id: str = "", by: str,
             codes: tuple[str, ...] = ()) -> sales.OnSiteSaleMade:
        """Sell seats of the allocation; two planners at once can never both sell the last seat.
        Promotional codes: only unlimited ones within their dates (shared_domain/door_codes.py)."""
        node_id, epoch = self.me
        self._require_confirmed_epoch()
        with self.replica.db.atomic():
            lines = sales.price_sale(wanted, self.prices())
            priced = self.discount(lines, codes, by=by)
            sales.decide_sale(self.holdings(), lines, buyer=buyer,
                              payment_method=payment_method, payment_reference=payment_reference)
            sale_id = uuid7()
            vector = self.replica.store.version_vector()
            sale = sales.OnSiteSaleMade(
                sale_id, self.replica.conference_id, node_id, epoch, buyer, buyer_seat_id, lines,
                priced.discounted.total_cents, payment_method,
                payment_reference.strip(), self.replica.clock().isoformat(), by,
                self._sign_seats(sale_id, buyer, lines),
                sales.causal_context(vector, self.replica.origin), priced.codes,
                priced.discounted.discounts, priced.discounted.discount_cents,
                vector.get(hub_origin(self.replica.conference_id), 0))
            self.replica.record([sale])
        return sale

    def discount(self, lines, codes, *, by: str) -> door_codes.DoorDiscount:
        """The sale's lines priced with the codes typed; an unknown code counts as a guess."""
        now = self.replica.clock().timestamp()
        if any(isinstance(code, str) and code.strip() for code in codes) \
                and (wait := self.code_guesses.seconds_to_wait(by, now)):
            raise DomainError("too_many_attempts", f"Too many unknown codes. Wait {wait} "
                              "seconds, then type the code again.")
        try:
            typed = door_codes.typed_codes(codes)
            return door_codes.door_discount(known_terms(self.replica.models, typed), typed,
                                            lines, self.replica.clock())
        except DomainError as refused:
            if refused.code == door_codes.NOT_FOUND:
                self.code_guesses.failed(by, now)
            raise

    def _sign_seats(self, sale_id, buyer, lines) -> tuple[sales.SoldSeat, ...]:
        """Provisional tickets signed with the node's own key; the hub re-issues them later."""
        node_id, _ = self.me
        private = base64.urlsafe_b64decode(self.replica.credentials["node_private_key"])
        name = f"{buyer.first_name} {buyer.last_name}".strip()
        seats, position = [], 0
        for line in lines:
            for _ in range(line.quantity):
                seat_id = f"{sale_id}:{position}"
                payload = TicketPayload(self.replica.conference_id, seat_id, name, (line.name,),
                                        os.urandom(8), issuer=node_id)
                seats.append(sales.SoldSeat(seat_id, position, line.seat_type,
                                            issue_ticket(payload, private, node_key_id(node_id))))
                position += 1
        return tuple(seats)

    def cancel(self, sale_id: str, *, by: str, refund_method: str = "") -> None:
        S = self.replica.models.SaleView
        with self.replica.db.atomic():
            row = S.get_or_none(S.sale_id == sale_id)
            if row is None:
                raise DomainError("unknown_sale", "There is no such sale on this node.")
            made = self.replica.store.registry.decode("OnSiteSaleMade", 1, json.loads(row.body))
            self.replica.record(sales.cancel_sale(made, row.cancelled,
                                                  at=self.replica.clock().isoformat(), by=by,
                                                  refund_method=refund_method))

    def hand_over(self, to_node_id: str, seat_type: str, quantity: int, *, by: str) -> None:
        """Give seats to a peer door (it may sell them once the fact reaches it)."""
        node_id, epoch = self.me
        self._require_confirmed_epoch()
        to_epoch = self._epoch_of(to_node_id)
        with self.replica.db.atomic():
            self.replica.record(allocations.hand_over(
                self.holdings(), handoff_id=uuid7(), conference_id=self.replica.conference_id,
                node_id=node_id, epoch=epoch, to_node_id=to_node_id, to_epoch=to_epoch,
                seat_type=seat_type, quantity=quantity, at=self.replica.clock().isoformat(),
                by=by))

    def give_back(self, seat_type: str, quantity: int, *, by: str, return_id: str = "") -> None:
        """Lower our limit durably (the fact), then the hub frees the seats when it syncs."""
        node_id, epoch = self.me
        self._require_confirmed_epoch()
        with self.replica.db.atomic():
            self.replica.record(allocations.give_back(
                self.holdings(), return_id=return_id or uuid7(),
                conference_id=self.replica.conference_id, node_id=node_id, epoch=epoch,
                seat_type=seat_type, quantity=quantity, at=self.replica.clock().isoformat(),
                by=by))

    def answer_allocation_requests(self) -> int:
        """Return what the hub asked back (what is unsold), and ask for top-ups by policy."""
        node_id, epoch = self.me
        R = self.replica.models.AllocationRequestView
        done = 0
        for request in R.select().where((R.node_id == node_id) & (R.epoch == epoch)
                                        & (R.kind == "reduce") & (R.answered == False)):  # noqa: E712
            left = self.holdings().get(request.seat_type, Holding()).left
            if left > 0:
                self.give_back(request.seat_type, min(left, request.quantity), by="hub request",
                               return_id=request.request_id)
                done += 1
        return done + self._ask_top_ups()

    def _ask_top_ups(self) -> int:
        if self.top_up.ceiling <= 0:
            return 0
        node_id, epoch = self.me
        R = self.replica.models.AllocationRequestView
        asked = 0
        for seat_type, holding in self.holdings().items():
            pending = R.select().where((R.node_id == node_id) & (R.epoch == epoch)
                                       & (R.seat_type == seat_type) & (R.kind == "top_up")
                                       & (R.answered == False)).exists()  # noqa: E712
            quantity = allocations.top_up_needed(holding, low_water=self.top_up.low_water,
                                                 ceiling=self.top_up.ceiling)
            if quantity and not pending:
                self.replica.record([allocations.AllocationTopUpRequested(
                    uuid7(), self.replica.conference_id, node_id, epoch, seat_type, quantity,
                    self.replica.clock().isoformat())])
                asked += 1
        return asked

    def _epoch_of(self, node_id: str) -> int:
        """The peer's current epoch, as far as our replica knows (from its origins)."""
        epochs = [int(origin.rsplit(":", 1)[1]) for origin in self.replica.store.version_vector()
                  if origin.rsplit(":", 1)[0] == node_id]
        K = self.replica.models.NodeKeyView
        epochs += [k.epoch for k in K.select().where((K.node_id == node_id) & (K.epoch > 0))]
        if not epochs:
            raise DomainError("unknown_peer", "This replica has heard nothing from that node yet.")
        return max(epochs)
