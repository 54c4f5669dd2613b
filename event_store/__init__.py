"""The event log: an append-only store of events with per-stream versions and per-origin
sequences, the readers that follow it, and the database it lives in. Knows nothing of
the sync protocol, the hub or the node."""
