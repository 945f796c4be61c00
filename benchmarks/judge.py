"""The editor's ledger: judge healthlint's findings on real press releases, then measure.

    python benchmarks/judge.py sample --n 200 --seed 14      # random findings, read in context
    python benchmarks/judge.py sample --n 200 --seed 14 --stubs > /tmp/stubs.jsonl
    python benchmarks/judge.py sample --n 20 --min-per-rule 0 --rule HL211   # one rule's findings
    python benchmarks/judge.py report                        # precision per rule, after a change
    python benchmarks/judge.py report --list-new 5           # and 5 unjudged findings per rule

`sample` lints the press releases of ../shared/corpus (as benchmarks/accuracy.py does) and
prints findings that are not judged yet, drawn at random with a fixed seed: at least
--min-per-rule of every rule (all of a rule's findings when it has fewer), the rest drawn
uniformly from the remaining findings, listed rule by rule. Each shows the record id, the
rule, line:column, the matched words, the message, and, for reading only, the sentence and
its paragraph (whole-article findings get a digest of the lines that bear on them). That
text is printed to the terminal and never saved. With --stubs it prints only ledger stubs.

A ledger line (benchmarks/judgements.jsonl), one per judged finding:

    {"id": "news_reviews_00001", "rule": "HL102", "line": 12, "words": "miracle cure",
     "verdict": "true", "reason": "short reason in the editor's own words"}

`verdict` is true (an editor wants it: acting on it would improve the release for a
frightened lay reader), false, or debatable (truly split). `words` are the few words the
finding is about (at most 8; none for a whole-article finding); no other corpus text goes in
the ledger, and the reason is written in the editor's own words. A judged finding matches a
current one when the id, rule and line agree, and the words too when the ledger has them.

`report` re-runs healthlint and prints, per rule, precision = true / (true + false) over the
judged findings that still appear (debatable ones counted apart), how many judged findings
disappeared, and how many current findings are not judged yet.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import (  # noqa: E402
    CRITERIA,
    LEDGER,
    annotate,
    find_corpus,
    finding_key,
    ledger_precision,
    lint_releases,
    load_ledger,
    matches,
    precision_table,
    release_source,
    releases,
    rule_states,
)

VERDICTS = ("true", "false", "debatable")
KEYS = {"id", "rule", "line", "words", "verdict", "reason", "sample"}   # sample: which plain random draw, if any
MAX_WORDS = 8   # the words of a finding are cut to 6 (accuracy.finding_words)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# lines that bear on a whole-article finding, shown (not saved) in its digest
DIGEST = {
    "missing-author": r"\b(?:by|written|author|contact|media|reviewed|press office|spokes)",
    "missing-date": r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d|\b(?:19|20)\d\d\b|published|updated",
    "outdated-review": r"\b(?:19|20)\d\d\b",
    "risk-disclosure": r"side effect|adverse|risk|safe|toxic|complication|harm|nausea|pain|bleed|death|tolerat",
    "no-costs": r"\$|cost|price|insurance|afford|covered|available|prescription|approv",
    "no-alternatives": r"alternative|compared|than|standard|current treatment|other treatment|existing|instead",
    "unquantified-benefit": r"\d+(?:\.\d+)? ?(?:%|percent|per cent|times|fold)|\bin \d+\b|hazard|odds",
    "citation-needed": r"published|journal|presented|\bdoi\b|pmid|proceedings|meeting|congress|conference|report(?:ed)? in",
    "broken-reference": r"^\s*(?:\[\d+\]|\d+\.)\s|references|sources|^\s*\d+\s",
    "professional-advice": r"doctor|physician|pharmacist|consult|talk to|ask your|clinician|health care provider",
}


def sentence_of(line: str, column: int) -> str:
    start = 0
    for m in SENTENCE_END.finditer(line):
        if m.end() > column - 1:
            return line[start:m.start()].strip() or line[start:].strip()
        start = m.end()
    return line[start:].strip()


def clip(text: str, column: int, width: int = 700) -> str:
    if len(text) <= width:
        return text
    start = max(0, min(column - 1 - width // 2, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")


def section_of(lines: list[str], line: int) -> str:
    """The nearest line above that looks like a heading (short, no final full stop)."""
    for n in range(line - 1, 0, -1):
        text = lines[n - 1].strip()
        if text and len(text) < 90 and not re.search(r"[.!?:;,\"”]$", text):
            return f"line {n}: {text}"
    return "(none)"


def show(k: int, f: dict, record: dict) -> None:
    lines = release_source(record).split("\n")
    text = lines[f["line"] - 1] if 0 < f["line"] <= len(lines) else ""
    labels = record.get("labels", {})
    crit = [c for c, rules in CRITERIA.items() if f["rule"] in rules]
    print(f"\n[{k}] {f['file']}  {f['code']} {f['rule']}  {f['line']}:{f['column']}  words: {f['words']!r}")
    print(f"    message: {f['message']}")
    print(f"    line {f['line']} of {len(lines)}; section above: {section_of(lines, f['line'])}"
          + (f"; expert label {crit[0]}: {labels.get(crit[0])}" if crit else ""))
    if crit and crit[0] != "sensational_language" and record.get("explanations", {}).get(crit[0]):
        print(f"    expert's note: {record['explanations'][crit[0]][:300]}")
    whole = f["line"] == f.get("end_line") and f["column"] == f.get("end_column")
    if not whole and text:
        print(f"    sentence: {sentence_of(text, f['column'])}")
        if len(text) > len(sentence_of(text, f['column'])) + 5:
            print(f"    paragraph: {clip(text, f['column'])}")
    if whole or f["rule"] in DIGEST:
        if whole or f["rule"] not in ("citation-needed", "broken-reference"):
            print(f"    title: {record['title'][:150]}")
            print(f"    text opens: {record['text'].lstrip()[:160]!r}")
        pattern = DIGEST.get(f["rule"])
        if pattern:
            shown, most = 0, 4 if f["rule"] in ("citation-needed", "broken-reference") else 8
            for n, line in enumerate(lines, 1):
                for m in re.finditer(pattern, line, re.IGNORECASE):
                    print(f"    L{n}: …{line[max(0, m.start() - 70):m.end() + 70]}…")
                    shown += 1
                    break
                if shown >= most:
                    break
            if not shown:
                print("    (no line matches the digest's words)")


def stub(f: dict) -> dict:
    entry = {"id": f["file"], "rule": f["code"], "line": f["line"]}
    if f["words"]:
        entry["words"] = f["words"]
    return {**entry, "verdict": None, "reason": ""}


def stratified(findings: list[dict], n: int, floor: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    pool = sorted(findings, key=lambda f: (f["code"], f["file"], f["line"], f["column"], f["message"]))
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for f in pool:
        by_rule[f["code"]].append(f)
    chosen: list[dict] = []
    for code in sorted(by_rule):
        chosen += rng.sample(by_rule[code], min(floor, len(by_rule[code])))
    taken = {id(f) for f in chosen}
    rest = [f for f in pool if id(f) not in taken]
    chosen += rng.sample(rest, max(0, min(n - len(chosen), len(rest))))
    return sorted(chosen, key=lambda f: (f["code"], f["file"], f["line"], f["column"]))


def judged_ids(entries: list[dict], findings: list[dict], states: dict) -> set[int]:
    by_key = defaultdict(list)
    for f in findings:
        by_key[finding_key(f)].append(f)
    names = {c: n for n, (c, _) in states.items()}
    out = set()
    for e in entries:
        rule = names.get(e["rule"], e["rule"])
        out.update(id(f) for f in by_key.get((e["id"], rule, e["line"]), []) if matches({**e, "rule": rule}, f, f["words"]))
    return out


def check_ledger(entries: list[dict]) -> list[str]:
    problems = []
    for n, e in enumerate(entries, 1):
        if not {"id", "rule", "line", "verdict"} <= e.keys():
            problems.append(f"entry {n}: needs id, rule, line and verdict")
        if set(e) - KEYS:
            problems.append(f"entry {n}: unknown keys {sorted(set(e) - KEYS)} (no corpus text beyond the matched words)")
        if e.get("verdict") not in VERDICTS:
            problems.append(f"entry {n}: verdict must be one of {', '.join(VERDICTS)}")
        if len((e.get("words") or "").replace("…", "").split()) > MAX_WORDS:
            problems.append(f"entry {n}: words must be at most {MAX_WORDS} words")
    return problems


def main(argv: list[str] | None = None) -> int:
    # --corpus and --ledger go before or after the subcommand
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", default=argparse.SUPPRESS, help="the labelled corpus (default: ../shared/corpus)")
    common.add_argument("--ledger", default=argparse.SUPPRESS, help="the ledger (default: benchmarks/judgements.jsonl)")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", parents=[common], help="random findings not judged yet, to read in context")
    s.add_argument("--n", type=int, default=200,
                   help="findings in all; never fewer than --min-per-rule of each rule (0: a plain random sample)")
    s.add_argument("--seed", type=int, default=14)
    s.add_argument("--min-per-rule", type=int, default=8)
    s.add_argument("--include-judged", action="store_true", help="draw from judged findings too")
    s.add_argument("--rule", action="append", default=[], metavar="CODE",
                   help="draw only this rule's findings (a code such as HL211; repeatable)")
    s.add_argument("--from", dest="first", type=int, default=1, help="show from this sample number")
    s.add_argument("--to", dest="last", type=int, default=None, help="show up to this sample number")
    s.add_argument("--stubs", action="store_true", help="print only ledger stubs (no corpus text but the words)")
    r = sub.add_parser("report", parents=[common], help="precision per rule over the judged findings that still appear")
    r.add_argument("--list-new", type=int, default=0, metavar="N", help="show N unjudged findings per rule")
    r.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    args.corpus = getattr(args, "corpus", None)
    args.ledger = getattr(args, "ledger", str(LEDGER))

    corpus = find_corpus(args.corpus)
    states = rule_states()
    records = releases(corpus)
    by_id = {rec["id"]: rec for rec in records}
    findings = lint_releases(records)
    annotate(records, findings)
    entries = load_ledger(Path(args.ledger))
    problems = check_ledger(entries)
    for p in problems:
        print(f"{args.ledger}: {p}", file=sys.stderr)

    if args.command == "sample":
        judged = set() if args.include_judged else judged_ids(entries, findings, states)
        pool = [f for f in findings if id(f) not in judged and (not args.rule or f["code"] in args.rule)]
        chosen = stratified(pool, args.n, args.min_per_rule, args.seed)
        last = args.last or len(chosen)
        for k, f in enumerate(chosen, 1):
            if args.first <= k <= last:
                if args.stubs:
                    print(json.dumps(stub(f), ensure_ascii=False))
                else:
                    show(k, f, by_id[f["file"]])
        if not args.stubs:
            print(f"\n{len(chosen)} findings sampled (seed {args.seed}) from {len(pool)} not judged "
                  f"({len(findings)} in all); shown {args.first}-{min(last, len(chosen))}.")
        return 0

    stats = ledger_precision(entries, findings, states)
    print(precision_table(stats, states).text())
    print(f"\n{len(entries)} judged findings in {args.ledger}; {len(findings)} current findings on {len(records)} releases.")
    if args.list_new:
        judged = judged_ids(entries, findings, states)
        rng = random.Random(args.seed)
        new = defaultdict(list)
        for f in findings:
            if id(f) not in judged:
                new[f["code"]].append(f)
        for code in sorted(new):
            print(f"\n{code} {new[code][0]['rule']}: {len(new[code])} not judged")
            for f in rng.sample(new[code], min(args.list_new, len(new[code]))):
                print(f"    {f['file']} {f['line']}:{f['column']} {f['words']!r}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
