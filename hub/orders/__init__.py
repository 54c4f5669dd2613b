"""Orders and registrations: orders, seat availability, payments, seat assignments, tickets,
the registration process manager and the registrant's read models."""
