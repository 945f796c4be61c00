"""HL401 grammar and HL402 spelling, from Harper (built in) or a LanguageTool server on this machine.

Both checkers sit behind one interface, `check(text, options) -> [Match]` (prose offsets). One
check of a document serves both rules: grammar reports the matches that are not spelling,
spelling the words the checker does not know that no word list excuses and that are no names.
"""
from __future__ import annotations

import bisect
import dataclasses
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from healthlint import cache, harper_checker
from healthlint.model import CheckError, Finding, Rule
from healthlint.resources import medical_words_file, read_word_list

SPELLING_CATEGORIES = {"TYPOS"}
CACHE_NAMESPACE = "languagetool"
# the options that decide what the checkers find (grammar's; spelling takes them from grammar)
CHECKER_OPTIONS = ("backend", "language", "url", "home", "disabled-rules", "enabled-rules", "disabled-categories",
                   "enabled-categories", "harper-disabled-rules", "harper-enabled-rules")


class Match(NamedTuple):
    """One finding of a checker, in offsets of the text it was given."""
    start: int
    end: int
    rule: str          # the checker's rule id (LanguageTool: THEIR_IS; Harper: TheirToThere)
    category: str      # LanguageTool's category, Harper's lint kind
    message: str
    suggestion: str | None
    spelling: bool     # a word the checker does not know: the word lists may excuse it


@lru_cache(maxsize=32)
def _words_from(path: str, mtime: float) -> frozenset[str]:
    return read_word_list(Path(path))


def _word_list(paths: list[Path]) -> frozenset[str]:
    versions = []
    for path in paths:
        try:
            versions.append((str(path), path.stat().st_mtime))
        except OSError as exc:
            raise CheckError(f"cannot read word list {path}: {exc.strerror or exc}") from None
    return _merged_words(tuple(versions))


@lru_cache(maxsize=8)
def _merged_words(versions: tuple[tuple[str, float], ...]) -> frozenset[str]:
    """One set per list of word files, the same object for every document (Debian's medical
    dictionary alone has 90,000 words: merging them for each article cost more than linting it)."""
    return frozenset().union(*(_words_from(path, mtime) for path, mtime in versions))


INITIAL_RE = re.compile(r"[A-Za-z]\.?\Z")   # "Doreen M.", the "s" of "the 70s": a letter is not a misspelling


def _known(word: str, words: frozenset[str]) -> bool:
    if INITIAL_RE.match(word):
        return True
    w = word.lower().replace("’", "'")
    candidates = {w, w.rstrip("'s"), w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w}
    return any(c in words for c in candidates if c)


NAME_SHAPE_RE = re.compile(r"\w[\w'’-]*?[A-Z0-9]")   # GoldenRoot, GOLDEN25, McAllister, mRNA


def _is_name(doc, start: int, end: int) -> bool:
    """A capitalised word inside a sentence (Okafor, Kerala, Lumasleep), or one with a capital or
    a digit after its first letter (GoldenRoot, GOLDEN25, eGFR): a person, a place, a brand or a
    code, which no dictionary knows, rather than a slip of the writer's."""
    word = doc.prose[start:end]
    if NAME_SHAPE_RE.match(word):
        return True
    if not word[:1].isupper():
        return False
    sentence_start = doc.sentence_at(start)[0]
    return bool(doc.prose[sentence_start:start].strip(" \t\n\"'“‘(*_#>-"))


def _lt_home(options) -> Path:
    from healthlint.languagetool import default_home
    return Path(os.path.expanduser(options["home"])) if options.get("home") else default_home()


