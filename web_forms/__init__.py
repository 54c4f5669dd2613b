"""Flask helpers the hub's pages and the kiosk share (one place, not one copy each)."""
