"""What a request reaches the hub through (flaskr's accessor beside the resource): the hub,
the worker's wake and the order waits this app was built with. Imports nothing of the hub,
so the views and the app import it without a circle."""
from __future__ import annotations

from flask import current_app


def current_hub():
    """The Hub this app serves (hub/bootstrap.py)."""
    return current_app.extensions["contoso_hub"]


def order_waits():
    """The process's gate on waiting requests (at most so many hold a thread at once)."""
    return current_app.extensions["contoso_order_waits"]


def wake_worker() -> None:
    """Let the pump see new commands now: the thread beside the app, or the worker process."""
    worker = current_app.extensions.get("contoso_worker")
    if worker is not None:
        worker.wake()
    elif "contoso_wake" in current_app.extensions:
        current_app.extensions["contoso_wake"]()
