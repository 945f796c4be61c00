"""Does lint time grow linearly with the input? Time per MB at 0.5, 1, 2 and 4 MB, for every
rule (grammar aside) and every output format, on two shapes of input:

- prose: ordinary articles (the examples, repeated) in one file;
- sentence: one sentence that never ends ("it is a miracle cure and it is a miracle cure and ...").

    python benchmarks/scaling.py [--sizes 0.5,1,2,4] [--formats text,json,html] [--runs 1]

Start-up (the time to lint one tiny file) is subtracted. Prints a table and exits 1 when, for
a shape and format, the slowest time per MB is more than
--limit (1.5) times the fastest: growth faster than the input. Peak memory (max resident set
size of the process) is shown too; the issue's bound is 1 GB for any input under the size limit.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "healthlint", "--isolated", "--no-cache", "-q", "-j", "1", "--select", "ALL",
           "--ignore", "HL401,HL402", "--fail-on", "never"]


def prose(size: int) -> str:
    articles = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.md")))
    body = "\n\n".join(part for part in articles.split("\n\n") if not part.startswith("---"))
    return (body + "\n\n") * (size // len(body) + 1)


def sentence(size: int) -> str:
    return "it is a miracle cure and " * (size // 25 + 1)


def run(path: Path, output_format: str) -> tuple[float, float]:
    """(seconds, peak MB) of one lint."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(COMMAND + ["--format", output_format, "--", str(path)],
                   cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.5,1,2,4", help="sizes in MB (default 0.5,1,2,4)")
    parser.add_argument("--formats", default="text,json,html")
    parser.add_argument("--runs", type=int, default=1, help="best of N runs per point")
    parser.add_argument("--limit", type=float, default=1.5)
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    failed = False
    print(f"{'input':<9} {'format':<6} " + " ".join(f"{s:>6g} MB" for s in sizes) + "   s/MB max/min  peak MB so far")
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.md"
        tiny.write_text("A sentence.\n", encoding="utf-8")
        start_up = {f: min(run(tiny, f)[0] for _ in range(3)) for f in args.formats.split(",")}
        print("start-up (one tiny file, subtracted below): "
              + ", ".join(f"{f} {t:.2f} s" for f, t in start_up.items()))
        for shape in (prose, sentence):
            for output_format in args.formats.split(","):
                per_mb, peak = [], 0.0
                for size in sizes:
                    path = Path(tmp) / f"{shape.__name__}-{size}.md"
                    path.write_text(shape(int(size * 1_000_000))[:int(size * 1_000_000)], encoding="utf-8")
                    best = min(run(path, output_format) for _ in range(args.runs))
                    per_mb.append(max(0.0, best[0] - start_up[output_format]) / size)
                    peak = max(peak, best[1])
                ratio = max(per_mb) / min(per_mb)
                failed |= ratio > args.limit
                print(f"{shape.__name__:<9} {output_format:<6} " + " ".join(f"{t:7.2f}s" for t in per_mb)
                      + f"   {ratio:8.2f}  {peak:7.0f}" + ("  <- grows faster than the input" if ratio > args.limit else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
