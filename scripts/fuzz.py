"""Long fuzzing run outside the test suite: the strategy and checks of tests/test_fuzz.py for a
given time, with fresh random seeds. Every failing input (shrunk by hypothesis) is saved in
tests/data/fuzz-regressions/ (<hash>.md.txt, or <hash>.plain.txt for plain-text files), which
tests/test_fuzz.py replays. Inputs slower than --slow seconds are saved too (a possible hang).

    python scripts/fuzz.py --minutes 10
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from fuzzing import REGRESSIONS, articles, check, paths  # noqa: E402


def save(text: str, path: str, why: str) -> Path:
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(f"{path}\0{text}".encode("utf-8")).hexdigest()[:12]
    out = REGRESSIONS / f"{digest}.{'plain' if path.endswith('.txt') else 'md'}.txt"
    out.write_bytes(text.encode("utf-8"))
    print(f"saved {out.name}: {why}", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default: 10)")
    parser.add_argument("--batch", type=int, default=2000, help="examples per hypothesis run (default: 2000)")
    parser.add_argument("--slow", type=float, default=5.0, help="save inputs slower than this many seconds")
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    tried = failures = 0
    last_failure: list = []

    @settings(max_examples=args.batch, deadline=None, database=None, derandomize=False, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(text=articles, path=paths)
    def one(text, path):
        nonlocal tried
        tried += 1
        if time.monotonic() > deadline:
            return
        started = time.monotonic()
        try:
            check(text, path)
        except Exception:
            last_failure[:] = [text, path, traceback.format_exc(limit=3)]
            raise
        if time.monotonic() - started > args.slow:
            save(text, path, f"slow: {time.monotonic() - started:.1f} s")

    while time.monotonic() < deadline:
        try:
            one()
        except Exception:
            failures += 1
            text, path, trace = last_failure  # hypothesis replays the shrunk example last
            save(text, path, trace.strip().splitlines()[-1])
        print(f"{tried} inputs tried, {failures} failures, {max(0, deadline - time.monotonic()) / 60:.1f} min left",
              flush=True)
    print(f"done: {tried} inputs tried in {args.minutes:g} min, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
