"""Lint documents: read -> Document -> rules -> findings -> violations -> suppression."""
from __future__ import annotations

import bisect
import contextlib
import gc
import itertools
import os
import re
import reprlib
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from healthlint import cache
from healthlint.analysis import parse
from healthlint.checks.system import ALWAYS_REPORTED, BAD_DIRECTIVE, RULE_CRASHED, UNREADABLE
from healthlint.config import Settings
from healthlint.document import Document
from healthlint.files import InputFile, ReadError, decode, glob_match, read_bytes, relative_to_root
from healthlint.model import CheckError, Finding, Rule, Severity, Violation
from healthlint.suppress import parse_suppressions

_SHORT = reprlib.Repr()   # what a message quotes of a plugin's odd value or error: short and on one line
_SHORT.maxstring = _SHORT.maxother = 300
SYSTEM_CODES = {UNREADABLE[0], RULE_CRASHED[0]}   # always reported: they mean "not checked"


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)
    files_checked: int = 0
    files_failed: int = 0       # unreadable, or a rule crashed on them
    files_linted: int = 0       # checked by the rules in this run (the others came from the cache)
    cache_hits: int = 0
    sources: dict[str, str] = field(default_factory=dict)  # display name -> text, when asked to keep them


def _checked_finding(finding) -> Finding:
    """A finding as a rule returned it, held to its documented types (plugins build them by
    hand): a wrong one is that rule's crash, never a traceback or a garbled report later."""
    if not isinstance(finding, Finding):
        raise TypeError(f"yielded {_SHORT.repr(finding)}, not a healthlint.model.Finding")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (finding.start, finding.end)):
        raise TypeError(f"a finding's start and end must be whole numbers, not {finding.start!r} and {finding.end!r}")
    if not isinstance(finding.message, str):
        raise TypeError(f"a finding's message must be a string, not {_SHORT.repr(finding.message)}")
    if finding.suggestion is not None and not isinstance(finding.suggestion, str):
        raise TypeError(f"a finding's suggestion must be a string or None, not {_SHORT.repr(finding.suggestion)}")
    if finding.severity is not None and not isinstance(finding.severity, Severity):
        raise TypeError(f"a finding's severity must be a healthlint.model.Severity or None, not {finding.severity!r}")
    return finding


def _violation(doc: Document, rule: Rule, finding: Finding, settings: Settings) -> Violation:
    if rule.source != "built-in":
        finding = _checked_finding(finding)
    if finding.in_source:
        start, end = finding.start, finding.end
    else:
        start, end = doc.to_source(finding.start, finding.end)
    line, col = doc.position(start)
    end_line, end_col = doc.position(max(start, end))
    severity = settings.severity.get(rule.code, rule.severity)
    if finding.severity is not None:  # a rule may lower one finding below the configured level
        severity = min(severity, finding.severity)
    return Violation(doc.path, line, col, end_line, end_col, rule.code, rule.name, severity, finding.message,
                     finding.suggestion)


def _crash_message(rule: Rule, exc: Exception) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
    error = _SHORT.repr(str(exc))[1:-1]
    return f"rule {rule.code} {rule.name} ({rule.source}) crashed{where}: {type(exc).__name__}: {error}"


def lint_text(display: str, text: str, settings: Settings, ignored: set[str] = frozenset(),
              io_bound: bool | None = None) -> list[Violation]:
    """Violations for one text. io_bound=True runs only the rules that wait on a server; False
    the others and the file checks (empty file, bad directives); None everything."""
    doc = parse(display, text)
    active = [r for code, r in settings.enabled.items()
              if code not in ignored and (io_bound is None or r.io_bound == io_bound)]
    out: list[Violation] = []
    for rule in active:
        try:
            if rule.source == "built-in":
                out.extend([_violation(doc, rule, f, settings) for f in rule.check(doc, settings.options[rule.code])])
            else:
                with contextlib.redirect_stdout(sys.stderr):  # a plugin's print() must not corrupt a JSON report
                    out.extend([_violation(doc, rule, f, settings)
                                for f in rule.check(doc, settings.options[rule.code])])
        except CheckError as exc:  # an outside service failed: this file was not fully checked
            message = f"rule {rule.code} {rule.name} could not check this file: {exc}"
            out.append(_not_checked(display, RULE_CRASHED, message))
        except (Exception, SystemExit) as exc:  # a crashing rule is reported, and the others still run
            out.append(_not_checked(display, RULE_CRASHED, _crash_message(rule, exc)))
    suppressions, problems = parse_suppressions(doc, settings.registry)
    directive_rule = settings.enabled.get(BAD_DIRECTIVE[0])
    if io_bound is not True and directive_rule is not None and BAD_DIRECTIVE[0] not in ignored:
        out.extend(_violation(doc, directive_rule, f, settings) for f in problems)
    out = [v for v in out if v.code in SYSTEM_CODES or not suppressions.covers(v.code, v.line)]
    return sorted(_without_covered(out, settings), key=Violation.sort_key)


