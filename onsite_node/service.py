"""The node service: the composition root of the device (replica, sync, discovery, status)."""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import threading
from dataclasses import asdict, dataclass, field
from typing import Callable

from onsite_node import credentials as creds_file
from onsite_node import settings
from onsite_node.badges import BadgeMaker
from onsite_node.checkin import CheckInDesk
from onsite_node.sales import SalesDesk, TopUpPolicy
from onsite_node.front_desk import FrontDesk
from onsite_node.printing import PrintQueue, PrintWorker
from onsite_node.receipts import ReceiptMaker
from onsite_node.replica import Replica
from onsite_node.sales_counter import SalesCounter
from onsite_node.sync import HubSync, PeerSync, SyncReport
from printers.output import printer_from_config
from shared_domain import checkin
from sync_protocol.client import SyncClient, Unreachable
from sync_protocol.server import Caller
from event_store.store import utc_now
from sync_protocol.wire import ProtocolError

log = logging.getLogger(__name__)


@dataclass
class NodeConfig:
    data_dir: str = "data/node"
    host: str = "127.0.0.1"
    port: int = 8100
    hub_url: str | None = None        # None: the URL enrolled with, else what discovery finds
    discovery: bool = True
    zeroconf_interfaces: list[str] | None = None   # None: all; ["127.0.0.1"] in tests
    sync_interval: float = 5.0        # seconds between syncs while the hub answers
    max_backoff: float = 300.0        # the longest wait between attempts while it does not
    peers: list[str] = field(default_factory=list)  # peer URLs known without discovery
    reentry: bool = False             # may a checked-in ticket be admitted again?
    top_up_ceiling: int = 0           # 0: never ask the hub for more seats; else up to this many
    top_up_low_water: int = 2         # ask when this few are left
    printer: dict | None = None       # printers.printer_from_config; None: a folder in data_dir
    camera_index: int | None = None   # /dev/videoN to scan QR codes with; None: no camera
    staff_pin_hash: str | None = None  # werkzeug hash of the staff PIN; None: staff pages locked
    staff_idle_timeout_s: float = 300.0
    secure_cookies: bool = False      # behind an HTTPS proxy: the staff cookie is Secure

    def __post_init__(self):
        if not self.printer:
            self.printer = settings.default_printer(self.data_dir)


