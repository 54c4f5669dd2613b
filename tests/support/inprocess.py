"""Sync without sockets: a requests.Session look-alike over a Flask app, and a peer client
over another replica's store. The protocol code on both sides is the real one."""
import requests

from sync_protocol import server
from sync_protocol.wire import PROTOCOL_VERSION


class _Reply:
    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = response.headers
        self._body = response.get_json(silent=True)

    def json(self):
        if self._body is None:
            raise ValueError("not JSON")
        return self._body


class FlaskSession:
    """Sends a SyncClient's requests to a Flask app; can lose a request or its reply."""

    def __init__(self, app):
        self.client = app.test_client()
        self.fate = "ok"          # "ok" | "drop_request" | "drop_reply" | "down"

    def request(self, method, url, data=None, headers=None, timeout=None):
        if self.fate in ("drop_request", "down"):
            raise requests.ConnectionError("request lost")
        path = url.split("://", 1)[1]
        response = self.client.open(path[path.index("/"):], method=method, data=data,
                                    headers=headers or {})
        if self.fate == "drop_reply":
            raise requests.ConnectionError("reply lost after the hub committed")
        return _Reply(response)


class PeerClient:
    """PeerSync's client, calling the other replica's protocol handlers directly."""

    def __init__(self, replica):
        self.replica = replica
        self.base_url = f"peer:{replica.credentials['node_id']}"
        self.caller = server.Caller(key_id="peer:test", secret="",
                                    conference=replica.conference_id)

    def pull_by_vector(self, vector, limit):
        return server.pull_by_vector(self.replica.store, {"protocol": PROTOCOL_VERSION,
                                                          "vector": vector, "limit": limit},
                                     self.caller)

    def push(self, events):
        reply = server.push(self.replica.store, {"protocol": PROTOCOL_VERSION, "events": events},
                            self.caller)
        self.replica.project()
        return reply
