"""The reader that turns seats come free into wait-list offers, and sets each offer's alarm.

Seats come free when a reservation gives seats back (an order expired, cancelled or made
smaller; an offer ended), a paid order is cancelled, the quantity is raised or a node
returns seats; a list may also be able to offer when someone joins or it reopens. Each
asks the seat type's list to OfferFreedSeats: the list decides whether anyone gets an offer
(hub/waitlists/handlers.py). A new offer asks again, for whoever is next."""
from __future__ import annotations

from shared_domain import seats_availability as sa
from shared_domain import waitlists as wl
from event_store.ids import uuid7
from event_store.store import StoredEvent

_FREEING = (sa.SeatsReservationCancelled, sa.OrderSeatsReleased, sa.AvailableSeatsChanged,
            sa.SeatsReserved, sa.NodeSeatsReturned)


class WaitlistOffers:
    name = "waitlist_offers"
    # Someone leaving may let the next in line (who wants fewer seats) be offered.
    _OWN = (wl.WaitlistJoined, wl.WaitlistReopened, wl.WaitlistOfferMade, wl.WaitlistLeft,
            wl.WaitlistEntryRemoved)
    handles = (*_FREEING, *_OWN)

    def __init__(self, hub):
        self.hub = hub

    def apply(self, event: StoredEvent) -> None:
        m = event.message
        if isinstance(m, wl.WaitlistOfferMade):
            self.hub.bus.send(wl.ExpireWaitlistOffer(m.conference_id, m.seat_type, m.offer_id),
                              deliver_at=m.expires_at, correlation=m.offer_id)
        for seat_type in self._may_offer(m):
            if self.hub.store.stream_version(wl.stream_id(m.conference_id, seat_type)):
                offer_id = uuid7()
                self.hub.bus.send(wl.OfferFreedSeats(m.conference_id, seat_type, offer_id),
                                  correlation=offer_id)

    @staticmethod
    def _may_offer(m) -> list[str]:
        """The seat types whose list may now be able to make an offer."""
        if isinstance(m, WaitlistOffers._OWN):
            return [m.seat_type]
        if isinstance(m, sa.NodeSeatsReturned):
            return [m.seat_type] if m.quantity > 0 else []
        deltas = m.seats if isinstance(m, sa.AvailableSeatsChanged) else m.available_seats_changed
        return [d.seat_type for d in deltas if d.quantity > 0]