def _without_covered(violations: list[Violation], settings: Settings) -> list[Violation]:
    """Drop the findings that a covering rule's finding already reports (a spec's `covers`: a
    hard passage names its long sentences, so they are not listed again inside it)."""
    spans: dict[str, list[tuple]] = {}
    for v in violations:
        rule = settings.enabled.get(v.code)
        for name in rule.covers if rule is not None else ():
            spans.setdefault(name, []).append(((v.line, v.column), (v.end_line, v.end_column)))
    if not spans:
        return violations
    merged: dict[str, tuple[list, list]] = {}
    for name, found in spans.items():
        starts, ends = [], []
        for start, end in sorted(found):
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start), ends.append(end)
        merged[name] = (starts, ends)

    def covered(v: Violation) -> bool:
        if v.rule not in merged:
            return False
        starts, ends = merged[v.rule]
        i = bisect.bisect_right(starts, (v.line, v.column)) - 1
        return i >= 0 and (v.line, v.column) < ends[i]
    return [v for v in violations if not covered(v)]


def _not_checked(display: str, code_name: tuple[str, str], message: str, line: int = 1, column: int = 1) -> Violation:
    return Violation(display, line, column, line, column, *code_name, ALWAYS_REPORTED, message)


def unreadable(display: str, error: ReadError) -> Violation:
    return _not_checked(display, UNREADABLE, error.message, error.line, error.column)


def ignored_codes(display: str, settings: Settings, root: Path) -> set[str]:
    if not settings.per_file_ignores:
        return set()
    rel = relative_to_root(Path(display), root)
    codes: set[str] = set()
    for glob, selected in settings.per_file_ignores:
        if glob_match(glob, rel, (os.path.abspath(display),)):
            codes |= selected
    return codes


def lint_file(item: InputFile, settings: Settings, max_size: int, root: Path, stdin=None) -> tuple[list[Violation], bool]:
    """Violations for one file, and whether it was checked."""
    try:
        text = decode(read_bytes(item, max_size, stdin), max_size)
    except ReadError as exc:
        return [unreadable(item.display, exc)], False
    return lint_text(item.display, text, settings, ignored_codes(item.display, settings, root)), True


# --- many files: a result cache, processes for the CPU-bound rules, threads for server-bound ones ---
_SETTINGS: Settings | None = None   # the run's settings, inherited by forked worker processes


def _worker_start() -> None:
    import signal

    from healthlint.processes import die_with_parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the parent's: it stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent()   # a parent killed by SIGKILL leaves no worker behind


def _lint_job(job, settings: Settings, io_bound: bool) -> list[Violation]:
    display, text, ignored = job
    return lint_text(display, text, settings, ignored, io_bound=io_bound)


def _lint_cpu(job) -> tuple[int, str | None, list[Violation]]:
    index, file_job, digest = job
    return index, digest, _lint_job(file_job, _SETTINGS, io_bound=False)


def _lint_cpu_chunk(jobs) -> list:
    return [_lint_cpu(job) for job in jobs]


