"""Harper, the grammar checker built into healthlint (the harper-py package): in process, offline.

Harper (https://github.com/Automattic/harper) is an English grammar and spelling checker
written in Rust; harper-py ships it as a self-contained wheel, so it needs no Java and no
server, and text never leaves the process. The first `Linter` of a process builds Harper's
dictionary (about a second); later ones take milliseconds. A `Linter` must not be used by
two threads at once (the engine checks files in threads), so threads borrow them from a pool.
"""
from __future__ import annotations

import contextlib
import os
import threading
from functools import lru_cache

PACKAGE = "harper-py"
# healthlint's English variants -> Harper's dialects; New Zealand and South African English
# spell as British English does
DIALECTS = {"en": "AMERICAN", "en-US": "AMERICAN", "en-GB": "BRITISH", "en-AU": "AUSTRALIAN", "en-CA": "CANADIAN",
            "en-IN": "INDIAN", "en-NZ": "BRITISH", "en-ZA": "BRITISH"}


def missing() -> str | None:
    """Why Harper cannot run here, or None."""
    try:
        import harper  # noqa: F401
    except ImportError as exc:
        return (f"Harper is not installed ({exc}); install it with 'pip install {PACKAGE}' "
                "(it comes with healthlint: reinstall healthlint if it is missing)")
    return None


def unsupported_language(language: str) -> str | None:
    if language in DIALECTS:
        return None
    return (f"Harper checks English only ({', '.join(sorted(DIALECTS))}), not {language!r}; "
            "set the grammar rule's backend to \"languagetool\" for other languages")


@lru_cache(maxsize=1)
def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as dist_version
    try:
        return dist_version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"


_rule_names: frozenset[str] | None = None
_rule_names_lock = threading.Lock()


def rule_names() -> frozenset[str]:
    """The names of Harper's rules. The first call builds Harper's dictionary, the cost of the
    first Linter (about half a second, once per process); callers meanwhile wait for it."""
    global _rule_names
    with _rule_names_lock:
        if _rule_names is None:
            import harper
            # a Linter releases the GIL while it builds; harper.get_default_lint_config() does not
            _rule_names = frozenset(harper.Linter(harper.Dialect.AMERICAN).get_default_lint_config())
    return _rule_names


def warm_up() -> None:
    """Build Harper's dictionary in a background thread (the GIL is free meanwhile), so that a
    one-file run's other rules check while it builds."""
    if _rule_names is None:
        threading.Thread(target=rule_names, name="harper-warm-up", daemon=True).start()


def unknown_rules(names) -> list[str]:
    known = rule_names()
    return [name for name in names if name not in known]


class _Pool:
    """Linters of one configuration, at most one per CPU (the GIL is released while Harper lints,
    so that many check in parallel); a thread borrows one for a call. Each keeps Harper's cache of
    spelling suggestions, the costly part of a check, so fewer, busier linters are faster."""

    def __init__(self, key, size: int):
        self.key, self.size = key, size
        self.idle: list = []
        self.made = 0
        self.ready = threading.Condition()

    @contextlib.contextmanager
    def borrow(self):
        with self.ready:
            while not self.idle and self.made >= self.size:
                self.ready.wait()
            found = self.idle.pop() if self.idle else None
            if found is None:
                self.made += 1
        if found is None:
            try:
                found = _new_linter(*self.key)
            except BaseException:
                with self.ready:
                    self.made -= 1
                    self.ready.notify()
                raise
        try:
            yield found
        finally:
            with self.ready:
                self.idle.append(found)
                self.ready.notify()


def _new_linter(language: str, disabled: tuple[str, ...], enabled: tuple[str, ...], words: frozenset[str]):
    import harper
    found = harper.Linter(getattr(harper.Dialect, DIALECTS[language]))
    config = found.get_default_lint_config()
    config.update({name: False for name in disabled})
    config.update({name: True for name in enabled})
    found.set_lint_config(config)
    if words:
        found.import_words(sorted(words))
    return found


_pool: _Pool | None = None
_pool_lock = threading.Lock()


def linter(language: str, disabled: tuple[str, ...], enabled: tuple[str, ...], words: frozenset[str]):
    """A Linter to borrow (`with linter(...) as lint:`) for the dialect, with Harper's default
    rules less `disabled` plus `enabled`, and `words` added to its dictionary."""
    global _pool
    key = (language, disabled, enabled, words)
    with _pool_lock:
        if _pool is None or _pool.key != key:   # one configuration per run: the old linters go
            _pool = _Pool(key, _cpus())
        return _pool.borrow()


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
