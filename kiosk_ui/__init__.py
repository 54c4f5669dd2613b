"""The node's web UI: attendee self check-in, the staff desk, the planner's sales and the
node's status page.

Flask blueprints and Jinja templates, one stylesheet, a little inline script, no build
step. `mount(app, service)` registers them on the node's app; `service` is anything
that satisfies `kiosk_ui.ports.NodeForKiosk` (the node's front desk, or a fake in tests).
Imports only `printers` and `shared_domain` of this project, never the node.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from kiosk_ui.ports import NodeForKiosk


@dataclass
class KioskUI:
    """What the pages are given: the node, the staff idle timeout, a clock (seconds)."""
    service: NodeForKiosk
    idle_timeout_s: float = 300.0
    clock: Callable[[], float] = time.time


def mount(app: Flask, service: NodeForKiosk, *, idle_timeout_s: float = 300.0,
          clock: Callable[[], float] = time.time) -> None:
    """Register the kiosk, staff and status pages on the node's app."""
    from kiosk_ui import (allocation, attendee, node_status, sales_list, sell, staff_access,
                          staff_desk, texts)
    if not app.secret_key:
        raise ValueError("The kiosk's sessions need app.secret_key.")
    app.extensions["kiosk_ui"] = KioskUI(service, idle_timeout_s, clock)
    app.register_blueprint(attendee.bp)
    app.register_blueprint(staff_access.bp)
    app.register_blueprint(staff_desk.bp)
    app.register_blueprint(node_status.bp)
    app.register_blueprint(sell.bp)
    app.register_blueprint(sales_list.bp)
    app.register_blueprint(allocation.bp)
    texts.register_filters(app)


def ui() -> KioskUI:
    return current_app.extensions["kiosk_ui"]
