"""Benchmark healthlint against the prose linters a writer would otherwise use, in one session.

    bash benchmarks/setup.sh            # proselint, Vale, alex, write-good into benchmarks/.tools
    python benchmarks/run.py            # writes benchmarks/RESULTS.md

Every tool lints the same generated corpora (1, 100 and 2,000 articles, make_corpus.py). For
each: median wall time over --runs runs, files/s, KB/s, peak memory (resident memory summed over
the process and its children, sampled every 10 ms; a LanguageTool JVM is not counted) and the
ratio of the peer's time to healthlint's (above 1: healthlint is faster). healthlint runs every
rule except grammar, without its cache; then every rule with grammar by Harper, a cached second
run, start-up on one small article (with and without Harper), and grammar (HL401) by LanguageTool
against LanguageTool's own time for the same requests.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TOOLS = HERE / ".tools"
sys.path.insert(0, str(HERE))
from make_corpus import write_corpus  # noqa: E402

HEALTHLINT_BASE = [sys.executable, "-m", "healthlint", "--isolated", "-q", "--no-cache"]
HEALTHLINT = HEALTHLINT_BASE + ["--select", "ALL", "--ignore", "HL401,HL402"]


def peers() -> dict[str, list[str] | None]:
    def tool(path: Path):
        return [str(path)] if path.exists() else None
    vale = tool(TOOLS / "bin" / "vale")
    return {
        "proselint": [*tool(TOOLS / "pyenv" / "bin" / "proselint"), "check"]
        if tool(TOOLS / "pyenv" / "bin" / "proselint") else None,
        "vale": [*vale, "--config", str(HERE / "vale" / ".vale.ini"), "--output", "line"] if vale else None,
        "alex": tool(TOOLS / "npm" / "node_modules" / ".bin" / "alex"),
        "write-good": tool(TOOLS / "npm" / "node_modules" / ".bin" / "write-good"),
    }


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return out


def _rss(pid: int) -> int:
    try:
        if b"java" in Path(f"/proc/{pid}/comm").read_bytes():
            return 0
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def timed(command: list[str], env=None) -> tuple[float, int]:
    """Wall seconds and peak memory (bytes, summed over the process tree) of one run."""
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=HERE)
    while process.poll() is None:
        peak = max(peak, sum(_rss(p) for p in _tree(process.pid)))
        time.sleep(0.01)
    return time.perf_counter() - start, peak


def measure(command, runs, env=None) -> dict:
    samples = [timed(command, env) for _ in range(runs)]
    return {"wall": statistics.median(s[0] for s in samples), "peak": max(s[1] for s in samples)}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return (f"{cpu}, {len(os.sched_getaffinity(0))} CPUs, {memory / 1024:.0f} GB RAM; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}")


def versions() -> str:
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"
    p = peers()
    parts = [f"healthlint {out([sys.executable, '-m', 'healthlint', '--version'])}"]
    if p["proselint"]:
        parts.append(f"proselint {out([p['proselint'][0], 'version'])}")
    if p["vale"]:
        parts.append(out([p["vale"][0], "--version"]))
    for name in ("alex", "write-good"):
        package = TOOLS / "npm" / "node_modules" / name / "package.json"
        if package.exists():
            import json
            parts.append(f"{name} {json.loads(package.read_text())['version']}")
    return "; ".join(parts)


def throughput_table(sizes, runs, lines) -> dict:
    """Each tool's median wall time by (tool, size), written as a table to `lines`."""
    tools = {"healthlint": HEALTHLINT, **{k: v for k, v in peers().items() if v}}
    walls = {}
    lines += ["| articles | tool | median wall (s) | files/s | KB/s | peak memory (MB) | peer time / healthlint time |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for size in sizes:
        folder = HERE / "corpus" / str(size)
        files = write_corpus(size, folder)
        kb = sum(p.stat().st_size for p in files) / 1024
        paths = [str(p) for p in files]
        base = None
        for name, command in tools.items():
            r = measure(command + paths, runs(size))
            base = base or r["wall"]
            ratio = r["wall"] / base
            walls[(name, size)] = r["wall"]
            lines.append(f"| {size} | {name} | {r['wall']:.2f} | {size / r['wall']:.0f} | {kb / r['wall']:.0f} | "
                         f"{r['peak'] / 2**20:.0f} | {'—' if name == 'healthlint' else f'{ratio:.2f}'} |")
            print(lines[-1], flush=True)
    return walls


def cache_and_startup(lines, runs, no_grammar_wall: float) -> None:
    folder = HERE / "corpus" / "2000"
    paths = [str(p) for p in sorted(folder.iterdir())]
    cache_dir = Path(tempfile.mkdtemp(prefix="healthlint-bench-cache-"))
    cached = [c for c in HEALTHLINT if c != "--no-cache"] + ["--cache-dir", str(cache_dir)]
    first = timed(cached + paths)
    second = measure(cached + paths, runs)
    shutil.rmtree(cache_dir, ignore_errors=True)
    small = str(ROOT / "examples" / "melatonin-jet-lag.md")
    start = measure(HEALTHLINT + [small], 10)
    with_harper = HEALTHLINT_BASE + ["--select", "ALL", "--grammar-backend", "harper"]
    start_harper = measure(with_harper + [small], 10)
    harper = measure(with_harper + paths, runs)
    serial = measure(HEALTHLINT + ["--jobs", "1"] + paths, 1)
    like_vale = measure(HEALTHLINT_BASE + ["--select", "HL101,HL102,HL103,HL105,HL310,HL320"] + paths, runs)
    parse_only = measure(HEALTHLINT_BASE + ["--select", "HL004"] + paths, runs)
    lines += ["", "| healthlint, 2,000 articles | wall (s) | peak memory (MB) |", "| --- | ---: | ---: |",
              f"| one process (--jobs 1), no cache | {serial['wall']:.2f} | {serial['peak'] / 2**20:.0f} |",
              f"| only the rules the Vale style mirrors (HL101-HL103, HL105, HL310, HL320), no cache | "
              f"{like_vale['wall']:.2f} | {like_vale['peak'] / 2**20:.0f} |",
              f"| no rule but the empty-file check (start-up, reading, parsing), no cache | "
              f"{parse_only['wall']:.2f} | {parse_only['peak'] / 2**20:.0f} |",
              f"| every rule and grammar by Harper (`--grammar-backend harper`), no cache | {harper['wall']:.2f} | "
              f"{harper['peak'] / 2**20:.0f} |",
              f"| ... time added by Harper's grammar to the run without it | "
              f"{harper['wall'] / no_grammar_wall - 1:+.0%} | |",
              f"| first run, empty cache | {first[0]:.2f} | {first[1] / 2**20:.0f} |",
              f"| second run, unchanged files (median) | {second['wall']:.2f} | {second['peak'] / 2**20:.0f} |",
              f"| speed-up of the second run | {first[0] / second['wall']:.1f}x | |",
              "", f"Start-up, one small article ({Path(small).stat().st_size} bytes), no grammar, no cache: "
              f"median {start['wall']:.3f} s wall over 10 runs; with grammar by Harper, median "
              f"{start_harper['wall']:.3f} s."]
    print("\n".join(lines[-13:]), flush=True)


def grammar(lines, count, runs) -> None:
    """healthlint with only HL401 against the same texts sent straight to LanguageTool.

    LanguageTool caches the sentences it has checked, so each measurement gets a server of its
    own, started fresh and warmed up on other text; the medians of `runs` such pairs are compared."""
    sys.path.insert(0, str(ROOT))
    import json
    import urllib.parse
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from healthlint.analysis import parse
    from healthlint.languagetool import LocalServer, default_home, installed_version
    from healthlint.registry import build_registry
    home = default_home()
    if installed_version(home) is None:
        lines += ["", "Grammar: LanguageTool is not installed here (healthlint-languagetool install); not measured."]
        return
    files = sorted(write_corpus(100, HERE / "corpus" / "100"))[:count]   # also when --sizes left 100 out
    rules = build_registry(entry_points=[])
    options = rules.get("grammar").options
    warm_up_text = rules.get("readability").docs.bad
    proses = [parse(str(p), p.read_text(encoding="utf-8")).prose for p in files]

    def fresh_server():
        server = LocalServer(home)
        url = server.ensure_started()
        for sentence in warm_up_text.split(". ")[:8]:
            ask(url, sentence)   # warm the JVM on text that is not measured
        return server, url

    def ask(url, text):
        data = urllib.parse.urlencode({"language": options["language"], "text": text,
                                       "disabledRules": ",".join(options["disabled-rules"])}).encode()
        with urllib.request.urlopen(f"{url}/v2/check", data, timeout=120) as response:
            return json.load(response)

    ours, direct = [], []
    for _ in range(runs):
        server, url = fresh_server()
        try:
            command = [sys.executable, "-m", "healthlint", "--isolated", "--select", "HL401", "-q", "--no-cache",
                       "--languagetool-url", url] + [str(p) for p in files]
            ours.append(timed(command)[0])
        finally:
            server.stop()
        server, url = fresh_server()
        try:
            start = time.perf_counter()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda text: ask(url, text), proses))
            direct.append(time.perf_counter() - start)
        finally:
            server.stop()
    wall, alone = statistics.median(ours), statistics.median(direct)
    share = (wall - alone) / wall
    lines += ["", f"Grammar (HL401) on {count} articles, LanguageTool {installed_version(home)}, a freshly started "
              f"and warmed-up server for each measurement (LanguageTool caches checked sentences), no cache, "
              f"median of {runs}: healthlint {wall:.2f} s; the same {count} texts sent straight to LanguageTool "
              f"(8 at a time) {alone:.2f} s; healthlint's own share {share:.0%} of its time (its start-up and "
              f"all parsing included)."]
    print(lines[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,2000")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement on 2,000 articles (more on small)")
    parser.add_argument("--grammar-files", type=int, default=60)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lines = ["# healthlint benchmark results", "",
             f"Measured {time.strftime('%Y-%m-%d')} with `python benchmarks/run.py` on: {machine()}.", "",
             f"Versions: {versions()}.", "",
             "healthlint: every rule except grammar and spelling (`--select ALL --ignore HL401,HL402`), no cache, "
             "`--jobs` = CPU count. Vale: the small style in benchmarks/vale. proselint, alex and "
             "write-good: their defaults. Ratio: the peer's median wall time divided by healthlint's "
             "(above 1: healthlint is faster). Peak memory: resident memory of the process and its "
             "children, summed.", ""]
    walls = throughput_table(sizes, lambda size: args.runs if size >= 1000 else 5, lines)
    if 2000 in sizes:
        cache_and_startup(lines, args.runs, walls[("healthlint", 2000)])
    grammar(lines, args.grammar_files, args.runs)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
