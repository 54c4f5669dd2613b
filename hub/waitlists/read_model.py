"""The wait-lists' read model: who waits on which list, offered until when, converted."""
from __future__ import annotations

from shared_domain import orders
from shared_domain import waitlists as wl
from event_store.store import StoredEvent

_ENDED = {wl.WaitlistLeft: wl.LEFT, wl.WaitlistEntryRemoved: wl.REMOVED,
          wl.WaitlistOfferAccepted: wl.ACCEPTED, wl.WaitlistOfferDeclined: wl.DECLINED,
          wl.WaitlistOfferExpired: wl.EXPIRED}


class WaitlistViews:
    """A reader of the log that keeps the wait-list tables; rebuilt by replaying it."""

    name = "waitlist_views"

    def __init__(self, hub, models):
        self.hub = hub
        self.m = models
        self.handles = (*wl.WAITLIST_EVENTS, orders.OrderConfirmed)

    def apply(self, event: StoredEvent) -> None:
        e = event.message
        E = self.m.WaitlistEntryView
        match e:
            case wl.WaitlistJoined():
                self._list(e)
                E.insert(entry_id=e.entry_id, conference_id=e.conference_id,
                         seat_type=e.seat_type, email=e.email, name=e.name,
                         quantity=e.quantity, joined_at=e.joined_at.isoformat(),
                         position=event.version, status=wl.WAITING).on_conflict_ignore().execute()
            case wl.WaitlistOfferMade():
                E.update(status=wl.OFFERED, offer_id=e.offer_id,
                         offer_expires_at=e.expires_at.isoformat()).where(
                    E.entry_id == e.entry_id).execute()
            case wl.WaitlistClosed() | wl.WaitlistReopened():
                self._list(e, closed=isinstance(e, wl.WaitlistClosed))
            case wl.OfferWindowSet():
                self._list(e, offer_window_minutes=e.minutes)
            case orders.OrderConfirmed():
                E.update(converted=True).where(E.offer_id == e.order_id).execute()
            case _ if type(e) in _ENDED:
                E.update(status=_ENDED[type(e)]).where(E.entry_id == e.entry_id).execute()

    def _list(self, e, **fields) -> None:
        L = self.m.WaitlistView
        row = dict(conference_id=e.conference_id, seat_type=e.seat_type, closed=False,
                   offer_window_minutes=wl.DEFAULT_OFFER_WINDOW_MINUTES)
        L.insert(**{**row, **fields}).on_conflict_ignore().execute()
        if fields:
            L.update(**fields).where((L.conference_id == e.conference_id)
                                     & (L.seat_type == e.seat_type)).execute()

    def reset(self) -> None:
        for model in self.m.all:
            model.delete().execute()
