"""Hypothesis stateful test: sold never exceeds capacity, under any interleaving of online
orders, allocations, top-ups, returns, hand-overs, offline sales, lost requests and replies,
duplicate deliveries, node restarts, and a node restored from an old copy."""
import itertools
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hub.venue import allocations
from hub.conferences import management
from hub.venue import nodes
from hub.orders import registration
from hub.http.app import create_app
from hub.bootstrap import HubConfig
from onsite_node import credentials as creds_file
from onsite_node.replica import Replica
from onsite_node.sales import SalesDesk, TopUpPolicy
from onsite_node.sync import HubSync, PeerSync
from shared_domain.errors import DomainError
from shared_domain.people import PersonalInfo
from sync_protocol.client import SyncClient, Unreachable
from tests.support.inprocess import FlaskSession, PeerClient

CAPACITY = 6
NODES = ("a", "b")
FATES = st.sampled_from(["ok", "ok", "drop_request", "drop_reply"])
BUYER = PersonalInfo("Walk", "In", "walk@example.org")
counter = itertools.count()


class Door:
    def __init__(self, root: Path, hub, name):
        self.root, self.dir = root, root / name
        node, code = nodes.create_node(hub, hub.conference, f"Door {name}")
        private, public = creds_file.new_signing_key()
        creds = nodes.enroll(hub, code, public, "test")
        creds_file.save(str(self.dir), {**creds, "node_private_key": private,
                                        "node_public_key": public})
        self.open()

    def open(self):
        self.replica = Replica(str(self.dir), creds_file.load(str(self.dir)))
        self.desk = SalesDesk(self.replica, TopUpPolicy(ceiling=3, low_water=1))

    def close(self):
        self.replica.close()


