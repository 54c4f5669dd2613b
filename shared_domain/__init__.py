"""Pure domain of the Contoso conference system (standard library only; no I/O, no clock).

Time and ids are always passed in. Modules:

- errors: DomainError(code, message), the one refusal.
- people: PersonalInfo and the email rule.
- seats: SeatQuantity and helpers (merged, as_mapping, covers, ...).
- pricing: SeatTypePrice, OrderLine, price_order (integer cents).
- orders: the Order aggregate (stream order-<id>).
- seats_availability: the SeatsAvailability aggregate (stream availability-<conference>),
  with snapshot / from_snapshot.
- seat_assignments: the SeatAssignments aggregate (stream assignments-<order>).
- payments: the simulated payment aggregate (stream payment-<id>).
- registration_process: the RegistrationProcess manager (handle, correlation).
- conferences: conference and seat type rules, access codes, integration events.
- catalog: ALL_EVENTS and ALL_COMMANDS for serialisation.
- tickets: signed ticket codes (issue_ticket, read_ticket, keypair_from_seed).
- conflicts: ConflictResolved, the resolutions each conflict kind allows.

Every aggregate module has the same shape: a frozen state, evolve(state, event),
fold(events, state=None), decide(state, command, *, now, ...) -> list of events
(raising DomainError on refusal), STREAM_PREFIX and stream_id(...).
"""
