"""The values that flow through healthlint: severities, findings, violations, rules."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, NamedTuple

if TYPE_CHECKING:
    from healthlint.document import Document


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[str(value).upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (use error, warning or info)") from None


class CheckError(Exception):
    """Raised by a rule that could not check a document for an outside reason (a service
    that is down or timed out). The engine reports it for that file and goes on."""


class Finding(NamedTuple):
    """What a rule reports: a span in *prose* offsets (or source offsets if `in_source`).
    `severity`, when set, caps the configured severity for this one finding (a rule may
    lower it, e.g. promotional text in an article that discloses its sponsor)."""
    start: int
    end: int
    message: str
    suggestion: str | None = None
    in_source: bool = False
    severity: Severity | None = None

    @classmethod
    def about_document(cls, message: str, suggestion: str | None = None) -> "Finding":
        """A finding about the whole article (no author, too hard to read): shown at 1:1."""
        return cls(0, 0, message, suggestion, True)

    @classmethod
    def in_markup(cls, start: int, end: int, message: str, suggestion: str | None = None) -> "Finding":
        """A finding on source text that is not prose (front matter, a reference marker)."""
        return cls(start, end, message, suggestion, True)


class Violation(NamedTuple):
    """A finding placed in a file, with its final severity. Lines and columns are 1-based;
    columns count characters; end_column points just after the last character."""
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    severity: Severity
    message: str
    suggestion: str | None = None

    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass
class RuleDocs:
    """A rule's documentation; a team's pack may leave any part out (empty)."""
    what: str = ""
    why: str = ""
    standard: str = ""
    bad: str = ""
    good: str = ""

    def sections(self) -> list[tuple[str, str]]:
        """(title, text) of the parts given, in reading order."""
        parts = (("What it checks", self.what), ("Why it matters", self.why), ("Standard", self.standard),
                 ("Bad", self.bad), ("Good", self.good))
        return [(title, text) for title, text in parts if text.strip()]


@dataclass
class Rule:
    """Base class for every rule, built-in, YAML or plugin.

    A rule has a stable code ("HL101") and a readable name ("absolute-claim"), a
    default severity, options with defaults, docs, data and test cases
    ({"fail": [{"text": ..., "expect": ["line:col", ...]}], "pass": [text, ...]}); built-in
    rules get all of these from their spec (rules/<family>/<name>.yml, see healthlint/specs.py).
    Subclasses implement `check(doc, options)`, yielding `Finding`s.
    """
    code: str
    name: str
    summary: str
    severity: Severity = Severity.WARNING
    enabled: bool = True
    docs: RuleDocs | None = None
    options: dict[str, Any] = field(default_factory=dict)
    tests: dict = field(default_factory=dict)
    source: str = "built-in"
    option_choices: dict[str, tuple] = field(default_factory=dict)  # option -> allowed values
    data: dict[str, Any] = field(default_factory=dict)  # the rule's own word lists and thresholds (its spec's data)
    zones: frozenset[str] | None = None  # the document zones it reads (None: the article's own prose)
    covers: frozenset[str] = frozenset()  # names of rules whose findings inside this rule's findings are not shown
    io_bound = False  # True for rules that wait on a server: files are then linted several at once
    # the name of a rule whose settings fill the options this rule does not declare (spelling
    # runs grammar's checker, so it takes grammar's backend, language and server settings)
    options_from: ClassVar[str | None] = None
    moved_options: ClassVar[dict[str, str]] = {}  # option -> the rule it moved to, for a config that still sets it here
    document_level = False  # True for rules about the whole article (--diff keeps them for changed files)

    def check(self, doc: "Document", options: dict[str, Any]) -> Iterable[Finding]:
        raise NotImplementedError

    def check_option(self, name: str, value: Any) -> str | None:
        """Why `value` is not a valid setting for option `name` (its type is checked already), or None."""
        choices = self.option_choices.get(name)
        if choices is not None and value not in choices:
            return "must be one of " + ", ".join(map(str, choices)) + f", not {value!r}"
        default = self.options.get(name)
        if isinstance(default, (int, float)) and not isinstance(default, bool) and value < 0:
            return f"must be 0 or more, not {value!r}"
        return None

    def close(self) -> None:
        """Release what the rule holds for this run (a server); called when the run ends."""

    def start(self, options: dict[str, Any]) -> None:
        """Begin, in the background, what the first check will need (grammar: Harper's
        dictionary); called once per run before the files are linted, after any fork."""

    def notice(self, options: dict[str, Any]) -> str | None:
        """What the user should know about how this rule runs on this machine (grammar: that it
        fell back to Harper), printed once per run as a notice; None for nothing."""
        return None

    def unavailable(self, options: dict[str, Any]) -> str | None:
        """Why this rule cannot run on this machine (e.g. a missing service), or None."""
        return None
