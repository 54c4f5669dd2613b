"""Wait-lists (issue 15): the commands' handlers, the reader that turns freed seats into
offers, the lists' read model, the proofs in the mails' links, and the services the pages
and the APIs call. The rules are shared_domain/waitlists.py's; docs/waitlists.md says why."""
