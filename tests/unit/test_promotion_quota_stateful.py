"""A code's quota holds across hub orders and door sales, whatever the interleaving: orders
redeem and release on the hub (the code's stream decides), the organiser changes the quota,
doors sell offline from a replica of the code's terms that syncs now and then. A door grants
a code only when its copy says unlimited (door_codes.door_discount), so no door sale can
take a use, and the hub's holds never pass the quota; the hub, checking each door sale against
the terms the door held, finds it sound. A late payment reinstating an order takes its use
again within the quota, or is refused."""
from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from shared_domain import door_codes, promotions as p
from shared_domain.sales import SaleLine
from shared_domain.errors import DomainError
from tests.unit.domain_givens import NOW

CONF, CODE, CAPACITY = "conf-1", "FEW", {"general": 30}
ORDERS = st.sampled_from([f"o-{n}" for n in range(8)])
DOORS = st.sampled_from(["door-a", "door-b"])
LINES = (SaleLine("general", "General", 2, 10000, 20000),)
QUOTA = st.one_of(st.just((p.UNLIMITED, 0)), st.tuples(st.sampled_from([p.USES, p.SEATS]),
                                                       st.integers(1, 6)))


class QuotaAcrossHubAndDoors(RuleBasedStateMachine):
    @initialize(quota=QUOTA)
    def define(self, quota):
        terms = p.CodeTerms(p.PERCENTAGE, 50, (), quota[0], quota[1])
        self.events = p.decide(None, p.DefinePromotionalCode(CONF, CODE, terms), now=NOW,
                               capacity=CAPACITY)
        # each door's synced copy, and how many of the code's events it had
        self.replicas = {"door-a": (terms, 1), "door-b": (terms, 1)}
        self.door_grants: list[tuple[str, p.CodeTerms, object, int]] = []

    @property
    def state(self):
        return p.fold(self.events)

    def _handle(self, command):
        try:
            self.events += p.decide(self.state, command, now=NOW, capacity=CAPACITY)
        except DomainError as refused:
            assert refused.code in ("promotional_code_exhausted", "quota_below_uses")

    @rule(order=ORDERS, seats=st.integers(1, 4))
    def hub_order_redeems(self, order, seats):
        self._handle(p.RedeemPromotionalCode(CONF, CODE, order, seats))

    @rule(order=ORDERS, seats=st.integers(1, 4))
    def late_payment_reinstates(self, order, seats):
        self._handle(p.RedeemPromotionalCode(CONF, CODE, order, seats, reinstating=True))

    @rule(order=ORDERS, reason=st.sampled_from([p.REMOVED, p.ORDER_EXPIRED,
                                                p.ORDER_CANCELLED]))
    def hub_order_lets_go(self, order, reason):
        self._handle(p.ReleasePromotionalCode(CONF, CODE, order, reason))

    @rule(quota=QUOTA)
    def organiser_changes_the_quota(self, quota):
        terms = p.CodeTerms(p.PERCENTAGE, 50, (), quota[0], quota[1])
        self._handle(p.UpdatePromotionalCode(CONF, CODE, terms))

    @rule(door=DOORS)
    def door_syncs(self, door):
        self.replicas[door] = (self.state.terms, len(self.events))

    @rule(door=DOORS)
    def door_sells_with_the_code(self, door):
        terms, known = self.replicas[door]
        holds = self.state.holds
        try:
            priced = door_codes.door_discount({CODE: terms}, [CODE], LINES, NOW)
        except DomainError as refused:
            assert refused.code == door_codes.LIMITED
            return
        assert self.state.holds == holds          # a door sale takes no use
        self.door_grants.append((door, terms, priced.discounted, known))

    @invariant()
    def the_hubs_holds_never_pass_the_quota(self):
        state = self.state
        if state.terms.quota_kind == p.USES:
            assert state.uses <= state.terms.quota
        if state.terms.quota_kind == p.SEATS:
            assert state.seats <= state.terms.quota

    @invariant()
    def doors_grant_only_what_no_quota_limits(self):
        assert all(terms.quota_kind == p.UNLIMITED for _, terms, _, _ in self.door_grants)

    @invariant()
    def the_hub_finds_every_door_sale_sound_by_the_terms_the_door_held(self):
        history = list(enumerate(self.events, start=1))
        for _, _, priced, known in self.door_grants:
            terms = door_codes.terms_known_at(history, known)
            assert door_codes.sale_discount_problem(
                (CODE,), priced.discounts, priced.discount_cents, priced.total_cents, LINES,
                {CODE: terms}, NOW) == ""


QuotaAcrossHubAndDoors.TestCase.settings = settings(max_examples=150, stateful_step_count=40,
                                                    deadline=None)
TestQuotaAcrossHubAndDoors = QuotaAcrossHubAndDoors.TestCase
