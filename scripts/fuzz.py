"""Long fuzzing run outside the test suite: the strategy and checks of tests/test_fuzz.py (messy
Markdown, Unicode and suppression comments; every rule but grammar; every output format) for a
given time, with fresh random seeds. It finds three kinds of failure:

- a failed check: a rule crashed (HL002, with where and why), a position outside the file, a report
  that does not parse, a finding left by healthlint-disable-file; saved shrunk by hypothesis;
- a hang: an input whose check takes over --time-limit seconds is stopped and saved as it is;
- a hang in C code that cannot be stopped: after 3 times the limit (+5 s) the run ends, printing every
  thread's stack; the input it was on is already saved (each input is written before its check).

Inputs are saved in tests/data/fuzz-regressions/ (or --save-to DIR) as <hash>.md.txt, or
<hash>.plain.txt for plain-text files; tests/test_fuzz.py replays that folder. The exit code is
1 when anything was found.

    python scripts/fuzz.py --minutes 10
    python scripts/fuzz.py --minutes 3 --save-to /tmp/fuzz-found
"""
from __future__ import annotations

import argparse
import faulthandler
import hashlib
import signal
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from fuzzing import REGRESSIONS, articles, check, paths  # noqa: E402


class TookTooLong(BaseException):
    """Raised by the alarm inside a check over the time limit (not an Exception: rules catch those)."""


def _alarm(signum, frame):
    raise TookTooLong


def saved_name(folder: Path, text: str, path: str) -> Path:
    digest = hashlib.sha256(f"{path}\0{text}".encode("utf-8")).hexdigest()[:12]
    return folder / f"{digest}.{'plain' if path.endswith('.txt') else 'md'}.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default: 10)")
    parser.add_argument("--time-limit", type=float, default=10.0,
                        help="seconds one input may take before it counts as a hang (default: 10)")
    parser.add_argument("--batch", type=int, default=1000, help="examples per hypothesis run (default: 1000)")
    parser.add_argument("--save-to", type=Path, default=REGRESSIONS, metavar="DIR",
                        help=f"where failing inputs are saved (default: {REGRESSIONS})")
    args = parser.parse_args()
    folder = args.save_to
    folder.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + args.minutes * 60
    tried = 0
    found: dict[str, Path] = {}   # what failed (the traceback's last line) -> the input saved for it
    last_failure: list = []

    def report(why: str, saved: Path, details: str = "") -> None:
        if why not in found:
            found[why] = saved
            print(f"FOUND {why}\n  input: {saved}\n{details}", flush=True)

    @settings(max_examples=args.batch, deadline=None, database=None, derandomize=False, print_blob=False,
              report_multiple_bugs=False, suppress_health_check=list(HealthCheck))
    @given(text=articles, path=paths)
    def one(text, path):
        nonlocal tried
        if time.monotonic() > deadline:
            return
        tried += 1
        saved = saved_name(folder, text, path)
        keep = saved.exists()   # an input saved before stays
        saved.write_bytes(text.encode("utf-8"))   # left behind if the process dies on this input
        faulthandler.dump_traceback_later(args.time_limit * 3 + 5, exit=True)
        try:
            # and again every 0.1 s, in case the first alarm lands where it is swallowed (a gc callback)
            signal.setitimer(signal.ITIMER_REAL, args.time_limit, 0.1)
            try:
                check(text, path)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except TookTooLong:
            keep = True
            report(f"hang: {saved.name} took over {args.time_limit:g} s", saved)
        except Exception:
            last_failure[:] = [text, path, traceback.format_exc()]
            raise
        finally:
            faulthandler.cancel_dump_traceback_later()
            if not keep:
                saved.unlink()

    print(f"fuzzing for {args.minutes:g} min; failing inputs go to {folder}", flush=True)
    check("Warm-up: the rules compile their patterns on first use.")   # not part of any input's time
    while time.monotonic() < deadline:
        try:
            one()
        except KeyboardInterrupt:
            break
        except Exception:
            text, path, trace = last_failure   # hypothesis runs the shrunk example last
            saved = saved_name(folder, text, path)
            saved.write_bytes(text.encode("utf-8"))
            lines = trace.strip().splitlines()
            report(lines[-1], saved, "\n".join("  " + line for line in lines[-12:]))
        print(f"{tried} inputs tried, {len(found)} failures, {max(0, deadline - time.monotonic()) / 60:.1f} min left",
              flush=True)
    print(f"done: {tried} inputs tried, {len(found)} different failures")
    for why, saved in found.items():
        print(f"  {saved.name}: {why}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