class NoOversell(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="oversell-"))
        self.app = create_app(HubConfig(data_dir=str(self.root / "hub"), secret_key="x"),
                              start_worker=False)
        self.hub = self.app.extensions["contoso_hub"]
        conference, _ = management.create_conference(self.hub, {
            "name": "Oversell", "slug": f"o{next(counter)}", "start_date": "2026-12-01",
            "description": "d", "location": "l",
            "end_date": "2026-12-02", "owner_name": "O", "owner_email": "o@example.org"})
        self.seat_type = management.create_seat_type(self.hub, conference, {
            "name": "Workshop", "quantity": CAPACITY, "price": 10}).id
        management.publish(self.hub, conference)
        self.hub.conference = conference
        self.hub.run_until_idle()
        self.doors = {name: Door(self.root, self.hub, name) for name in NODES}
        self.session = FlaskSession(self.app)
        self.physical_sales = {}       # sale_id -> quantity, as made at a door
        self.cancelled = set()
        self.online = []
        self.backups = {}

    def teardown(self):
        for door in self.doors.values():
            door.close()
        self.hub.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- the hub side ----------------------------------------------------------------

    @rule(quantity=st.integers(1, 3))
    def registrant_buys_online(self, quantity):
        try:
            order_id = registration.place_order(self.hub, self.hub.conference.slug,
                                                [{"seat_type": self.seat_type, "quantity": quantity}])
            self.hub.run_until_idle()
            registration.assign_registrant(self.hub, order_id, {
                "first_name": "O", "last_name": "N", "email": "on@example.org"})
            payment = registration.start_payment(self.hub, order_id, "card")
            registration.complete_payment(self.hub, payment["payment_id"], accepted=True)
            self.online.append(order_id)
        except Exception:
            pass   # nothing reserved: nothing to pay
        self.hub.run_until_idle()

    @rule(name=st.sampled_from(NODES), quantity=st.integers(1, 4))
    def admin_allocates(self, name, quantity):
        node = self.hub.models.Node.get_by_id(self.doors[name].replica.credentials["node_id"])
        allocations.allocate(self.hub, node, self.seat_type, quantity)
        self.hub.run_until_idle()

    @rule(name=st.sampled_from(NODES), quantity=st.integers(1, 4))
    def admin_asks_seats_back(self, name, quantity):
        node = self.hub.models.Node.get_by_id(self.doors[name].replica.credentials["node_id"])
        allocations.request_reduction(self.hub, node, self.seat_type, quantity)

    # --- the doors ---------------------------------------------------------------------

    @rule(name=st.sampled_from(NODES), quantity=st.integers(1, 3))
    def planner_sells(self, name, quantity):
        try:
            sale = self.doors[name].desk.sell(buyer=BUYER, wanted={self.seat_type: quantity},
                                              payment_method="cash", by="p")
            self.physical_sales[sale.sale_id] = quantity
        except DomainError:
            pass

    @rule(name=st.sampled_from(NODES))
    def planner_cancels_a_sale(self, name):
        S = self.doors[name].replica.models.SaleView
        sale = S.select().where(S.cancelled == False).first()  # noqa: E712
        if sale is not None and sale.node_id == self.doors[name].replica.credentials["node_id"]:
            try:
                self.doors[name].desk.cancel(sale.sale_id, by="p")
                self.cancelled.add(sale.sale_id)
            except DomainError:
                pass

    @rule(name=st.sampled_from(NODES), quantity=st.integers(1, 3))
    def planner_gives_seats_back(self, name, quantity):
        try:
            self.doors[name].desk.give_back(self.seat_type, quantity, by="p")
        except DomainError:
            pass

    @rule(giver=st.sampled_from(NODES), quantity=st.integers(1, 3))
    def door_hands_seats_to_the_other(self, giver, quantity):
        taker = next(n for n in NODES if n != giver)
        try:
            self.doors[giver].desk.hand_over(self.doors[taker].replica.credentials["node_id"],
                                             self.seat_type, quantity, by="p")
        except DomainError:
            pass

    @rule(name=st.sampled_from(NODES), fate=FATES, fate_after=FATES)
    def door_syncs_with_the_hub(self, name, fate, fate_after):
        door = self.doors[name]
        creds = door.replica.credentials
        client = SyncClient("http://hub", creds["node_id"], creds["secret"], session=self.session)
        self.session.fate = fate
        try:
            HubSync(door.replica, client).cycle()
            door.desk.answer_allocation_requests()
            self.session.fate = fate_after
            HubSync(door.replica, client).cycle()
        except Unreachable:
            pass
        finally:
            self.session.fate = "ok"
        self.hub.run_until_idle()

    @rule(a=st.sampled_from(NODES))
    def doors_gossip(self, a):
        b = next(n for n in NODES if n != a)
        PeerSync(self.doors[a].replica, PeerClient(self.doors[b].replica)).cycle()

    @rule(name=st.sampled_from(NODES))
    def door_restarts(self, name):
        self.doors[name].close()
        self.doors[name].open()

    @rule(name=st.sampled_from(NODES))
    def door_is_backed_up(self, name):
        door = self.doors[name]
        door.close()
        target = self.root / f"backup-{name}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(door.dir, target)
        door.open()

    @precondition(lambda self: self.backups_possible())
    @rule(name=st.sampled_from(NODES))
    def door_is_restored_from_its_backup(self, name):
        door = self.doors[name]
        if not (self.root / f"backup-{name}").exists() or not self._all_facts_held_elsewhere(name):
            return
        door.close()
        shutil.rmtree(door.dir)
        shutil.copytree(self.root / f"backup-{name}", door.dir)
        door.open()

    def backups_possible(self):
        return any((self.root / f"backup-{n}").exists() for n in NODES)

    def _all_facts_held_elsewhere(self, name) -> bool:
        """Facts nobody else ever saw are lost with the SD card: the model restores only a door
        whose every fact reached the hub or the other door."""
        origin = self.doors[name].replica.origin
        mine = self.doors[name].replica.store.version_vector().get(origin, 0)
        held = [self.hub.store.version_vector().get(origin, 0)] + [
            d.replica.store.version_vector().get(origin, 0) for n, d in self.doors.items() if n != name]
        return max(held) >= mine

    # --- the promise -------------------------------------------------------------------------

    @invariant()
    def sold_never_exceeds_capacity(self):
        O, I = self.hub.models.OrderView, self.hub.models.OrderItemView
        online = sum(i.reserved for i in I.select().join(O, on=(I.order_id == O.order_id))
                     .where((O.status == "confirmed") & (O.sold_on_site_by == "")))
        on_site = sum(q for sale, q in self.physical_sales.items() if sale not in self.cancelled)
        assert online + on_site <= CAPACITY, (online, on_site)

    @invariant()
    def the_hub_never_counts_more_than_capacity(self):
        V = self.hub.models.SeatTypeView
        row = V.get_or_none(V.seat_type_id == self.seat_type)
        assert row is None or 0 <= row.available <= CAPACITY


NoOversell.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
test_no_oversell = NoOversell.TestCase
