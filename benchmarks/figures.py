"""What every figure shares: its JSON line, QUICK sizes, a work folder, percentiles."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile

PI_ZERO_2_W_MB = 512


def quick() -> bool:
    """`make bench QUICK=1`: smaller sizes for a quick look."""
    return os.environ.get("QUICK", "").strip().lower() in ("1", "yes", "true")


def sized(full: int, small: int) -> int:
    return small if quick() else full


def emit(name: str, value, unit: str, baseline, ratio, **extra) -> dict:
    """Print one figure as one JSON line on stdout (what `benchmarks/run.py` collects)."""
    line = {"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio,
            **extra}
    print(json.dumps(line, ensure_ascii=False), flush=True)
    return line


def note(message: str) -> None:
    """Progress on stderr, so stdout holds only the figures."""
    print(f"  [{os.path.basename(sys.argv[0]) or 'bench'}] {message}", file=sys.stderr,
          flush=True)


def workdir(name: str) -> str:
    """A fresh folder on the benchmark disk ($BENCH_DIR, else the system's temp folder).

    It must be real storage, not tmpfs: several figures include durable commits (fsync).
    """
    return tempfile.mkdtemp(prefix=f"contoso-bench-{name}-", dir=os.environ.get("BENCH_DIR"))


def cleanup(path: str) -> None:
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(path, ignore_errors=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM), from /proc.

    Not `getrusage(RUSAGE_CHILDREN)` in the parent: Linux carries the parent's high-water
    mark into a child at exec, so a small child of a large parent would report the parent.
    """
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def ms(seconds: float, digits: int = 3) -> float:
    return round(seconds * 1000, digits)
