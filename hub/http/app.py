"""The hub's Flask application: create_app(config) builds everything, nothing at import."""
from __future__ import annotations

import datetime as dt
import os
from typing import Callable

from flask import Flask

from hub.bootstrap import HubConfig, bootstrap, stored_secret
from hub.http.errors import register_error_handlers
from event_store.store import utc_now
# hub/templates and hub/static, beside the context folders
HUB_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: HubConfig | None = None, *, clock: Callable[[], dt.datetime] = utc_now,
               start_worker: bool = True, proxy_hops: int = 0) -> Flask:
    """Build the hub app; with start_worker the pump runs on a thread of this process (tests),
    without it requests wake the worker process (`contoso hub worker`, hub/platform/wake.py).

    proxy_hops: how many reverse proxies in front set X-Forwarded-* (ProxyFix trusts that many).
    """
    config = config or HubConfig()
    app = Flask(__name__, root_path=HUB_ROOT)
    app.config["SECRET_KEY"] = config.secret_key or stored_secret(config.data_dir)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    configure_order_waits(app, config)
    hub = bootstrap(config, clock)
    app.extensions["contoso_hub"] = hub
    app.extensions["contoso_worker"] = None
    if start_worker:
        from hub.platform.worker import Worker
        app.extensions["contoso_worker"] = Worker(hub).start()
    else:
        from hub.platform.wake import Sender
        app.extensions["contoso_wake"] = Sender(hub)
    if proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxy_hops, x_proto=proxy_hops,
                                x_host=proxy_hops, x_port=proxy_hops, x_prefix=proxy_hops)

    from hub.http import api_admin
    from hub.http import api_management
    from hub.http import api_orders
    from hub.http import api_registration
    from hub.http import api_promotions
    from hub.http import api_waitlists
    from hub.http import openapi
    from hub.http import sync_api
    from hub.http import pages as web
    from hub.http.pages.errors import error_page
    app.register_blueprint(sync_api.bp)
    app.register_blueprint(api_management.bp)
    app.register_blueprint(api_orders.bp)
    app.register_blueprint(api_registration.bp)
    app.register_blueprint(api_admin.bp)
    app.register_blueprint(api_promotions.bp)
    app.register_blueprint(api_waitlists.bp)
    app.register_blueprint(openapi.bp)
    web.init_app(app)
    register_error_handlers(app, page_error=error_page)
    return app


def configure_order_waits(app: Flask, config: HubConfig) -> None:
    """How long requests may wait for an order to move on (HubConfig's order_* fields)."""
    from hub.orders.order_progress import WAIT_MAX_SECONDS, WaitGate
    app.config["ORDER_WAIT_MAX_SECONDS"] = min(config.order_wait_max_seconds, WAIT_MAX_SECONDS)
    app.config["ORDER_PAGE_WAIT_SECONDS"] = config.order_page_wait_seconds
    app.extensions["contoso_order_waits"] = WaitGate(config.order_waiters_max)
