"""A toy in-memory runner for the specs: the aggregates and the process manager on one queue.

It plays the hub's part (load, fold, decide, append; route events to the manager;
hold delayed commands until the clock is advanced), with no storage and no threads.
"""
from collections import defaultdict, deque
from datetime import datetime

from domain_givens import BUFFER, NOW, PRICES, WINDOW, id_sequence
from shared_domain import orders, payments, registration_process, seats_availability
from shared_domain.errors import DomainError
from shared_domain.registration_process import correlation, handle

_ROUTES = {
    **{c: (orders, lambda c: orders.stream_id(c.order_id)) for c in orders.ORDER_COMMANDS},
    **{c: (payments, lambda c: payments.stream_id(c.payment_id))
       for c in payments.PAYMENT_COMMANDS},
    **{c: (seats_availability, lambda c: seats_availability.stream_id(c.conference_id))
       for c in seats_availability.AVAILABILITY_COMMANDS},
}


class RegistrationHub:
    def __init__(self, now: datetime = NOW, prices=PRICES, window=WINDOW):
        self.now = now
        self.prices = prices
        self.window = window
        self.streams: dict[str, list] = defaultdict(list)
        self.processes: dict[str, registration_process.ProcessState | None] = {}
        self.refusals: list[tuple[object, str]] = []
        self.delayed: list[registration_process.Outgoing] = []
        self.queue: deque = deque()
        self.ids = id_sequence()
        self.codes = id_sequence("CODE")

    def send(self, *commands) -> "RegistrationHub":
        """Queue commands and run until nothing is left to do."""
        self.queue.extend((command, None) for command in commands)
        while self.queue:
            self._dispatch(*self.queue.popleft())
        return self

    def advance_to(self, moment: datetime) -> "RegistrationHub":
        """Move the clock and deliver every delayed command that has come due."""
        self.now = moment
        due = [o for o in self.delayed if o.deliver_at <= moment]
        self.delayed = [o for o in self.delayed if o.deliver_at > moment]
        return self.send(*(o.command for o in due))

    def state(self, module, key):
        return module.fold(self.streams[module.stream_id(key)])

    def _dispatch(self, message, causation_id) -> None:
        if type(message) in _ROUTES:
            self._execute(message)
        if correlation(message) is not None:
            self._manage(message, causation_id)

    def _execute(self, command) -> None:
        module, stream_of = _ROUTES[type(command)]
        stream = self.streams[stream_of(command)]
        context = {}
        if module is orders:
            context = dict(prices=self.prices, access_code=next(self.codes),
                           reservation_window=self.window)
        try:
            events = module.decide(module.fold(stream), command, now=self.now, **context)
        except DomainError as refusal:
            self.refusals.append((command, refusal.code))
            return
        stream.extend(events)
        self.queue.extend((event, getattr(command, "command_id", None)) for event in events)

    def _manage(self, message, causation_id) -> None:
        process_id = correlation(message)
        state, outgoing = handle(self.processes.get(process_id), message, now=self.now,
                                 causation_id=causation_id, ids=self.ids, release_buffer=BUFFER)
        self.processes[process_id] = state
        for out in outgoing:
            if out.deliver_at is None:
                self.queue.append((out.command, None))
            else:
                self.delayed.append(out)

