"""Where healthlint's time goes: parse cost and each rule's cost over a folder of articles.

    python benchmarks/rule_costs.py benchmarks/corpus/100 [--select ALL --ignore HL401,HL402] [--repeat 3]

One process, no cache. Each rule runs once on the first document before it is timed, so
one-time costs (compiling patterns, loading lexicons) are reported apart as "first use".
Each time is the best of --repeat runs, every run on freshly parsed documents (textstat's
own caches of scored texts do survive between runs).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from healthlint.analysis import parse
from healthlint.config import load_config, resolve
from healthlint.registry import build_registry


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--select", default="ALL")
    ap.add_argument("--ignore", default="HL401,HL402")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(args.folder.rglob("*")) if p.is_file()]
    registry = build_registry([])
    settings = resolve(load_config(None), registry, select=args.select.split(","), ignore=args.ignore.split(","))
    rules = sorted(settings.enabled.items())
    times: dict[str, list[float]] = {"parse": []}
    first: dict[str, float] = {}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        docs = [parse(name, text) for name, text in texts]
        for doc in docs:  # what most rules share is counted as parsing, not as the first rule's cost
            doc.sentences, doc.quoted_spans, doc.citations  # noqa: B018
        times["parse"].append(time.perf_counter() - t0)
        for code, rule in rules:
            name, options = f"{code} {rule.name}", settings.options[code]
            if name not in first:
                t0 = time.perf_counter()
                list(rule.check(parse("first-use.md", texts[0][1]), options))
                first[name] = time.perf_counter() - t0
            t0 = time.perf_counter()
            for doc in docs:
                list(rule.check(doc, options))
            times.setdefault(name, []).append(time.perf_counter() - t0)
    rows = [(name, min(runs), first.get(name, 0.0)) for name, runs in times.items()]
    total = sum(r[1] for r in rows)
    print(f"{len(texts)} documents, {sum(len(t) for _, t in texts) / 1024:.0f} KB; "
          f"{total:.2f} s in all, {1000 * total / len(texts):.2f} ms per document")
    for name, seconds, first_use in sorted(rows, key=lambda r: -r[1]):
        print(f"{seconds:8.3f} s {100 * seconds / total:5.1f}%   first use {first_use:6.3f} s   {name}")


if __name__ == "__main__":
    main()
