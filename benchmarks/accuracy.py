"""How well healthlint agrees with experts on real, expert-labelled health writing.

    python benchmarks/accuracy.py                  # writes benchmarks/ACCURACY.md
    python benchmarks/accuracy.py --corpus PATH    # another copy of the corpus
    python benchmarks/accuracy.py --no-write       # print the tables only

Reads the development corpus in ../shared/corpus (next to the repository; see its README)
at run time. Its texts never go into the project: they are written to a temporary folder
outside the repository, linted there and deleted. Without the corpus the script exits 2.

healthlint runs as a subprocess, exactly as a user runs it, with
`--format json --isolated --no-cache --ignore HL401,HL402 -j 2` (no grammar or spelling: LanguageTool is
slow and has its own benchmark) and `--extend-select` for the balance rules that are off by
default (HL210-HL212), so that their firing rates can be measured too. "Findings per
release" counts the rules that are on by default only.

1. Press releases (fakehealth_release): `"# " + title + "\\n\\n" + text` linted as Markdown,
   releases with text_chars < 200 skipped. Findings per release; per rule the firing rate
   (share of releases with at least one finding) on releases the HealthNewsReview.org
   reviewers judged Not Satisfactory vs Satisfactory on the criterion the rule answers
   (CRITERIA below); the line-level hit rate on the phrases reviewers quoted as
   sensational (a quote on text line k is on linted line k + 2; a title quote is line 1);
   `missing-date` on releases that open with a dateline (DATELINE below).
2. Claim strength (claim_strength): each sentence linted alone as plain text; firing rate of
   causal-overclaim and absolute-claim by label and genre; macro-F1 of the four labels from
   healthlint.analysis.claims when that API exists (CLAIMS_API below).
3. Cochrane (cochrane_pls): the reading grade of each technical abstract and its
   plain-language summary by the readability rule's default formula, scored as the rule scores
   a document (healthlint.analysis.reading on healthlint.analysis.parse); the share of pairs
   where the abstract grades harder. The other formulas, and figures treated as before, for scale.
4. The editor's ledger (benchmarks/judgements.jsonl, see judge.py): precision per rule over
   the judged findings that still appear in this run.
5. Grammar (jfleg_grammar): the grammar and spelling rules HL401 and HL402 with each backend (GRAMMAR_BACKENDS) on the
   learner sentences labelled has_error (detokenised, one plain-text file each) and on their
   first human correction (`references[0]`): recall = share of erroneous sentences with at
   least one finding; false alarms = share of corrected sentences with at least one. Run as
   `healthlint --format json --isolated --no-cache -j 2 --select HL401,HL402 --grammar-backend B`;
   a backend that cannot run here (LanguageTool not installed) is reported as not measured.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
LEDGER = HERE / "judgements.jsonl"
OUTPUT = HERE / "ACCURACY.md"

RELEASES = "fakehealth_release/healthrelease_criteria.jsonl"
CLAIM_FILES = {"pubmed": "claim_strength/pubmed_conclusions.jsonl",
               "eurekalert": "claim_strength/eurekalert_press_releases.jsonl"}
COCHRANE = "cochrane_pls/abstract_vs_pls.jsonl"
JFLEG = "jfleg_grammar/dev.jsonl"
GRAMMAR_BACKENDS = ("languagetool", "harper", "both")
GRAMMAR_FLAGS = ["--format", "json", "--isolated", "--no-cache", "-j", "2", "--select", "HL401,HL402"]

FLAGS = ["--format", "json", "--isolated", "--no-cache", "--ignore", "HL401,HL402", "-j", "2"]
BALANCE = ["--extend-select", "HL210,HL211,HL212"]   # off by default; measured, not counted per release
MIN_TEXT_CHARS = 200

# HealthNewsReview.org criterion -> the rules that answer it (Not Satisfactory: should fire)
CRITERIA = {
    "harms": ["risk-disclosure"],
    "sensational_language": ["absolute-claim", "hype-word", "causal-overclaim"],
    "costs": ["no-costs"],
    "alternatives": ["no-alternatives"],
    "benefits": ["unquantified-benefit", "relative-risk-only"],
    "conflicts_of_interest": ["promotional"],
}
CLAIM_RULES = ("absolute-claim", "hype-word", "causal-overclaim")
STRENGTH_RULES = ("causal-overclaim", "absolute-claim")
LABELS = ("direct_causal", "conditional_causal", "correlational", "no_relationship")

# A dateline: the first line of the text opens with a place (capitalised words, "ATS 2016",
# "WINSTON-SALEM"), optionally a comma and a state or date ("Calif., Aug. 22, 2017"), an
# optional parenthesis ("(Aug. 22, 2017)", "(EMBARGOED UNTIL ...)"), an optional wire mark
# ("/PRNewswire/"), then a dash: "--", an em or en dash, or a hyphen after a space (so the
# hyphen of "long-term" in a first sentence is not one). A wire mark before it ("Newswise —")
# is skipped; a wire mark alone names no place and is no dateline. A dateline is "dated" when
# it holds a month or a year, or a date follows its dash ("NEW ORLEANS – NOV. 4, 2016 –").
DATELINE = re.compile(r"^[A-Z][\w.'&-]*(?: [A-Z0-9][\w.'&-]*)*(?:,[ \w.,']{0,40}?)?\s*"
                      r"(?:\([^)\n]{0,80}\))?\s*(?:/[^/\n]{1,40}/)?\s*(?:--|[—–─]|(?<=\s)-)")
WIRE_MARK = re.compile(r"^(?:Newswise|PRNewswire|Business Wire|BUSINESS WIRE|EurekAlert!?)\s*(?:--|[—–─-])\s*")
DATED = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d|"
                   r"\b(?:19|20)\d\d\b", re.IGNORECASE)
DATE_AFTER = re.compile(r"\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+"
                        r"(?:19|20)\d\d|\d{1,2}\s+[A-Z][a-z]+\s+(?:19|20)\d\d)\s*(?:--|[—–─:-])", re.IGNORECASE)

# The claim-strength hook: the first of these callables found in healthlint.analysis.claims,
# called with one sentence, should return one of LABELS (a string, an enum whose value or
# name is one, or the data set's integer 0-3).
CLAIMS_API = ("sentence_strength", "claim_strength", "strength_of", "classify_strength", "strength")
INT_LABELS = {0: "no_relationship", 1: "correlational", 2: "conditional_causal", 3: "direct_causal"}


# --- running healthlint ---------------------------------------------------

def healthlint_command() -> list[str]:
    venv = ROOT / ".venv" / "bin" / "healthlint"
    return [str(venv)] if venv.exists() else [sys.executable, "-m", "healthlint"]


def run_healthlint(folder: Path, extra: list[str] = ()) -> list[dict]:
    """Findings of one healthlint run over `folder`, with a `file` key (the file's stem)."""
    command = healthlint_command() + FLAGS + list(extra) + [str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    if done.returncode not in (0, 1):
        sys.exit(f"healthlint failed (exit {done.returncode}): {shlex.join(command)}\n{done.stderr[-2000:]}")
    findings = json.loads(done.stdout or "[]")
    for f in findings:
        f["file"] = Path(f["path"]).stem
    return findings


def rule_states() -> dict[str, tuple[str, bool]]:
    """rule name -> (code, on by default), from `healthlint --list-rules`."""
    done = subprocess.run(healthlint_command() + ["--isolated", "--list-rules"], capture_output=True, text=True)
    states = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 4 and re.fullmatch(r"HL\d+", parts[0]):
            states[parts[1]] = (parts[0], parts[3] == "on")
    return states


def healthlint_version() -> str:
    done = subprocess.run(healthlint_command() + ["--version"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


# --- the corpus -----------------------------------------------------------

def find_corpus(path: str | None) -> Path:
    """The corpus folder, or exit 2 with a clear message when it is absent."""
    corpus = Path(path) if path else DEFAULT_CORPUS
    if not (corpus / RELEASES).is_file():
        print(f"error: the labelled corpus is not at {corpus} (expected {RELEASES} in it).\n"
              "It is kept outside the project, next to the repository (see ../shared/corpus/README.md); "
              "pass --corpus PATH to point at a copy. Nothing was measured.", file=sys.stderr)
        sys.exit(2)
    return corpus


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def releases(corpus: Path) -> list[dict]:
    return [r for r in load_jsonl(corpus / RELEASES) if r.get("text_chars", len(r["text"])) >= MIN_TEXT_CHARS]


def release_source(record: dict) -> str:
    return "# " + record["title"] + "\n\n" + record["text"]


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def lint_releases(records: list[dict]) -> list[dict]:
    """All findings on the releases (balance rules included), each with `file` = record id."""
    with tempfile.TemporaryDirectory(prefix="healthlint-accuracy-") as tmp:
        folder = Path(tmp)
        names = {}
        for r in records:
            name = safe_name(r["id"])
            names[name] = r["id"]
            (folder / f"{name}.md").write_text(release_source(r), encoding="utf-8")
        findings = run_healthlint(folder, BALANCE)
    for f in findings:
        f["file"] = names.get(f["file"], f["file"])
    return findings


def finding_words(source_lines: list[str], f: dict, limit: int = 6) -> str:
    """The few words a finding is about: its span, cut to `limit` words ("…" when cut)."""
    line, col, end_line, end_col = f["line"], f["column"], f.get("end_line") or f["line"], f.get("end_column") or f["column"]
    if line < 1 or line > len(source_lines):
        return ""
    if end_line == line:
        span = source_lines[line - 1][col - 1:end_col - 1]
    else:
        span = source_lines[line - 1][col - 1:]
    words = span.split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


def norm_words(words: str | None) -> str:
    return re.sub(r"\W+", " ", (words or "").replace("…", "")).strip().lower()


def is_dateline(text: str) -> tuple[bool, bool]:
    """(opens with a dateline, that dateline holds a date)."""
    first = text.lstrip().split("\n", 1)[0]
    first = first[WIRE_MARK.match(first).end():] if WIRE_MARK.match(first) else first
    m = DATELINE.match(first)
    if not m:
        return False, False
    after = DATE_AFTER.match(first, m.end())   # "NEW ORLEANS – NOV. 4, 2016 –"
    return True, bool(DATED.search(m.group(0)) or after)


# --- small statistics -----------------------------------------------------

def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def macro_f1(gold: list[str], predicted: list[str]) -> tuple[float, dict[str, float]]:
    scores = {}
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return sum(scores.values()) / len(scores), scores


class Table:
    def __init__(self, title: str, header: list[str], align: str | None = None) -> None:
        self.title, self.header, self.rows = title, header, []
        self.align = align or "l" + "r" * (len(header) - 1)

    def add(self, *cells) -> None:
        self.rows.append([str(c) for c in cells])

    def text(self) -> str:
        widths = [max(len(r[i]) for r in [self.header] + self.rows) for i in range(len(self.header))]
        def fmt(row):
            return "  ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(row, widths, self.align))
        return "\n".join([self.title, fmt(self.header), fmt(["-" * w for w in widths])] + [fmt(r) for r in self.rows])

    def markdown(self) -> str:
        sep = ["---" if a == "l" else "---:" for a in self.align]
        lines = ["| " + " | ".join(r) + " |" for r in [self.header, sep] + self.rows]
        return "\n".join(lines)


# --- 1. press releases ----------------------------------------------------

def release_report(records: list[dict], findings: list[dict], states: dict) -> tuple[list, list[str]]:
    tables, notes = [], []
    by_file: dict[str, list[dict]] = defaultdict(list)
    for f in findings:
        by_file[f["file"]].append(f)
    ids = [r["id"] for r in records]
    default_on = {name for name, (_, on) in states.items() if on}
    code = {name: c for name, (c, _) in states.items()}
    crashed = [f for f in findings if f["code"] in ("HL001", "HL002")]
    if crashed:
        notes.append(f"**{len(crashed)} findings say a file could not be read or a rule crashed** "
                     f"({Counter(f['rule'] for f in crashed).most_common()}); those files are measured without it.")

    per_release = [sum(f["rule"] in default_on for f in by_file[i]) for i in ids]
    all_rules = sorted({f["rule"] for f in findings} | {r for rules in CRITERIA.values() for r in rules},
                       key=lambda n: code.get(n, "HL999"))
    summary = Table(f"Press releases: {len(ids)} releases (text_chars >= {MIN_TEXT_CHARS}), "
                    f"{sum(per_release)} findings from the rules on by default",
                    ["measure", "value"])
    summary.add("findings per release, mean (rules on by default)", f"{statistics.mean(per_release):.1f}")
    summary.add("findings per release, median (rules on by default)", f"{statistics.median(per_release):g}")
    summary.add("findings per release, mean (with the balance rules HL210-HL212)",
                f"{statistics.mean(len(by_file[i]) for i in ids):.1f}")
    tables.append(summary)

    labels = {r["id"]: r.get("labels", {}) for r in records}
    criterion_of = {rule: c for c, rules in CRITERIA.items() for rule in rules}
    rules = Table("Per rule: findings per release, firing rate (releases with >= 1 finding) overall and on "
                  "releases judged Not Satisfactory (NS) vs Satisfactory (S) for the mapped criterion",
                  ["rule", "default", "findings", "mean", "median", "fires on", "criterion", "NS fires", "S fires"],
                  "llrrrrlrr")
    for rule in all_rules:
        counts = [sum(f["rule"] == rule for f in by_file[i]) for i in ids]
        fired = {i for i, c in zip(ids, counts) if c}
        row = [f"{code.get(rule, '?')} {rule}", "on" if rule in default_on else "off", sum(counts),
               f"{statistics.mean(counts):.2f}", f"{statistics.median(counts):g}", pct(len(fired), len(ids))]
        crit = criterion_of.get(rule)
        if crit:
            ns = [i for i in ids if labels[i].get(crit) == "Not Satisfactory"]
            s = [i for i in ids if labels[i].get(crit) == "Satisfactory"]
            row += [crit, f"{pct(len(fired & set(ns)), len(ns))} of {len(ns)}", f"{pct(len(fired & set(s)), len(s))} of {len(s)}"]
        else:
            row += ["", "", ""]
        rules.add(*row)
    tables.append(rules)

    # sensational-language criterion: the three claim rules together
    crit = "sensational_language"
    ns = {i for i in ids if labels[i].get(crit) == "Not Satisfactory"}
    s = {i for i in ids if labels[i].get(crit) == "Satisfactory"}
    combos = Table("Sensational language (criterion): firing rate of the claim rules together",
                   ["rules", "NS fires", "S fires", "NS / S"])
    for group in (("absolute-claim", "hype-word"), CLAIM_RULES):
        fired = {i for i in ids if any(f["rule"] in group for f in by_file[i])}
        a, b = len(fired & ns) / len(ns) if ns else 0, len(fired & s) / len(s) if s else 0
        combos.add(" + ".join(group), f"{pct(len(fired & ns), len(ns))} of {len(ns)}",
                   f"{pct(len(fired & s), len(s))} of {len(s)}", f"{a / b:.2f}" if b else "—")
    tables.append(combos)

    # reviewer-quoted sensational phrases, line by line
    lines_hit: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in findings:
        for line in range(f["line"], (f.get("end_line") or f["line"]) + 1):
            lines_hit[f["file"]][line].add(f["rule"])
    quotes = Table("Reviewer-quoted sensational phrases: share of quotes whose line gets a finding",
                   ["quotes", "n", "claim rules (HL101-HL103)", "absolute-claim", "hype-word", "causal-overclaim", "any rule"])
    groups: dict[str, list[set[str]]] = defaultdict(list)
    for r in records:
        for q in (r.get("quoted_spans") or {}).get("sensational_language") or []:
            line = 1 if q.get("in") == "title" else (q["text_line"] + 2 if q.get("text_line") else None)
            if line is None:
                continue
            hit = lines_hit[r["id"]].get(line, set())
            groups["all"].append(hit)
            groups[f"on releases judged {labels[r['id']].get(crit, '?')}"].append(hit)
            groups["in titles" if line == 1 else "in the text"].append(hit)
    order = ["all", "on releases judged Not Satisfactory", "on releases judged Satisfactory", "in titles", "in the text"]
    for name, hits in sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        n = len(hits)
        quotes.add(name, n, pct(sum(bool(h & set(CLAIM_RULES)) for h in hits), n),
                   *(pct(sum(rule in h for h in hits), n) for rule in CLAIM_RULES), pct(sum(bool(h) for h in hits), n))
    tables.append(quotes)

    # missing-date and datelines
    dated = Table("missing-date on releases that open with a dateline (DATELINE in accuracy.py)",
                  ["releases", "n", "missing-date fires"])
    kinds = {i: is_dateline(r["text"]) for i, r in zip(ids, records)}
    fired = {i for i in ids if any(f["rule"] == "missing-date" for f in by_file[i])}
    for name, members in (("open with a dateline", [i for i in ids if kinds[i][0]]),
                          ("... whose dateline holds a date", [i for i in ids if kinds[i][1]]),
                          ("... whose dateline names a place only", [i for i in ids if kinds[i][0] and not kinds[i][1]]),
                          ("no dateline", [i for i in ids if not kinds[i][0]]),
                          ("all releases", ids)):
        dated.add(name, len(members), pct(len(fired & set(members)), len(members)))
    tables.append(dated)
    return tables, notes


# --- 2. claim strength ----------------------------------------------------

def claims_api():
    sys.path.insert(0, str(ROOT))
    try:
        import healthlint.analysis.claims as claims
    except Exception as error:   # not written yet, or broken mid-edit
        return None, f"healthlint.analysis.claims is not importable ({type(error).__name__}: {error})"
    for name in CLAIMS_API:
        fn = getattr(claims, name, None)
        if callable(fn):
            return fn, f"healthlint.analysis.claims.{name}"
    return None, f"healthlint.analysis.claims has none of {', '.join(CLAIMS_API)}"


def as_label(value) -> str | None:
    for candidate in (value, getattr(value, "value", None), getattr(value, "name", None)):
        if isinstance(candidate, str) and candidate.lower() in LABELS:
            return candidate.lower()
        if isinstance(candidate, int) and candidate in INT_LABELS:
            return INT_LABELS[candidate]
    return None


def claim_report(corpus: Path) -> tuple[list, list[str]]:
    missing = [p for p in CLAIM_FILES.values() if not (corpus / p).is_file()]
    if missing:
        return [], [f"Claim strength: skipped; {', '.join(missing)} not in {corpus}."]
    records = []
    for genre, path in CLAIM_FILES.items():
        for r in load_jsonl(corpus / path):
            records.append({**r, "set": genre})
    with tempfile.TemporaryDirectory(prefix="healthlint-claims-") as tmp:
        folder = Path(tmp)
        for n, r in enumerate(records):
            (folder / f"s{n:05d}.txt").write_text(r["text"] + "\n", encoding="utf-8")
        findings = run_healthlint(folder, ["--select", ",".join(CLAIM_RULES)])
    fired: dict[int, set[str]] = defaultdict(set)
    for f in findings:
        fired[int(f["file"][1:])].add(f["rule"])
    table = Table("Claim strength: firing rate on single sentences, by data set and label",
                  ["sentences", "label", "n", "causal-overclaim", "absolute-claim", "either", "hype-word"], "llrrrrr")
    subsets = [("pubmed", lambda r: r["set"] == "pubmed"),
               ("eurekalert", lambda r: r["set"] == "eurekalert"),
               ("eurekalert titles", lambda r: r["set"] == "eurekalert" and r.get("genre", "").endswith("title")),
               ("eurekalert body", lambda r: r["set"] == "eurekalert" and not r.get("genre", "").endswith("title"))]
    for name, keep in subsets:
        for label in LABELS:
            members = [n for n, r in enumerate(records) if keep(r) and r["label_name"] == label]
            table.add(name, label, len(members),
                      *(pct(sum(rule in fired[n] for n in members), len(members)) for rule in STRENGTH_RULES),
                      pct(sum(bool(fired[n] & set(STRENGTH_RULES)) for n in members), len(members)),
                      pct(sum("hype-word" in fired[n] for n in members), len(members)))
    tables, notes = [table], []
    fn, where = claims_api()
    if fn is None:
        notes.append(f"Claim-strength macro-F1: skipped; {where}. When it exists, the first of "
                     f"{', '.join(CLAIMS_API)} in it is called with each sentence and should return one of "
                     f"{', '.join(LABELS)}.")
        return tables, notes
    f1 = Table(f"Claim strength: macro-F1 of {where} over the four labels", ["sentences", "n", "macro-F1", *LABELS])
    for name, keep in subsets[:2]:
        members = [r for r in records if keep(r)]
        try:
            predicted = [as_label(fn(r["text"])) or "?" for r in members]
        except Exception as error:
            notes.append(f"Claim-strength macro-F1 on {name}: {where} raised {type(error).__name__}: {error}")
            continue
        score, per = macro_f1([r["label_name"] for r in members], predicted)
        f1.add(name, len(members), f"{score:.3f}", *(f"{per[label]:.3f}" for label in LABELS))
    tables.append(f1)
    return tables, notes


# --- 3. Cochrane ----------------------------------------------------------

def cochrane_scorer():
    """(grade function text -> {formula: grade}, description): healthlint's own scoring when the
    repository's package imports, else textstat on the raw text."""
    sys.path.insert(0, str(ROOT))
    numbers = re.compile(r"[-+]?\d[\d,.]*%?")
    try:
        from healthlint.analysis import parse, reading
        from healthlint.registry import build_registry
        ts = reading.textstat_scorer()
        default = build_registry(entry_points=[]).get("readability").options["formula"]

        def plain(text: str) -> str:   # healthlint's prose, before figures become hard words
            doc = parse("cochrane.txt", text)
            figures, reading.FIGURE_RE = reading.FIGURE_RE, re.compile(r"(?!)")
            try:
                return reading.scored_text(doc, reading.prose_blocks(doc))
            finally:
                reading.FIGURE_RE = figures

        def grades(text: str) -> dict[str, float]:
            doc = parse("cochrane.txt", text)
            scored, raw = reading.scored_text(doc, reading.prose_blocks(doc)), plain(text)
            out = {f"{reading.GRADE_FORMULAS[default]} (healthlint's default)": reading.grade(scored, default)}
            for key, name in reading.GRADE_FORMULAS.items():
                if key != default:
                    out[f"{name} (healthlint)"] = reading.grade(scored, key)
            out["Coleman-Liau (healthlint's text)"] = round(ts.coleman_liau_index(scored), 1)
            out["Flesch-Kincaid, figures as short words (healthlint before #18)"] = round(ts.flesch_kincaid_grade(raw), 1)
            out["Flesch-Kincaid, numbers deleted"] = round(ts.flesch_kincaid_grade(numbers.sub("", raw)), 1)
            out["Dale-Chall score, figures as short words"] = round(ts.dale_chall_readability_score(raw), 2)
            return out
        how = ("healthlint.analysis.reading (scored_text of prose_blocks of healthlint.analysis.parse, grade) "
               f"from the repository's package ({reading.__file__})")
    except Exception as error:
        try:
            import textstat as ts
        except ImportError:
            return None, f"neither healthlint ({error}) nor textstat could be imported"

        def grades(text: str) -> dict[str, float]:
            return {"Flesch-Kincaid (textstat)": round(ts.flesch_kincaid_grade(text), 1),
                    "Dale-Chall score (textstat)": round(ts.dale_chall_readability_score(text), 2)}
        how = f"textstat on the raw text (healthlint's reading module did not import: {type(error).__name__}: {error})"
    return grades, how


def cochrane_report(corpus: Path) -> tuple[list, list[str]]:
    if not (corpus / COCHRANE).is_file():
        return [], [f"Cochrane: skipped; {COCHRANE} not in {corpus}."]
    grades, how = cochrane_scorer()
    if grades is None:
        return [], [f"Cochrane: skipped; {how}."]
    pairs: dict[str, dict[str, str]] = defaultdict(dict)
    for r in load_jsonl(corpus / COCHRANE):
        pairs[r["pair_id"]][r["label"]] = r["text"]
    scored = [(grades(p["technical_abstract"]), grades(p["plain_language_summary"]))
              for p in pairs.values() if {"technical_abstract", "plain_language_summary"} <= p.keys()]
    table = Table(f"Cochrane: {len(scored)} pairs (technical abstract vs plain-language summary of one review)",
                  ["formula", "abstract harder", "tie", "summary harder", "median abstract", "median summary"])
    for formula in scored[0][0]:
        a = [x[0][formula] for x in scored]
        s = [x[1][formula] for x in scored]
        table.add(formula, pct(sum(x > y for x, y in zip(a, s)), len(a)), pct(sum(x == y for x, y in zip(a, s)), len(a)),
                  pct(sum(x < y for x, y in zip(a, s)), len(a)), f"{statistics.median(a):.1f}", f"{statistics.median(s):.1f}")
    return [table], [f"Cochrane grades computed with {how}. The first row is the figure: the grade of healthlint's "
                     "default formula as it reports it (to one decimal; equal grades are ties). healthlint scores "
                     "each figure as one long unfamiliar word and leaves out reference markers; the last three rows "
                     "score the same prose with figures as textstat sees them (short words whose decimal points end "
                     "sentences), or deleted, for scale (a Dale-Chall score is not a school grade)."]


# --- 5. grammar (JFLEG) ----------------------------------------------------

def detokenize(text: str) -> str:
    """A JFLEG sentence as it was written: its tokens ("did n't", "word ,") joined again."""
    text = text.replace("&raspsquo;", "'").replace("``", '"').replace("''", '"')
    words, quote_open = [], False
    for token in text.split():
        if token == '"':
            if quote_open and words:
                words[-1] += token
            else:
                words.append(token + "\0")   # glued to the next word
            quote_open = not quote_open
        elif words and (re.fullmatch(r"[.,;:!?%)\]}]+|\.\.\.|n't|'(?:s|m|re|ve|ll|d)", token, re.I)
                        or words[-1].endswith(("\0", "(", "[", "$"))):
            words[-1] = words[-1].replace("\0", "") + token
        else:
            words.append(token)
    return " ".join(w.replace("\0", "") for w in words)


def run_grammar(folder: Path, backend: str) -> tuple[list[dict] | None, float, str]:
    """(findings or None when the backend cannot run here, seconds, why it cannot)."""
    import time
    command = healthlint_command() + GRAMMAR_FLAGS + ["--grammar-backend", backend, str(folder)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    seconds = time.perf_counter() - started
    if done.returncode == 2 and "cannot run" in done.stderr:
        return None, seconds, done.stderr.strip().splitlines()[-1]
    if done.returncode not in (0, 1):
        sys.exit(f"healthlint failed (exit {done.returncode}): {shlex.join(command)}\n{done.stderr[-2000:]}")
    findings = [f for f in json.loads(done.stdout or "[]") if f["code"] in ("HL401", "HL402")]
    return findings, seconds, ""


def grammar_report(corpus: Path) -> tuple[list, list[str]]:
    if not (corpus / JFLEG).is_file():
        return [], [f"Grammar: skipped; {JFLEG} not in {corpus}."]
    records = [r for r in load_jsonl(corpus / JFLEG) if r["label"] == "has_error"]
    table = Table(f"Grammar and spelling (HL401, HL402) on JFLEG: {len(records)} learner sentences with an error and their first "
                  "human correction",
                  ["backend", "recall: erroneous sentences flagged", "95% CI", "false alarms: corrected "
                   "sentences flagged", "95% CI", "findings per erroneous sentence", "spelling share of findings",
                   "wall time (s)"])
    notes = []
    with tempfile.TemporaryDirectory(prefix="healthlint-grammar-") as tmp:
        folder = Path(tmp)
        for i, r in enumerate(records):
            (folder / f"src-{i:04d}.txt").write_text(detokenize(r["text"]) + "\n", encoding="utf-8")
            (folder / f"ref-{i:04d}.txt").write_text(detokenize(r["references"][0]) + "\n", encoding="utf-8")
        for backend in GRAMMAR_BACKENDS:
            findings, seconds, notice = run_grammar(folder, backend)
            if findings is None:
                table.add(backend, "not measured", "", "", "", "", "", "")
                notes.append(f"{backend}: not measured here ({notice}).")
                continue
            flagged = defaultdict(set)
            for f in findings:
                kind, _ = Path(f["path"]).stem.split("-")
                flagged[kind].add(Path(f["path"]).stem)
            hits, alarms, n = len(flagged["src"]), len(flagged["ref"]), len(records)
            src = [f for f in findings if Path(f["path"]).stem.startswith("src")]
            spelling = sum(bool(re.search(r", (?:TYPOS|Spelling)\)$", f["message"])) for f in src)
            (lo, hi), (flo, fhi) = wilson(hits, n), wilson(alarms, n)
            table.add(backend, f"{hits} ({pct(hits, n)})", f"{100 * lo:.1f}-{100 * hi:.1f}%",
                      f"{alarms} ({pct(alarms, n)})", f"{100 * flo:.1f}-{100 * fhi:.1f}%",
                      f"{len(src) / n:.2f}", pct(spelling, len(src)), f"{seconds:.0f}")
    from healthlint import harper_checker
    from healthlint.languagetool import default_home, installed_version
    notes.append(f"Harper {harper_checker.version()} (harper-py); LanguageTool {installed_version(default_home())} "
                 "(local server).")
    notes.append("Sentences are detokenised (\"did n't\" -> \"didn't\", \"word ,\" -> \"word,\") and linted as "
                 "plain text, one file each, in a temporary folder (never in the project). Wall time is one run "
                 "over both halves (2 x the sentences), start-up included; LanguageTool's includes starting its "
                 "server. `both` runs LanguageTool and Harper and keeps Harper's findings only where LanguageTool "
                 "has none on the same words. The default backend, `auto`, is LanguageTool where it is installed "
                 "or configured and Harper everywhere else.")
    return [table], notes


# --- 4. the editor's ledger -----------------------------------------------

def load_ledger(path: Path = LEDGER) -> list[dict]:
    if not path.exists():
        return []
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as error:
                sys.exit(f"{path}:{n}: not JSON ({error})")
    return entries


def finding_key(f: dict) -> tuple:
    return f["file"], f["rule"], f["line"]


def matches(entry: dict, f: dict, words: str) -> bool:
    """A judged finding is the current one when id, rule and line agree (and words when the
    judgement has them)."""
    if (entry["id"], entry["rule"], entry["line"]) != (f["file"], f["rule"], f["line"]) and \
       (entry["id"], entry["rule"], entry["line"]) != (f["file"], f["code"], f["line"]):
        return False
    if not entry.get("words"):
        return True
    # one may be cut shorter than the other (the ledger keeps at most a few words)
    a, b = norm_words(entry["words"]), norm_words(words)
    if a == b:
        return True
    cut = entry["words"].rstrip().endswith("…") or words.rstrip().endswith("…")
    return cut and bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def annotate(records: list[dict], findings: list[dict]) -> None:
    """Give each finding its `words` (from the linted source)."""
    sources = {r["id"]: release_source(r).split("\n") for r in records}
    for f in findings:
        f["words"] = finding_words(sources.get(f["file"], []), f)


def ledger_precision(entries: list[dict], findings: list[dict], states: dict) -> dict:
    """Per rule: judged findings that still appear (true, false, debatable), judged ones that
    disappeared, and current findings not yet judged."""
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        by_key[finding_key(f)].append(f)
    code_to_name = {c: n for n, (c, _) in states.items()}
    stats: dict[str, Counter] = defaultdict(Counter)
    judged_ids = set()
    for e in entries:
        rule = code_to_name.get(e["rule"], e["rule"])
        current = [f for f in by_key.get((e["id"], rule, e["line"]), []) if matches({**e, "rule": rule}, f, f["words"])]
        if current:
            stats[rule][e["verdict"]] += 1
            judged_ids.update(id(f) for f in current)
        else:
            stats[rule]["gone"] += 1
    for f in findings:
        stats[f["rule"]]["current"] += 1
        if id(f) not in judged_ids:
            stats[f["rule"]]["new"] += 1
    return stats


# A rough grouping of the ledger's reasons for false alarms (by words the reasons use);
# a reason that matches none is "other".
FALSE_ALARM_FAMILIES = [
    ("names something that is not the article's treatment (department, society, comparator, "
     "outcome measure, nutrient, co-intervention)", r"^names |nutrient|ingredient|co-medication|not a treatment"),
    ("boilerplate, legal text or a link line", r"boilerplate|legal text|link line"),
    ("the study's own result, with its journal, meeting or DOI named", r"study's own|trial's own"),
    ("reference or notes list, or a citation line", r"reference|notes list|citation|programme listing"),
    ("a press release whose issuer is named (missing-author)", r"issu|media contact"),
    ("trial protocol, noun or quoted guideline read as advice", r"protocol|noun|guideline|advice to seek|public-health"),
    ("caveat, randomised trial, hedge or description read as a causal claim",
     r"randomised|hedged|examined|cost comparison|background|pharmacology|clinical sense|negated"),
    ("plain text graded hard (names, short sentences)", r"plain|names inflate|institution names"),
    ("a date given in a dateline", r"dateline"),
]

# How the ledger's verdicts were reached (so that a fresh reading can apply the same test).
JUDGING = """An editor wants a finding when acting on it would improve the release for a frightened lay
reader. Conventions used: text in an organisation's "About" section, legal text, contacts and link
lines is boilerplate (an "About" section on a disease or a product is content); figures that are
the reported study's own results are sourced when the release names the journal, meeting or DOI,
while earlier research and statistics about the world need a source; a completeness finding is
right only when the treatment it names is the release's subject and the release indeed lacks what
the rule asks for; `missing-author` on a press release is right only when the text never says who
issued it; `missing-date` is right when no date of the release is given (a dated dateline counts,
a year in a citation does not); `long-sentence` is right for a genuine sentence of the release's
own prose or quotes (the release writes its quotes), not for citations, listings or boilerplate;
`hard-passage` is right when the passage is hard for its words and sentences, not for names;
`stigmatizing-language` matters for mental illness, addiction and disability, not for allergies."""


def false_alarm_causes(entries: list[dict]) -> Table:
    counts: Counter = Counter()
    rules: dict[str, Counter] = defaultdict(Counter)
    for e in entries:
        if e.get("verdict") != "false":
            continue
        family = next((name for name, rx in FALSE_ALARM_FAMILIES if re.search(rx, e.get("reason", ""))), "other")
        counts[family] += 1
        rules[family][e["rule"]] += 1
    table = Table("Why judged findings were false alarms (the ledger's reasons, grouped)", ["cause", "false alarms", "rules"],
                  "lrl")
    for family, n in counts.most_common():
        table.add(family, n, ", ".join(f"{r} {k}" for r, k in rules[family].most_common()))
    return table


def random_sample_table(entries: list[dict], stats_of, states: dict) -> Table:
    """Precision of each plain random draw (ledger entries with a `sample`), over the rules on by
    default: as judged when drawn, and over its findings that still appear. Draws of rules that are
    off by default only are left out."""
    default_on = {c for _, (c, on) in states.items() if on}
    table = Table("Plain random samples of findings (rules on by default): precision when drawn and now",
                  ["sample", "judged", "precision when drawn", "still appear", "precision now"], "lrrrr")
    for name in sorted({e["sample"] for e in entries if e.get("sample")}):
        drawn = [e for e in entries if e.get("sample") == name and e["rule"] in default_on]
        if not drawn:
            continue   # a draw of rules that are off by default
        now = stats_of(drawn)
        t = sum(e["verdict"] == "true" for e in drawn)
        fa = sum(e["verdict"] == "false" for e in drawn)
        nt, nf = sum(s["true"] for s in now.values()), sum(s["false"] for s in now.values())
        still = sum(s["true"] + s["false"] + s["debatable"] for s in now.values())
        table.add(name, len(drawn), pct(t, t + fa), still, pct(nt, nt + nf))
    return table


def precision_table(stats: dict, states: dict) -> Table:
    code = {n: c for n, (c, _) in states.items()}
    default_on = {n for n, (_, on) in states.items() if on}
    table = Table("Editor's ledger: precision over judged findings that still appear",
                  ["rule", "default", "judged", "true", "false", "debatable", "precision", "95% CI", "gone", "not judged"],
                  "llrrrrrrrr")
    pooled, weighted_num, weighted_den = Counter(), 0.0, 0
    for rule in sorted(stats, key=lambda n: code.get(n, "HL999")):
        s = stats[rule]
        t, fa, d = s["true"], s["false"], s["debatable"]
        if not (t + fa + d + s["gone"]):
            continue
        lo, hi = wilson(t, t + fa)
        table.add(f"{code.get(rule, '?')} {rule}", "on" if rule in default_on else "off", t + fa + d, t, fa, d,
                  pct(t, t + fa), f"{100 * lo:.0f}-{100 * hi:.0f}%" if t + fa else "—", s["gone"], s["new"])
        if rule in default_on:
            pooled.update({"true": t, "false": fa, "debatable": d})
            if t + fa:
                weighted_num += s["current"] * t / (t + fa)
                weighted_den += s["current"]
    t, fa, d = pooled["true"], pooled["false"], pooled["debatable"]
    table.add("all rules on by default, pooled", "", t + fa + d, t, fa, d, pct(t, t + fa), "", "", "")
    if weighted_den:
        table.add("all rules on by default, weighted by findings per rule", "", "", "", "", "",
                  f"{100 * weighted_num / weighted_den:.1f}%", "", "", "")
    return table


# --- main -----------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help=f"the labelled corpus (default: {DEFAULT_CORPUS})")
    parser.add_argument("--ledger", default=str(LEDGER), help="the editor's ledger (default: benchmarks/judgements.jsonl)")
    parser.add_argument("--no-write", action="store_true", help="print the tables, do not write ACCURACY.md")
    parser.add_argument("--skip", action="append", default=[], choices=["claims", "cochrane", "grammar"],
                        help="leave out a part (repeatable)")
    args = parser.parse_args(argv)
    corpus = find_corpus(args.corpus)
    started = datetime.datetime.now()

    states = rule_states()
    if not states:
        sys.exit("error: `healthlint --list-rules` listed no rules; is healthlint installed (see README)?")
    records = releases(corpus)
    findings = lint_releases(records)
    annotate(records, findings)
    sections: list[tuple[str, list, list[str]]] = []
    tables, notes = release_report(records, findings, states)
    sections.append(("Press releases (HealthNewsReview.org criteria)", tables, notes))
    ledger = load_ledger(Path(args.ledger))
    if ledger:
        stats = ledger_precision(ledger, findings, states)
        sections.append(("The editor's ledger (benchmarks/judgements.jsonl)",
                         [precision_table(stats, states),
                          random_sample_table(ledger, lambda es: ledger_precision(es, findings, states), states),
                          false_alarm_causes(ledger)],
                         [f"{len(ledger)} judged findings. Precision = true / (true + false); debatable ones are "
                          "counted, not scored; gone = judged findings that no longer appear; not judged = current "
                          "findings with no judgement. The first judgements were a stratified sample (every rule "
                          "with at least 8 findings has at least 8 judged), so the pooled figure over-weights rare "
                          "rules; the weighted one weights each rule's precision by its number of findings in this "
                          "run. The later ones are plain random samples of all findings (their `sample` in the "
                          "ledger), read by a second editor: 'when drawn' is their precision as judged then; 'now' "
                          "counts only those that still appear (false alarms fixed since are gone, new findings "
                          "are not in it), so the last sample drawn is the fresh reading.",
                          JUDGING.replace("\n", " ")]))
    if "claims" not in args.skip:
        tables, notes = claim_report(corpus)
        sections.append(("Claim strength (Yu et al. sentences)", tables, notes))
    if "cochrane" not in args.skip:
        tables, notes = cochrane_report(corpus)
        sections.append(("Readability: Cochrane abstracts vs plain-language summaries", tables, notes))
    if "grammar" not in args.skip:
        tables, notes = grammar_report(corpus)
        sections.append(("Grammar and spelling: JFLEG learner sentences", tables, notes))
    seconds = (datetime.datetime.now() - started).total_seconds()

    for title, tables, notes in sections:
        print(f"\n== {title} ==")
        for t in tables:
            print("\n" + t.text())
        for n in notes:
            print("\n" + n.replace("**", ""))
    print(f"\n({seconds:.0f} s)")

    if not args.no_write:
        command = "python benchmarks/accuracy.py" + ("".join(f" {shlex.quote(a)}" for a in (argv if argv is not None else sys.argv[1:])))
        out = ["# healthlint accuracy on expert-labelled health writing", "",
               f"Measured {started:%Y-%m-%d} with `{command}` ({seconds:.0f} s) on {os.cpu_count()} CPUs; Python {platform.python_version()}; {healthlint_version()}.", "",
               f"Corpus: the development half in `{'../shared/corpus' if corpus.resolve() == DEFAULT_CORPUS.resolve() else corpus}` "
               "(its README says how labels map to rules; its texts are never stored in the project). "
               f"healthlint ran as `healthlint {' '.join(FLAGS)} {' '.join(BALANCE)}` on copies in a temporary folder; "
               "the balance rules HL210-HL212 are off by default and are left out of findings per release. "
               "A firing rate is the share of releases with at least one finding of the rule.",
               "", "Regenerate with `python benchmarks/accuracy.py`; judge findings with `python benchmarks/judge.py` "
               "(see its docstring)."]
        for title, tables, notes in sections:
            out += ["", f"## {title}"]
            for t in tables:
                out += ["", f"{t.title}:", "", t.markdown()]
            for n in notes:
                out += ["", n]
        OUTPUT.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
