"""The venue: on-site nodes, their allocations, the check-in and sales rules, the conflicts
they raise, and the admin's dashboard of the doors."""