class LanguageTool:
    """The local LanguageTool server (started for the run) or the one at the configured URL."""
    name = "languagetool"

    def __init__(self):
        self._client = None
        self._client_url = None
        self._closed = False
        self._lock = threading.Lock()

    def close(self):
        from healthlint.languagetool import stop_all
        self._closed = True  # checks still in flight fail fast instead of starting a new server
        stop_all()

    def unavailable(self, options):
        from healthlint.languagetool import installed_version, java_command, not_installed_notice
        if options.get("url"):
            return None
        home = _lt_home(options)
        if installed_version(home) is None:
            return not_installed_notice(home)
        if java_command() is None:
            return "Java was not found; LanguageTool needs Java 17 or newer (set JAVA_HOME or put java on PATH)."
        return None

    def identity(self, options) -> str:
        from healthlint.languagetool import installed_version
        if options.get("url"):
            return f"url:{options['url']}"
        return f"local:{installed_version(_lt_home(options))}"

    def describe(self, options) -> str:
        from healthlint.languagetool import installed_version
        if options.get("url"):
            return f"LanguageTool at {options['url']}"
        return f"LanguageTool {installed_version(_lt_home(options))} (local server)"

    def _language_tool(self, options):
        """The language-tool-python client, bound to the configured or local server."""
        import language_tool_python

        from healthlint.languagetool import LanguageToolError, local_server
        with self._lock:
            if self._closed:
                raise CheckError("the run was stopped")
            url = options.get("url") or None
            if url is None:
                try:
                    url = local_server(_lt_home(options)).ensure_started()
                except LanguageToolError as exc:
                    raise CheckError(str(exc)) from None
            if self._client is None or self._client_url != url:
                try:
                    client = language_tool_python.LanguageTool(options["language"], remote_server=url)
                except Exception as exc:  # connection refused, bad URL, unknown language
                    raise CheckError(f"LanguageTool at {url} did not answer: {exc}") from None
                self._client, self._client_url = client, url
            client = self._client
            client._TIMEOUT = options["timeout"]  # language-tool-python keeps the request timeout here
            client.disabled_rules = set(options["disabled-rules"])
            client.enabled_rules = set(options["enabled-rules"])
            client.disabled_categories = set(options["disabled-categories"])
            client.enabled_categories = set(options["enabled-categories"])
            return client

    def _matches(self, text: str, options) -> list[dict]:
        settings = {k: options[k] for k in ("language", "disabled-rules", "enabled-rules",
                                            "disabled-categories", "enabled-categories")}
        digest = cache.key(text, settings, self.identity(options))
        cached = cache.get(CACHE_NAMESPACE, digest)
        if cached is not None:
            return cached
        client = self._language_tool(options)
        try:
            found = client.check(text)
        except Exception as exc:  # the server died, timed out or answered garbage
            raise CheckError(f"LanguageTool did not check this file: {_short(exc)}") from None
        matches = [{"offset": m.offset, "length": m.error_length, "rule": m.rule_id, "category": m.category,
                    "message": m.message, "replacements": list(m.replacements[:3])} for m in found]
        cache.put(CACHE_NAMESPACE, digest, matches)
        return matches

    def check(self, text: str, options, words: frozenset[str]) -> list[Match]:
        return [Match(m["offset"], m["offset"] + m["length"], m["rule"], m["category"], m["message"],
                      m["replacements"][0] if m["replacements"] else None, m["category"] in SPELLING_CATEGORIES)
                for m in self._matches(text, options)]


class Harper:
    """Harper, in this process (healthlint/harper_checker.py)."""
    name = "harper"

    def close(self):
        pass

    def unavailable(self, options):
        return harper_checker.missing() or harper_checker.unsupported_language(options["language"])

    def identity(self, options) -> str:
        return f"harper-py:{harper_checker.version()}"

    def describe(self, options) -> str:
        return f"Harper {harper_checker.version()} (built in)"

    def check(self, text: str, options, words: frozenset[str]) -> list[Match]:
        import harper
        unknown = harper_checker.unknown_rules([*options["harper-disabled-rules"], *options["harper-enabled-rules"]])
        if unknown:   # a config file's names are checked when it is read; these came another way
            raise CheckError(f"unknown Harper rule {unknown[0]!r}")
        with harper_checker.linter(options["language"], tuple(options["harper-disabled-rules"]),
                                   tuple(options["harper-enabled-rules"]), words) as linter:
            found = linter.organized_lints(text, language=harper.Language.PLAINTEXT)
        out = []
        for rule, lints in found.items():
            for lint in lints:
                start = lint.span.start
                if start and text[start - 1].isdigit() and text[start].isalpha():
                    continue   # Harper splits "the 70s" and "5mg" into a number and a word of its own
                out.append(Match(lint.span.start, lint.span.end, rule, lint.lint_kind, lint.message,
                                 _harper_suggestion(lint), lint.lint_kind == "Spelling"))
        return sorted(out)


def _harper_suggestion(lint) -> str | None:
    """The first suggestion as the text that replaces the span."""
    import harper
    if not lint.suggestions:
        return None
    first = lint.suggestions[0]
    if first.kind == harper.SuggestionKind.INSERT_AFTER:
        return lint.problem_text + first.replacement_text
    return first.replacement_text   # empty for REMOVE


def _merged(first: list[Match], second: list[Match]) -> list[Match]:
    """`first` and the matches of `second` that overlap none of `first` (a one-character span
    stands for an empty one), sorted."""
    first = sorted(first)
    starts = [m.start for m in first]
    reach, furthest = [], -1   # reach[i]: the furthest end among first[:i + 1]
    for m in first:
        furthest = max(furthest, m.end, m.start + 1)
        reach.append(furthest)
    kept = []
    for m in second:
        i = bisect.bisect_left(starts, max(m.end, m.start + 1))   # first[:i] start before m ends
        if i == 0 or reach[i - 1] <= m.start:
            kept.append(m)
    return sorted(first + kept)


