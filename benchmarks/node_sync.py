"""Child process: one sync cycle of a node with its hub, as `contoso node run` does it.

`python -m benchmarks.node_sync --data-dir DIR` builds the node's real NodeService and calls
`sync_hub()` once (push, then pull the feed until nothing remains, then project), then prints
one JSON line: seconds for the whole cycle and for its push part, events pushed and pulled,
bytes on the wire. Its peak RSS comes from /proc/self/status (VmHWM).
"""
from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()

    from benchmarks.figures import peak_rss_kb
    from onsite_node.service import NodeConfig, NodeService

    service = NodeService(NodeConfig(data_dir=args.data_dir, discovery=False))
    wire = {"bytes_in": 0, "bytes_out": 0, "requests": 0, "last_push_at": None}

    def count(response, *_, **__):
        wire["requests"] += 1
        wire["bytes_in"] += int(response.headers.get("Content-Length") or 0)
        wire["bytes_out"] += len(response.request.body or b"")
        if response.request.path_url.startswith("/sync/v1/push"):
            wire["last_push_at"] = time.perf_counter()

    make_client = service.hub_client

    def counted_client():
        client = make_client()
        client.session.hooks["response"].append(count)
        return client

    service.hub_client = counted_client
    started = time.perf_counter()
    report = service.sync_hub()
    seconds = time.perf_counter() - started
    push_seconds = (wire.pop("last_push_at") or started) - started
    service.close()
    print(json.dumps({"seconds": seconds, "push_seconds": push_seconds,
                      "peak_rss_kb": peak_rss_kb(),
                      "pushed": report.pushed, "pulled": report.pulled,
                      "duplicates": report.duplicates, **wire}))


if __name__ == "__main__":
    main()
