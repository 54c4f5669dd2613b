"""Syncing the replica: push what the other side lacks, then pull, each batch in one transaction."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from onsite_node import credentials as creds_file
from onsite_node.own_facts import peer_admission
from onsite_node.replica import Replica
from sync_protocol.client import SyncClient
from sync_protocol.ingest import events_missing_from, events_of, ingest, rows_of
from sync_protocol.resendable import resendable
from sync_protocol.wire import DEFAULT_BATCH, ProtocolError, check_envelope, to_wire

log = logging.getLogger(__name__)
SOFTWARE_VERSION = "0.1.0"
Progress = Callable[[int, int], None]


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    duplicates: int = 0
    conflicts: int = 0
    new_epoch: bool = False
    notes: list[str] = field(default_factory=list)


def hub_origin(origin: str) -> bool:
    return origin.startswith("hub/")


class HubSync:
    """One node's sync with the hub: push (by the hub's version vector), then pull (by position)."""

    def __init__(self, replica: Replica, client: SyncClient, *, batch: int = DEFAULT_BATCH,
                 progress: Progress | None = None):
        self.replica, self.client, self.batch, self.progress = replica, client, batch, progress

    def cycle(self) -> SyncReport:
        """One resumable sync cycle; any step may fail and the next cycle picks up from there."""
        report = SyncReport()
        self.replica.set_state("clock_offset", self.client.measure_clock())
        hub_vector = self.client.call("GET", "/sync/v1/vector")["vector"]
        report.new_epoch = self._check_epoch(hub_vector)
        self._push(hub_vector, report)
        self.replica.set_state("hub_acked", hub_vector)
        self._pull(report, self._lacking(hub_vector))
        self.replica.set_state("last_sync", self.replica.clock().isoformat())
        return report

    def _check_epoch(self, hub_vector: dict[str, int]) -> bool:
        """A log behind what the hub acknowledged for our origin was restored from a copy."""
        mine = self.replica.known_own_seq
        if hub_vector.get(self.replica.origin, 0) <= mine and not self.replica.get_state("stale_epoch"):
            self.replica.epoch_confirmed = True
            return False
        log.warning("log behind the hub for %s: starting a new epoch", self.replica.origin)
        self.replica.set_state("stale_epoch", True)
        fresh = self.client.call("POST", "/sync/v1/epoch", {"protocol": 1})
        credentials = {**self.replica.credentials,
                       **{k: fresh[k] for k in ("epoch", "origin", "ticket_public_keys",
                                                "venue_key", "event_public_key") if k in fresh}}
        creds_file.save(self.replica.data_dir, credentials)
        self.replica.credentials = credentials
        self.replica.known_own_seq = self.replica.store.version_vector().get(credentials["origin"], 0)
        self.replica.set_state("stale_epoch", False)
        self.replica.epoch_confirmed = True
        return True

    def _push(self, hub_vector: dict[str, int], report: SyncReport) -> None:
        store = self.replica.store
        # Relayed origins first, our own last: a peer's hand-over reaches the hub before
        # our sales that rely on it.
        vector = store.version_vector(self.replica.conference_id)
        for origin, held in sorted(vector.items(),
                                   key=lambda kv: (kv[0] == self.replica.origin, kv[0])):
            acked = hub_vector.get(origin, 0)
            while not hub_origin(origin) and acked < held:
                events = events_of(store, origin, acked, self.batch)
                try:
                    reply = self.client.call("POST", "/sync/v1/push", {
                        "protocol": 1, "events": [to_wire(e) for e in events],
                        "status": self.status(hub_vector)})
                except ProtocolError as refusal:
                    if not refused_for_its_events(refusal):
                        raise
                    self._note_refused(origin, refusal, report)
                    break
                self._forget_refused(origin)
                new_acked = reply["acked_through"].get(origin, acked)
                report.pushed += max(0, new_acked - acked)
                report.duplicates += reply["duplicates"]
                report.conflicts += reply["conflicts"]
                if new_acked <= acked:
                    report.notes.append(f"hub did not advance {origin}: {reply.get('gap')}")
                    break
                hub_vector[origin] = acked = new_acked

    def _note_refused(self, origin: str, refusal: ProtocolError, report: SyncReport) -> None:
        """The hub refused an origin's next events (a revoked peer's, say): skip that origin
        so the others, our own included, still get through; say so in the node's status."""
        note = f"hub refused {origin}: {refusal.code}: {refusal.message}"
        log.warning(note)
        report.notes.append(note)
        refused = self.replica.get_state("refused_origins", {}) or {}
        self.replica.set_state("refused_origins", {**refused, origin: f"{refusal.code}: "
                                                                      f"{refusal.message}"})

    def _forget_refused(self, origin: str) -> None:
        refused = self.replica.get_state("refused_origins", {}) or {}
        if origin in refused:
            self.replica.set_state("refused_origins",
                                   {o: r for o, r in refused.items() if o != origin})

    def _lacking(self, hub_vector: dict[str, int]) -> int:
        """How many of the hub's events this replica lacks, by the vectors: what a pull is
        expected to bring (the progress display's total)."""
        mine = self.replica.store.version_vector(self.replica.conference_id)
        return sum(max(0, seq - mine.get(origin, 0)) for origin, seq in hub_vector.items())

    def _pull(self, report: SyncReport, lacking: int | None = None) -> None:
        """The feed after our cursor, page by page. The next page is asked for while this one
        is stored (one request in flight, on its own thread): the hub prepares it meanwhile
        instead of waiting for us, and we for it."""
        after = self.replica.get_state("hub_cursor", 0)
        self._pulled = 0      # envelopes looked at by this pull (for `progress`)
        self._lacking_at_start = lacking
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed") as prefetch:
            coming = prefetch.submit(self._fetch, after)
            while coming is not None:
                (page, envelopes, rows), coming = coming.result(), None
                self._learn_event_key(page.get("event_public_key"))
                # The hub leaves out this node's own events and says where the page ended.
                page_end = _position(page.get("next_after"), envelopes)
                if page_end <= after:
                    break
                if page["remaining"] > 0:
                    coming = prefetch.submit(self._fetch, page_end)
                if not self._store_page(page, envelopes, rows, page_end, report):
                    break
                after = page_end
        self.replica.project()

    def _fetch(self, after: int) -> tuple[dict, list[dict], list[dict]]:
        """A feed page, its envelopes checked and their rows made (`rows_of`: canonical bodies
        and payload hashes), on the prefetch thread while the page before is stored."""
        page = self.client.feed(after, self.batch)
        envelopes = [check_envelope(e, i) for i, e in enumerate(page["events"])]
        if any(e["conference"] != self.replica.conference_id for e in envelopes):
            raise ProtocolError(502, "wrong_conference", "The hub sent another conference's events.")
        return page, envelopes, rows_of(self.replica.store, envelopes)

    def _store_page(self, page: dict, envelopes: list[dict], rows: list[dict], page_end: int,
                    report: SyncReport) -> bool:
        """Ingest a page and move the cursor to its end (to the last event stored before a
        gap); False when the pull stops here (a gap, or the feed's end)."""
        store = self.replica.store
        # The page, the cursor and the projections of the page commit together, without an
        # fsync of their own: lost to a power cut, the page is pulled again (`resendable`).
        with resendable(store.db):
            result = ingest(store, envelopes, source="hub", rows=rows) if envelopes else None
            if result is not None and result.gap:
                if result.processed:
                    self.replica.set_state("hub_cursor",
                                           envelopes[result.processed - 1]["position"])
            else:
                self.replica.set_state("hub_cursor", page_end)
            self.replica.project()
        self.replica.forget()   # committed: nothing read before it may be kept
        if result is None:      # only this node's own events: nothing to store
            return page["remaining"] > 0
        report.pulled += len(result.stored)
        report.duplicates += result.duplicates
        self._pulled += result.processed
        if self.progress:
            self.progress(self._pulled, self._expected_total(page["remaining"]))
        if result.gap:
            report.notes.append(f"gap in the hub feed: {result.gap}")
            return False
        return page["remaining"] > 0

    def _expected_total(self, remaining: int) -> int:
        """The pull's expected size: `remaining` is exact from an older hub, an upper bound
        from a newer one (positions, not events: docs/sync-protocol.md section 5), so the
        events the vectors said we lacked bound it too."""
        if remaining <= 0:
            return self._pulled
        bound = self._pulled + remaining
        if self._lacking_at_start is not None:
            bound = min(bound, self._lacking_at_start)
        return max(self._pulled, bound)

    def _learn_event_key(self, key) -> None:
        """The key the hub signs its events with (a node enrolled before it had one learns it
        here, from the hub itself): what this node checks the hub's events a peer relays by."""
        if isinstance(key, str) and key and key != self.replica.credentials.get("event_public_key"):
            credentials = {**self.replica.credentials, "event_public_key": key}
            creds_file.save(self.replica.data_dir, credentials)
            self.replica.credentials = credentials

    def status(self, hub_vector: dict[str, int]) -> dict:
        """What the node reports to the hub admin with every push."""
        store = self.replica.store
        mine = store.version_vector(self.replica.conference_id)
        waiting = sum(max(0, seq - hub_vector.get(o, 0)) for o, seq in mine.items()
                      if not hub_origin(o))
        first = events_of(store, self.replica.origin, hub_vector.get(self.replica.origin, 0), 1)
        return {"events_waiting": waiting,
                "oldest_unsynced": first[0].occurred_at if first else None,
                "clock_offset": self.client.clock_offset, "software_version": SOFTWARE_VERSION,
                "refused_origins": self.replica.get_state("refused_origins", {}) or {}}


