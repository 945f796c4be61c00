"""HL401 grammar: grammar and spelling from a LanguageTool server on this machine."""
from __future__ import annotations

import dataclasses
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

from healthlint import cache
from healthlint.model import CheckError, Finding, Rule
from healthlint.resources import rules_dir

SPELLING_CATEGORIES = {"TYPOS"}
CACHE_NAMESPACE = "languagetool"


@lru_cache(maxsize=32)
def _words_from(path: str, mtime: float) -> frozenset[str]:
    lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def _word_list(paths: list[Path]) -> frozenset[str]:
    words: set[str] = set()
    for path in paths:
        try:
            words |= _words_from(str(path), path.stat().st_mtime)
        except OSError as exc:
            raise CheckError(f"cannot read word list {path}: {exc.strerror or exc}") from None
    return frozenset(words)


def _known(word: str, words: frozenset[str]) -> bool:
    w = word.lower().replace("’", "'")
    candidates = {w, w.rstrip("'s"), w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w}
    return any(c in words for c in candidates if c)


class GrammarRule(Rule):
    io_bound = True

    def __init__(self, **kw):
        super().__init__(**kw)
        self._client = None
        self._client_url = None
        self._closed = False
        self._lock = threading.Lock()

    def __copy__(self):  # a copy is a rule for another run: no client, server or closed state
        return GrammarRule(**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    def close(self):
        from healthlint.languagetool import stop_all
        self._closed = True  # checks still in flight fail fast instead of starting a new server
        stop_all()

    # --- where the server is ----------------------------------------------
    @staticmethod
    def _home(options) -> Path:
        from healthlint.languagetool import default_home
        return Path(os.path.expanduser(options["home"])) if options.get("home") else default_home()

    def unavailable(self, options):
        from healthlint.languagetool import installed_version, java_command, not_installed_notice
        if options.get("url"):
            return None
        home = self._home(options)
        if installed_version(home) is None:
            return not_installed_notice(home)
        if java_command() is None:
            return "Java was not found; LanguageTool needs Java 17 or newer (set JAVA_HOME or put java on PATH)."
        return None

    def _server_identity(self, options) -> str:
        from healthlint.languagetool import installed_version
        if options.get("url"):
            return f"url:{options['url']}"
        home = self._home(options)
        return f"local:{installed_version(home)}"

    def cache_identity(self, options) -> str:
        """What the engine's result cache must change with: the LanguageTool version (or URL)."""
        return self._server_identity(options)

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
                    url = local_server(self._home(options)).ensure_started()
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
        digest = cache.key(text, settings, self._server_identity(options))
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

    def check(self, doc, options):
        if not doc.prose.strip():
            return
        words = _word_list([rules_dir() / "lexicons" / "medical-words.txt",
                            *[p for p in [self._home(options) / "medical-words.txt"] if p.is_file()],
                            *[Path(p) for p in options["word-list-files"]]])
        for m in self._matches(doc.prose, options):
            start, end = m["offset"], m["offset"] + m["length"]
            message = f"{m['message']} ({m['rule']}, {m['category']})"
            if m["category"] in SPELLING_CATEGORIES:
                block = doc.block_at(start)
                # names in a reference list are not the writer's spelling
                if _known(doc.prose[start:end], words) or (block is not None and block.in_footnote):
                    continue
                message = f'"{doc.prose[start:end]}": {message}'
            replacement = m["replacements"][0] if m["replacements"] else None
            yield Finding(start, end, message, replacement)


def _short(exc: Exception) -> str:
    text = re.sub(r"\s+", " ", str(exc)).strip()
    return f"{type(exc).__name__}: {text[:200]}"