def _chunks(items, size: int):
    items = iter(items)
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_key(settings: Settings) -> str:
    """Everything besides a file's own text and path that decides its findings: healthlint's
    version, code and rule data, the files of rules from elsewhere (rule-paths packs, plugins)
    and files named in options, the enabled rules with their severities and options, and a
    rule's outside identity (grammar: the LanguageTool version or URL)."""
    import sys

    from healthlint import __version__
    from healthlint.resources import rules_dir
    paths = set(Path(__file__).parent.rglob("*.py")) | {p for p in rules_dir().rglob("*") if p.is_file()}
    rules = {}
    for code, rule in sorted(settings.enabled.items()):
        module = getattr(sys.modules.get(type(rule).__module__), "__file__", None)
        paths.update(Path(p) for p in [module, rule.source] if p and Path(p).is_file())
        options = settings.options[code]
        for name, value in options.items():
            if name.endswith("-files") and isinstance(value, list):
                paths.update(Path(v).expanduser() for v in value)
        identity = getattr(rule, "cache_identity", None)
        rules[code] = [rule.name, int(settings.severity.get(code, rule.severity)), options,
                       identity(options) if identity else None]
    digests = {}
    for path in sorted(paths, key=str):
        try:
            digests[str(path)] = cache.key(path.read_bytes().hex())
        except OSError:
            digests[str(path)] = None
    return cache.key(__version__, digests, rules)


RESULTS = "results"   # cache namespace: one entry per file and run key


CACHED_ROW = (int, int, int, int, str, str, int, str, (str, type(None)))   # what _to_cache writes
CACHED_NAME_RE = re.compile(r"[A-Z]{1,5}[0-9]{2,5}\Z")


def _from_cache(digest: str, display: str) -> list[Violation] | None:
    """The cached findings, or None when there are none or the entry is not what this version
    writes (a hand-made or damaged entry is linted again, never trusted)."""
    rows = cache.get(RESULTS, digest)
    if not isinstance(rows, list):
        return None
    out = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == len(CACHED_ROW)
                and all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(row, CACHED_ROW))
                and CACHED_NAME_RE.match(row[4]) and row[6] in Severity._value2member_map_):
            return None
        out.append(Violation(display, *row[:6], Severity(row[6]), *row[7:]))
    return out


def _to_cache(digest: str, violations: list[Violation]) -> None:
    if not any(v.code == RULE_CRASHED[0] for v in violations):  # a server that was down may be up next time
        cache.put(RESULTS, digest, [[*v[1:7], int(v.severity), v.message, v.suggestion] for v in violations])


