"""Promotional codes on the hub: handlers, read model, services (docs/promotions.md)."""
