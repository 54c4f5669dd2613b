"""The node's web app: the sync calls its peers make, and its status."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request

from sync_protocol import server
from sync_protocol.wire import PROTOCOL_VERSION, ProtocolError

bp = Blueprint("node_sync_v1", __name__, url_prefix="/sync/v1")


def create_node_app(service) -> Flask:
    """The node's Flask app around a NodeService (the kiosk UI is mounted here too)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    app.extensions["contoso_node"] = service
    app.register_blueprint(bp)

    @app.get("/status")
    def status():
        return jsonify(service.status())

    return app


def _service():
    return current_app.extensions["contoso_node"]


@bp.errorhandler(ProtocolError)
def refused(e: ProtocolError):
    return jsonify(e.body()), e.status


@bp.get("/time")
def time_now():
    return jsonify(protocol=PROTOCOL_VERSION, server_time=_service().hub_time())


@bp.post("/push")
def push():
    service, caller = _service(), _authenticated()
    reply = server.push(service.replica.store, server.parse_json(_raw_body()), caller)
    service.replica.project()
    return jsonify(reply)


@bp.post("/pull")
def pull():
    service, caller = _service(), _authenticated()
    return jsonify(server.pull_by_vector(service.replica.store,
                                         server.parse_json(_raw_body()), caller))


def _raw_body() -> bytes:
    return server.read_body(request.get_data(cache=True), request.headers.get("Content-Encoding"))


def _authenticated():
    service = _service()
    if service.credentials.get("revoked"):
        raise ProtocolError(410, "node_wiped", "This node was revoked and holds nothing.")
    return server.authenticate(service.replica.store, request.headers, request.method,
                               request.full_path.rstrip("?"), request.get_data(cache=True),
                               service.hub_time(), service.peer_caller)
