"""The venue's network as the demo plays it: an HTTP relay on loopback that can be cut.

Every door reaches the hub through `/hub/...` (the venue's internet) and the other doors
through `/<door>/...` (the venue's LAN). `POST /_network {"internet": false}` cuts the first,
`{"lan": false}` the second; a cut link answers 502 at once, as a dead uplink would after its
timeout. The sync protocol signs paths without this prefix, so relaying changes nothing else.
"""
from __future__ import annotations

import json
import threading

import requests
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
CONTROL = "_network"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):   # a line per sync call would bury the demo's own
        pass


class DemoNetwork:
    def __init__(self, port: int, routes: dict[str, str]):
        self.routes = {name: url.rstrip("/") for name, url in routes.items()}
        self.up = {"internet": True, "lan": True}
        self.server = make_server("127.0.0.1", port, self.app, threaded=True,
                                  request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "DemoNetwork":
        self.thread.start()
        return self

    def route_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def link(self, route: str) -> str:
        return "internet" if route == "hub" else "lan"

    @Request.application
    def app(self, request: Request) -> Response:
        route, _, rest = request.path.lstrip("/").partition("/")
        if route == CONTROL:
            return self._control(request)
        if route not in self.routes:
            return Response("no such route", status=404)
        if not self.up[self.link(route)]:
            return Response(f"the venue's {self.link(route)} is down", status=502)
        return self._forward(request, self.routes[route] + "/" + rest)

    def _control(self, request: Request) -> Response:
        if request.method == "POST":
            changes = request.get_json(silent=True) or {}
            for link in self.up:
                if isinstance(changes.get(link), bool):
                    self.up[link] = changes[link]
        return Response(json.dumps(self.up), mimetype="application/json")

    def _forward(self, request: Request, target: str) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        query = request.query_string.decode()
        try:
            reply = requests.request(request.method, target + (f"?{query}" if query else ""),
                                     data=request.get_data() or None, headers=headers,
                                     timeout=60, allow_redirects=False)
        except requests.RequestException:
            return Response("unreachable", status=502)
        headers = {k: v for k, v in reply.headers.items()
                   if k.lower() not in HOP_HEADERS | {"content-encoding"}}
        return Response(reply.content, status=reply.status_code, headers=headers)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
