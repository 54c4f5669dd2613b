"""The node's credentials file: who it is, its secrets and keys, readable by its owner only."""
from __future__ import annotations

import base64
import json
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

FILE_NAME = "node.json"


class NotEnrolled(Exception):
    """The data folder holds no credentials: run `contoso node enroll` first."""


def path_in(data_dir: str) -> str:
    return os.path.join(data_dir, FILE_NAME)


def load(data_dir: str) -> dict:
    try:
        with open(path_in(data_dir)) as f:
            return json.load(f)
    except FileNotFoundError:
        raise NotEnrolled(f"No {FILE_NAME} in {data_dir}: run `contoso node enroll` first.") from None


def save(data_dir: str, credentials: dict) -> None:
    """Write atomically with mode 0600: a power cut leaves the old file or the new one."""
    os.makedirs(data_dir, exist_ok=True)
    final = path_in(data_dir)
    temp = final + ".tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(credentials, f, indent=2, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(temp, 0o600)
    os.replace(temp, final)


def new_signing_key() -> tuple[str, str]:
    """The node's own Ed25519 key (it signs provisional tickets for walk-ins): (private, public)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    return (base64.urlsafe_b64encode(private).decode(), base64.urlsafe_b64encode(public).decode())
