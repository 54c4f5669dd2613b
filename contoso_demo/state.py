"""Where a running demo is: written by `contoso demo`, read by `contoso demo --scenario ...`."""
from __future__ import annotations

import json
import os

FILE_NAME = "demo.json"


class NotRunning(Exception):
    pass


def save(data_dir: str, state: dict) -> None:
    path = os.path.join(data_dir, FILE_NAME)
    with open(path + ".tmp", "w") as f:
        json.dump(state, f, indent=2)
    os.replace(path + ".tmp", path)


def load(data_dir: str) -> dict:
    try:
        with open(os.path.join(data_dir, FILE_NAME)) as f:
            return json.load(f)
    except FileNotFoundError:
        raise NotRunning(f"No demo is running on {data_dir}: start `make demo` "
                         f"(or `contoso demo --data-dir {data_dir}`) first.") from None


def forget(data_dir: str) -> None:
    try:
        os.remove(os.path.join(data_dir, FILE_NAME))
    except FileNotFoundError:
        pass
