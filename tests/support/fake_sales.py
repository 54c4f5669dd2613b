"""The planner's part of a fake node (kiosk_ui.ports.NodeForSales): it remembers what the
pages asked for, and refuses like the domain does."""
from shared_domain.errors import DomainError

WORKSHOP = {"seat_type": "ws", "name": "Workshop", "price_cents": 12000, "allocated": 4,
            "sold": 2, "left": 2}
ADA = {"seat_id": "o1:0", "first_name": "Ada", "last_name": "Lovelace",
       "email": "ada@example.org", "company": "Engines", "holds": ["General admission"]}
SALE = {"sale_id": "s1", "receipt_number": "ABC123", "buyer_name": "Ada Lovelace",
        "buyer_email": "ada@example.org", "buyer_company": "Engines", "buyer_seat_id": "o1:0",
        "lines": [{"seat_type": "ws", "name": "Workshop", "quantity": 1,
                   "unit_price_cents": 12000, "line_total_cents": 12000}],
        "total_cents": 12000, "payment_method": "cash", "payment_reference": "",
        "sold_at": "2026-06-01T09:00:00+00:00", "by": "Kim", "cancelled": False,
        "tickets": [{"seat_id": "s1:0", "seat_type": "Workshop", "code": "CT1-FAKE"}],
        "receipt": {"job_id": "r1", "state": "waiting", "problem": "Out of paper."},
        "badge": None}


class FakeSalesCounter:
    def __init__(self):
        self.calls = []

    def sale_offer(self):
        return [dict(WORKSHOP)]

    def quote(self, wanted, codes=(), *, by=""):
        n = wanted.get("ws", 0)
        if not n:
            raise DomainError("empty_sale", "Choose at least one seat to sell.")
        return {"lines": [], "total_cents": 12000 * n}

    def buyer_of_code(self, code):
        if code != "GOOD":
            raise DomainError("forged", "This ticket is not genuine.")
        return dict(ADA)

    def buyer_of_seat(self, seat_id):
        return dict(ADA) if seat_id == "o1:0" else None

    def sell(self, buyer, wanted, *, payment_method, payment_reference, by, codes=()):
        self.calls.append(("sell", buyer["email"], wanted, payment_method, payment_reference, by))
        if wanted.get("ws", 0) > 2:
            raise DomainError("allocation_exhausted", "Only 2 seats of Workshop left on this node.")
        return "s1"

    def sale(self, sale_id):
        return dict(SALE) if sale_id == "s1" else None

    def sales(self):
        return [dict(SALE)]

    def cancel_sale(self, sale_id, *, refund_method, by):
        self.calls.append(("cancel_sale", sale_id, refund_method, by))

    def print_receipt(self, sale_id, *, by):
        self.calls.append(("print_receipt", sale_id, by))
        return "r2"

    def doors(self):
        return [{"node_id": "node-b", "name": "Door 00000b"}]

    def hand_over(self, to_node_id, seat_type, quantity, *, by):
        self.calls.append(("hand_over", to_node_id, seat_type, quantity, by))

    def give_back(self, seat_type, quantity, *, by):
        self.calls.append(("give_back", seat_type, quantity, by))