class NodeService:
    """Everything a node does, behind one object the web app and the CLI are given."""

    def __init__(self, config: NodeConfig, clock: Callable[[], dt.datetime] = utc_now):
        self.config = config
        self.clock = clock
        self.credentials = creds_file.load(config.data_dir)
        if self.credentials.get("revoked"):
            raise creds_file.NotEnrolled("This node was revoked and wiped; enroll it again.")
        self.replica = Replica(config.data_dir, self.credentials, clock)
        self.desk = CheckInDesk(self.replica,
                                policy=checkin.REENTRY if config.reentry else checkin.SINGLE_ENTRY)
        self.sales = SalesDesk(self.replica, TopUpPolicy(config.top_up_ceiling,
                                                         config.top_up_low_water))
        self.printer = printer_from_config(config.printer)
        self.badges = BadgeMaker(self.desk, int(config.printer.get("paper_width_mm", 58)))
        self.prints = PrintQueue(self.replica, self.printer, self.badges,
                                 receipts=ReceiptMaker(self.badges).receipt)
        self.front_desk = FrontDesk(self.desk, self.prints, self.badges, status=self.status,
                                    staff_pin_hash=config.staff_pin_hash,
                                    counter=SalesCounter(self.sales, self.desk, self.prints,
                                                         self.badges))
        self.print_worker = PrintWorker(self.prints)
        self.camera = None                # a CodeScanner while a camera is configured
        self.discovered_hub: str | None = None
        self.peers: dict[str, str] = {url: url for url in config.peers}  # node id -> URL
        self.connected = False
        self.last_error = ""
        self.progress = (0, 0)
        self._sync_lock = threading.Lock()

    # --- the device's workers: printer and camera --------------------------------------

    def start(self) -> None:
        """Start printing queued badges, and scanning if a camera is configured."""
        self.print_worker.start()
        if self.config.camera_index is not None:
            from onsite_node.scanner import camera_frames
            self.start_camera(camera_frames(self.config.camera_index))

    def start_camera(self, frames) -> None:
        """Scan the codes in these frames (a camera's, or a test's) at this door."""
        from onsite_node.scanner import CodeScanner
        self.camera = CodeScanner(frames, on_code=self.front_desk.camera_scan).start()

    def camera_state(self) -> dict:
        index, camera = self.config.camera_index, self.camera
        if camera is None:
            return {"configured": index is not None, "running": False,
                    "text": "No camera: scanners type into the kiosk page."}
        text = (camera.problem or ("Watching for QR codes." if camera.running
                                   else "The camera stopped sending images."))
        return {"configured": True, "running": camera.running, "text": text}

    def stop_workers(self) -> None:
        if self.camera is not None:
            self.camera.stop()
        self.print_worker.stop()

    # --- who we talk to ----------------------------------------------------------

    @property
    def node_id(self) -> str:
        return self.replica.credentials["node_id"]

    def hub_url(self) -> str | None:
        return self.config.hub_url or self.discovered_hub or self.credentials.get("hub_url")

    def hub_client(self) -> SyncClient:
        creds = self.replica.credentials
        return SyncClient(self.hub_url(), creds["node_id"], creds["secret"],
                          clock_offset=self.replica.get_state("clock_offset", 0.0))

    def peer_client(self, url: str) -> SyncClient:
        creds = self.replica.credentials
        return SyncClient(url, f"peer:{creds['node_id']}", creds["venue_key"], timeout=5.0,
                          clock_offset=self.replica.get_state("clock_offset", 0.0))

    def hub_time(self) -> float:
        """Our clock corrected by the offset measured against the hub: what peers stamp with."""
        return self.clock().timestamp() + (self.replica.get_state("clock_offset", 0.0) or 0.0)

    def peer_caller(self, key_id: str) -> Caller:
        """Peers sign with the venue key they got at enrollment."""
        if not key_id.startswith("peer:"):
            raise ProtocolError(401, "unknown_peer", "Peers sign as 'peer:<node id>'.")
        return Caller(key_id=key_id, secret=self.replica.credentials["venue_key"],
                      conference=self.replica.conference_id, name=key_id)

    # --- syncing -------------------------------------------------------------------

    def sync_hub(self) -> SyncReport:
        """One sync cycle with the hub; raises Unreachable when it cannot be reached."""
        if not self.hub_url():
            raise Unreachable("no hub URL configured and none discovered")
        with self._sync_lock:
            try:
                report = HubSync(self.replica, self.hub_client(),
                                 progress=self._show_progress).cycle()
            except ProtocolError as refusal:
                self._refused(refusal)
                raise
            except Unreachable as e:
                self.connected, self.last_error = False, str(e)
                raise
            self.connected, self.last_error = True, ""
            if report.new_epoch:
                self.credentials = self.replica.credentials
            if self.sales.answer_allocation_requests():
                # Hand the hub the returns and top-up requests just decided, without a cycle's wait.
                HubSync(self.replica, self.hub_client()).cycle()
            return report

    def sync_peers(self) -> int:
        """One anti-entropy round with every known peer; return how many answered."""
        answered = 0
        for node_id, url in list(self.peers.items()):
            try:
                with self._sync_lock:
                    PeerSync(self.replica, self.peer_client(url)).cycle()
                answered += 1
            except (Unreachable, ProtocolError) as e:
                log.info("peer %s (%s, %s) not synced: %s", self.replica.door_name(node_id),
                         node_id, url, e)
        return answered

    def _show_progress(self, done: int, total: int) -> None:
        self.progress = (done, total)
        if total > 1000 and (done == total or done % 5000 < 500):
            log.info("first sync: %d of %d events", done, total)

    def _refused(self, refusal: ProtocolError) -> None:
        self.last_error = f"{refusal.code}: {refusal.message}"
        if refusal.code == "node_revoked" or refusal.extra.get("wipe"):
            self.wipe()

    def wipe(self) -> None:
        """A revoked node forgets every personal fact it held and its secrets."""
        log.warning("node revoked by the hub: wiping personal data")
        self.stop_workers()
        self.replica.close()
        if self.config.printer.get("kind") == "folder":    # badge images carry names
            shutil.rmtree(self.config.printer["path"], ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            path = os.path.join(self.config.data_dir, "node.sqlite3" + suffix)
            if os.path.exists(path):
                os.remove(path)
        creds_file.save(self.config.data_dir, {"revoked": True, "node_id": self.node_id,
                                               "wiped_at": self.clock().isoformat()})
        self.credentials = {"revoked": True}

    # --- status ----------------------------------------------------------------------

    def status(self) -> dict:
        if self.credentials.get("revoked"):
            return {"revoked": True}
        replica = self.replica
        hub_acked = replica.get_state("hub_acked", {}) or {}
        mine = replica.store.version_vector(replica.conference_id)
        waiting = sum(max(0, seq - hub_acked.get(o, 0)) for o, seq in mine.items()
                      if not o.startswith("hub/"))
        return {"node_id": self.node_id, "name": replica.credentials.get("name", ""),
                "conference": replica.credentials["conference"], "origin": replica.origin,
                "epoch": replica.credentials["epoch"], "connected": self.connected,
                "hub_url": self.hub_url(), "last_sync": replica.get_state("last_sync"),
                "last_error": self.last_error, "events_waiting": waiting,
                "clock_offset": replica.get_state("clock_offset"),
                "events": replica.store.count(), "vector": mine,
                "peers": sorted(self.peers.values()), "first_sync_progress": list(self.progress),
                "printer": asdict(self.prints.state()), "camera": self.camera_state()}

    def close(self) -> None:
        self.stop_workers()
        if not self.credentials.get("revoked"):
            self.replica.close()
