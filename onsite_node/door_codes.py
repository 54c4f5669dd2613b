"""The promotional codes a door knows: each code's terms from the replicated definitions
(the hub's PromotionalCodeDefined and PromotionalCodeUpdated), nothing of who used them."""
from __future__ import annotations

import json

from onsite_node.projections import connection_of
from onsite_node.projector import Immediate
from shared_domain import promotions
from event_store.codec import from_jsonable, to_jsonable
from event_store.store import StoredEvent, canonical_json

UPSERT_CODE = ("INSERT INTO rm_door_code (code, terms) VALUES (?, ?) "
               "ON CONFLICT (code) DO UPDATE SET terms = excluded.terms")


class DoorCodes:
    """A projection of the codes' terms, rebuildable from position 0 like the others."""

    name = "door_codes"
    handles = frozenset({"PromotionalCodeDefined", "PromotionalCodeUpdated"})

    def __init__(self, models):
        self.m = models

    def apply(self, event: StoredEvent) -> None:
        self.project(event, Immediate(connection_of(self.m)))

    def project(self, event: StoredEvent, w) -> None:
        e = event.message
        if isinstance(e, (promotions.PromotionalCodeDefined, promotions.PromotionalCodeUpdated)):
            w.run("rm_door_code", UPSERT_CODE, (e.code, canonical_json(to_jsonable(e.terms))))

    def reset(self) -> None:
        self.m.DoorCodeView.delete().execute()


def known_terms(models, codes) -> dict[str, promotions.CodeTerms]:
    """The terms this door holds for these codes (a code it does not know is left out)."""
    V = models.DoorCodeView
    return {row.code: from_jsonable(promotions.CodeTerms, json.loads(row.terms))
            for row in V.select().where(V.code.in_(list(codes)))} if codes else {}
