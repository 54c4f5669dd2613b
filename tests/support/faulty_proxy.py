"""A fault-injecting HTTP proxy on loopback, between a node and the hub (real HTTP both sides).

Per request it may: drop it (the receiver never sees it), drop the reply after the receiver
committed, deliver it twice (the copy later, so copies arrive out of order), or refuse
everything while `down` is set (the hub's internet is cut).
"""
import random
import threading
import time

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
               "content-encoding"}


class FaultyProxy:
    def __init__(self, target: str, *, seed: int = 7, drop_request=0.0, drop_reply=0.0,
                 duplicate=0.0):
        self.target = target.rstrip("/")
        self.rand = random.Random(seed)
        self.rates = {"drop_request": drop_request, "drop_reply": drop_reply,
                      "duplicate": duplicate}
        self.down = False
        self.counts = {"forwarded": 0, "drop_request": 0, "drop_reply": 0, "duplicate": 0,
                       "refused": 0}
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def heal(self):
        self.rates = {k: 0.0 for k in self.rates}
        self.down = False

    def _fate(self) -> str:
        with self._lock:
            roll = self.rand.random()
            for fate, rate in self.rates.items():
                if roll < rate:
                    self.counts[fate] += 1
                    return fate
                roll -= rate
            self.counts["forwarded"] += 1
            return "forward"

    def _forward(self, request: Request, body: bytes) -> requests.Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        if request.headers.get("Content-Encoding"):
            headers["Content-Encoding"] = request.headers["Content-Encoding"]
        return requests.request(request.method, self.target + request.full_path.rstrip("?"),
                                data=body or None, headers=headers, timeout=30)

    @Request.application
    def app(self, request: Request) -> Response:
        if self.down:
            self.counts["refused"] += 1
            return Response("hub unreachable", status=502)
        body = request.get_data()
        fate = self._fate()
        if fate == "drop_request":
            return Response("dropped", status=504)
        try:
            reply = self._forward(request, body)
        except requests.RequestException:
            return Response("upstream down", status=502)
        if fate == "duplicate":
            later = threading.Timer(self.rand.uniform(0.05, 0.5), self._forward_quietly,
                                    args=(request, body))
            later.start()
        if fate == "drop_reply":
            return Response("reply lost", status=504)  # the hub committed; the node never knows
        headers = {k: v for k, v in reply.headers.items() if k.lower() not in HOP_HEADERS}
        return Response(reply.content, status=reply.status_code, headers=headers)

    def _forward_quietly(self, request, body):
        try:
            self._forward(request, body)
        except requests.RequestException:
            pass

    def stop(self):
        self.server.shutdown()
        self.thread.join()


def wait_until(predicate, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
