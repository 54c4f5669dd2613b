"""The sync client says whether the other side was reached: a node backs off from a hub that
answers with failures, and tries again soon when no connection could be made at all."""
import socket

import pytest
from flask import Flask

from sync_protocol.client import SyncClient, Unreachable
from tests.support.servers import ThreadedServer


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_connection_is_unreachable_and_not_reached():
    client = SyncClient(f"http://127.0.0.1:{closed_port()}", "node", "secret", timeout=2)
    with pytest.raises(Unreachable) as failed:
        client.measure_clock()
    assert failed.value.reached is False


@pytest.mark.parametrize("reply", [("down for maintenance", 503), ("<html>proxy</html>", 200)])
def test_a_failing_answer_is_unreachable_but_reached(reply):
    app = Flask(__name__)
    app.get("/sync/v1/time")(lambda: reply)
    server = ThreadedServer(app)
    try:
        with pytest.raises(Unreachable) as failed:
            SyncClient(server.url, "node", "secret").measure_clock()
        assert failed.value.reached is True
    finally:
        server.stop()