def lint_files(files: Iterable[InputFile], settings: Settings, max_size: int, root: Path, stdin=None,
               jobs: int = 1, threads: int = 8, keep_sources: bool = False) -> Report:
    """Lint files; the report lists violations in the same order whatever `jobs` is.

    A file whose text, path, per-file ignores and run key (see run_key) are unchanged takes its
    findings from the cache. The rest: rules that wait on a server (grammar) run in `threads`
    threads of this process, so one LanguageTool server serves the whole run; the others run in
    `jobs` forked worker processes (serially when jobs is 1, for one file, or without fork),
    which start on the first files while the later ones are still being read. With
    `keep_sources`, the report also holds each file's text (for reports that show it), so no
    file, nor standard input, is read twice."""
    global _SETTINGS
    report = Report()
    files = list(files)
    results: list[tuple[list[Violation], bool] | None] = [None] * len(files)
    key = run_key(settings) if cache.enabled() else None

    def pending():
        """(index, (display, text, ignored codes), cache digest) of each file to lint; files that
        cannot be read or are in the cache get their results here."""
        for index, item in enumerate(files):
            try:
                text = decode(read_bytes(item, max_size, stdin), max_size)
            except ReadError as exc:
                results[index] = ([unreadable(item.display, exc)], False)
                continue
            if keep_sources:
                report.sources[item.display] = text
            ignored = ignored_codes(item.display, settings, root)
            digest = key and cache.key(key, item.display, text, sorted(ignored))
            cached = digest and _from_cache(digest, item.display)
            if cached is not None:
                results[index] = (cached, True)
                report.cache_hits += 1
            else:
                yield index, (item.display, text, ignored), digest

    todo = pending()
    first = next(todo, None)   # read up to the first file to lint: a fully cached run starts no workers
    server_bound = any(rule.io_bound for rule in settings.enabled.values())
    if first is None:
        todo = []
    elif server_bound:   # the grammar threads and the workers both need every text
        todo = [first, *todo]
    else:                # the pool reads the rest while the workers lint
        todo = itertools.chain([first], todo)
    remaining = len(files) - first[0] if first else 0
    processes = min(jobs, remaining)
    pool = thread_pool = None
    try:
        if processes > 1 and "fork" in _mp().get_all_start_methods():
            _SETTINGS = settings   # forked workers inherit it: nothing to pickle
            gc.freeze()   # what the workers inherit is never garbage: their collections skip it (5% faster)
            from concurrent.futures import ProcessPoolExecutor
            pool = ProcessPoolExecutor(processes, mp_context=_mp().get_context("fork"), initializer=_worker_start)
            # fork the workers now, before the grammar threads start: a process forked while other
            # threads hold locks inherits those locks held, and can wait on them for ever
            pool.submit(os.getpid).result()
            size = max(1, min(16, remaining // (processes * 4)))
            cpu_parts = _in_order(pool, _chunks(todo, size), ahead=processes * 4)
        else:
            cpu_parts = ((i, d, _lint_job(job, settings, False)) for i, job, d in todo)
        for code, rule in settings.enabled.items():   # the workers are forked: threads may start now
            if rule.io_bound:
                rule.start(settings.options[code])
        if server_bound and threads > 1 and len(todo) > 1:
            from concurrent.futures import ThreadPoolExecutor
            thread_pool = ThreadPoolExecutor(max_workers=threads)
            io_parts = thread_pool.map(lambda job: _lint_job(job[1], settings, True), todo)
        elif server_bound:
            io_parts = (_lint_job(job, settings, True) for _, job, _ in todo)
        else:
            io_parts = itertools.repeat([])
        try:
            for (index, digest, cpu), io in zip(cpu_parts, io_parts):
                violations = sorted(cpu + io, key=Violation.sort_key)
                results[index] = (violations, True)
                report.files_linted += 1
                if digest:
                    _to_cache(digest, violations)
        except WorkerDied:   # the files not linted yet are reported, not waited for
            for index, item in enumerate(files):
                if results[index] is None:
                    results[index] = ([_not_checked(item.display, RULE_CRASHED, WorkerDied.message)], True)
    finally:  # on Ctrl-C, stop the workers and drop queued files at once instead of finishing them
        if pool is not None:
            _stop(pool)
        gc.unfreeze()
        if thread_pool is not None:
            thread_pool.shutdown(wait=False, cancel_futures=True)
        _SETTINGS = None
    for violations, checked in results:
        report.violations.extend(violations)
        if checked:
            report.files_checked += 1
        if not checked or any(v.code == RULE_CRASHED[0] for v in violations):
            report.files_failed += 1
    report.violations.sort(key=Violation.sort_key)
    return report


class WorkerDied(Exception):
    message = ("a lint worker process ended while checking files (a plugin may have called os._exit or "
               "crashed Python); this file was not checked")


def _in_order(pool, chunks, ahead: int):
    """The results of `chunks` linted by the process pool, in order, with at most `ahead` chunks
    read and queued at a time; WorkerDied when a worker process ends (the pool is then broken:
    concurrent.futures reports it instead of waiting for the lost files)."""
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool
    queued: deque = deque()
    try:
        for chunk in chunks:
            queued.append(pool.submit(_lint_cpu_chunk, chunk))
            if len(queued) >= ahead:
                yield from queued.popleft().result()
        while queued:
            yield from queued.popleft().result()
    except BrokenProcessPool:
        raise WorkerDied from None


def _stop(pool) -> None:
    """Shut the pool down without waiting for queued files; its workers, which may be mid-file
    (Ctrl-C) or blocked on a dead sibling's queue, are ended at once."""
    workers = list((getattr(pool, "_processes", None) or {}).values())   # no public handle before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.kill()
    for process in workers:
        process.join(timeout=5)


def _mp():
    import multiprocessing
    return multiprocessing
