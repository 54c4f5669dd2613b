"""Shared givens for the domain specs: a clock reading, ids and the CQRS Journey price list."""
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from shared_domain.pricing import SeatTypePrice

NOW = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)
WINDOW = timedelta(minutes=15)
BUFFER = timedelta(minutes=5)
GA, WORKSHOP, COCKTAIL = "general", "workshop", "cocktail"
PRICES = {
    GA: SeatTypePrice(GA, "General admission", 19900),
    WORKSHOP: SeatTypePrice(WORKSHOP, "CQRS Workshop", 50000),
    COCKTAIL: SeatTypePrice(COCKTAIL, "Additional cocktail party", 5000),
}


def id_sequence(prefix: str = "cmd") -> Iterator[str]:
    """Predictable ids in place of the hub's uuid generator: cmd-1, cmd-2, ..."""
    n = 0
    while True:
        n += 1
        yield f"{prefix}-{n}"