def refused_for_its_events(refusal: ProtocolError) -> bool:
    """A refusal of one event of the batch (it names its index), not of the node or request."""
    return (refusal.status in (400, 403, 409) and "index" in refusal.extra
            and not refusal.extra.get("wipe"))


class PeerSync:
    """Anti-entropy with one peer on the venue LAN: pull by version vector, then push what it lacks."""

    def __init__(self, replica: Replica, client: SyncClient, *, batch: int = DEFAULT_BATCH):
        self.replica, self.client, self.batch = replica, client, batch

    def _check_epoch(self, peer_vector: dict[str, int]) -> None:
        """A peer holding more of our origin than we do means our data was restored from a
        copy: record nothing until the hub gives us a new epoch."""
        origin = self.replica.origin
        if peer_vector.get(origin, 0) > self.replica.known_own_seq:
            log.warning("a peer holds more of %s than we do: stale epoch", origin)
            self.replica.set_state("stale_epoch", True)
        elif not self.replica.get_state("stale_epoch"):
            self.replica.epoch_confirmed = True

    def cycle(self) -> SyncReport:
        report = SyncReport()
        store, conference = self.replica.store, self.replica.conference_id
        while True:
            reply = self.client.pull_by_vector(store.version_vector(conference), self.batch)
            envelopes = [check_envelope(e, i) for i, e in enumerate(reply["events"])]
            if any(e["conference"] != conference for e in envelopes):
                raise ProtocolError(502, "wrong_conference", "A peer sent another conference's events.")
            envelopes = self._admitted(envelopes, report)
            result = ingest(store, envelopes, source=self.client.base_url)
            report.pulled += len(result.stored)
            if not reply["has_more"] or not result.stored:
                break
        peer_vector = reply["vector"]
        self._check_epoch(peer_vector)
        self._push_to_peer(peer_vector, report)
        self.replica.project()
        return report

    def _admitted(self, envelopes: list[dict], report: SyncReport) -> list[dict]:
        """What a peer hands over must pass what its push would; an origin whose event fails
        (unsigned, say, or of a key not known here yet) is left out from that event on, so
        the peer's other origins still come through (and the hub sends it later)."""
        admit = peer_admission(lambda: self.replica.clock().timestamp()
                               + (self.replica.get_state("clock_offset", 0.0) or 0.0),
                               self.replica.origin_keys())
        kept, refused = [], set()
        for i, envelope in enumerate(envelopes):
            if envelope["origin"] in refused:
                continue
            try:
                admit(i, envelope)
            except ProtocolError as refusal:
                refused.add(envelope["origin"])
                note = f"peer's events of {envelope['origin']} left out: {refusal.code}"
                log.info("%s (%s)", note, refusal.message)
                report.notes.append(note)
                continue
            kept.append(envelope)
        return kept

    def _push_to_peer(self, peer_vector: dict[str, int], report: SyncReport) -> None:
        """What the peer lacks; an origin it refuses (it cannot check its signatures yet, say)
        is skipped so the rest still goes."""
        store, conference = self.replica.store, self.replica.conference_id
        skipped = set()
        while True:
            held = store.version_vector(conference)
            asked = {**peer_vector, **{o: held.get(o, 0) for o in skipped}}
            missing = events_missing_from(store, asked, conference=conference, limit=self.batch)
            if not missing:
                break
            envelopes = [to_wire(e) for e in missing]
            try:
                acked = self.client.push(envelopes)["acked_through"]
            except ProtocolError as refusal:
                index = refusal.extra.get("index")
                if not refused_for_its_events(refusal) or type(index) is not int \
                        or not 0 <= index < len(envelopes):
                    raise
                origin = envelopes[index]["origin"]
                report.notes.append(f"peer refused {origin}: {refusal.code}")
                skipped.add(origin)
                continue
            if all(acked.get(o, 0) <= peer_vector.get(o, 0) for o in acked):
                break  # the peer took nothing: stop rather than loop
            report.pushed += sum(acked[o] - peer_vector.get(o, 0) for o in acked)
            peer_vector.update(acked)


def _position(next_after, envelopes: list[dict]) -> int:
    """Where a feed page ends: its `next_after`, never before its last event (a hub of an
    older release that sends a bad or no `next_after` still moves the cursor)."""
    last = envelopes[-1]["position"] if envelopes else 0
    return max(next_after, last) if type(next_after) is int else last
