"""What an admin URL names (a conference by slug, a node, a conflict), or a 404."""
from __future__ import annotations

from hub.venue import conflict_queries
from hub.conferences import management_queries
from hub.venue import node_admin
from shared_domain.errors import DomainError


def conference_or_404(hub, slug: str):
    conference = management_queries.conference_by_slug(hub, slug)
    if conference is None:
        raise DomainError("conference_not_found", f"There is no conference '{slug}'.")
    return conference


def node_or_404(hub, conference, node_id: str):
    node = node_admin.node_in(hub, conference.id, node_id)
    if node is None:
        raise DomainError("node_not_found", "This conference has no such node.")
    return node


def conflict_or_404(hub, conflict_id: str):
    conflict = conflict_queries.conflict_by_id(hub, conflict_id)
    if conflict is None:
        raise DomainError("conflict_not_found", "There is no conflict with this id.")
    return conflict