class GrammarRule(Rule):
    io_bound = True
    moved_options = {"word-list-files": "spelling", "spell-check-names": "spelling"}

    def __init__(self, **kw):
        super().__init__(**kw)
        self._languagetool = LanguageTool()
        self._harper = Harper()

    def __copy__(self):  # a copy is a rule for another run: no client, server or closed state
        return type(self)(**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    def close(self):
        self._languagetool.close()

    def start(self, options):
        if self._harper in self.checkers(options) and self._harper.unavailable(options) is None:
            harper_checker.warm_up()

    def check_option(self, name, value):
        problem = super().check_option(name, value)
        if problem is None and name in ("harper-disabled-rules", "harper-enabled-rules") \
                and harper_checker.missing() is None:
            unknown = harper_checker.unknown_rules(value)
            if unknown:
                import difflib
                close = difflib.get_close_matches(unknown[0], sorted(harper_checker.rule_names()), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else " (Harper's rule names are in its documentation)"
                return f"names {unknown[0]!r}, which is not a Harper rule{hint}"
        return problem

    # --- which checker runs ---------------------------------------------------
    def checkers(self, options) -> list:
        """The checkers the `backend` option picks on this machine (auto: LanguageTool when it is
        installed or a server is configured, else Harper)."""
        backend = options["backend"]
        if backend == "auto":
            lt_ready = self._languagetool.unavailable(options) is None
            harper_ready = self._harper.unavailable(options) is None
            return [self._languagetool if lt_ready or not harper_ready else self._harper]
        return {"harper": [self._harper], "languagetool": [self._languagetool],
                "both": [self._languagetool, self._harper]}[backend]

    def unavailable(self, options):
        reasons = [r for r in (c.unavailable(options) for c in self.checkers(options)) if r]
        if not reasons:
            return None
        if options["backend"] == "auto":   # neither can run: say why for both
            reasons = [self._languagetool.unavailable(options), self._harper.unavailable(options)]
            return " ".join(r.rstrip(".") + "." for r in reasons)
        return " ".join(reasons)

    def notice(self, options) -> str | None:
        """Said when `auto` falls back to Harper, so that a machine without LanguageTool never
        disagrees silently with one that has it; a backend the config names is the same everywhere."""
        if options["backend"] != "auto" or self.checkers(options) != [self._harper]:
            return None
        return f"checked by {self._harper.describe(options)}: LanguageTool is not set up here"

    def cache_identity(self, options) -> str:
        """What the engine's result cache must change with: the checkers and their versions (or URL)."""
        return " ".join(f"{c.name}:{c.identity(options)}" for c in self.checkers(options))

    # --- findings -------------------------------------------------------------
    def matches(self, doc, options) -> list[Match]:
        """The checkers' matches on the prose, found once per document for grammar and spelling
        (a failed check fails both without asking the server twice); none for a text of no prose."""
        if not doc.prose.strip():
            return []

        def compute():
            # the user's word lists and Debian's 90,000 medical words only excuse spelling findings
            # (taught to Harper, Debian's make its first check of a run a second slower)
            taught = _word_list([medical_words_file()])
            matches: list[Match] = []
            try:
                for checker in self.checkers(options):   # both: Harper's where LanguageTool has one are dropped
                    found = checker.check(doc.prose, options, taught)
                    matches = _merged(matches, found) if matches else found
            except CheckError as exc:
                return exc
            return matches
        found = doc.shared(("checker matches", *(repr(options[k]) for k in CHECKER_OPTIONS)), compute)
        if isinstance(found, CheckError):
            raise found
        return found

    def check(self, doc, options):
        for m in self.matches(doc, options):
            if not m.spelling:
                yield Finding(m.start, m.end, f"{m.message} ({m.rule}, {m.category})", m.suggestion)


class SpellingRule(GrammarRule):
    """HL402: the words the grammar checker does not know, less names and listed words."""
    options_from = "grammar"
    moved_options = {}

    def check(self, doc, options):
        if not doc.prose.strip():
            return   # nothing to spell: the word lists are not even read
        own = [medical_words_file(), *[Path(p) for p in options["word-list-files"]]]
        debian = [p for p in [_lt_home(options) / "medical-words.txt"] if p.is_file()]
        words = _word_list(own + debian)
        for m in self.matches(doc, options):
            if not m.spelling:
                continue
            block = doc.block_at(m.start)
            # names in a reference list are not the writer's spelling
            if _known(doc.prose[m.start:m.end], words) or (block is not None and block.in_footnote) \
                    or (not options["spell-check-names"] and _is_name(doc, m.start, m.end)):
                continue
            yield Finding(m.start, m.end, f'"{doc.prose[m.start:m.end]}": {m.message} ({m.rule}, {m.category})',
                          m.suggestion)


def _short(exc: Exception) -> str:
    text = re.sub(r"\s+", " ", str(exc)).strip()
    return f"{type(exc).__name__}: {text[:200]}"
