"""What every Flask blueprint serving /sync/v1 (the hub's and each node's) answers alike:
refusals as the protocol's JSON errors, and bodies as large as a batch may be."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from sync_protocol.server import MAX_BODY_BYTES, body_too_large
from sync_protocol.wire import ProtocolError


def serve_sync_calls(bp: Blueprint) -> Blueprint:
    """Give a /sync/v1 blueprint the protocol's error replies and body limit: a sync body may
    be MAX_BODY_BYTES (plain, or after gunzip: docs/sync-protocol.md section 5) whatever the
    app's own limit, and one over it is refused as 413 body_too_large."""

    @bp.errorhandler(ProtocolError)
    def refused(e: ProtocolError):
        return jsonify(e.body()), e.status

    @bp.before_request
    def allow_a_whole_batch():
        request.max_content_length = MAX_BODY_BYTES

    @bp.errorhandler(RequestEntityTooLarge)
    def too_large(_):
        return refused(body_too_large())

    return bp
