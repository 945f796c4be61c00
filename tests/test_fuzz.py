"""Fuzzing: messy Markdown, Unicode and suppression comments through every rule but grammar and
every output format. No rule may crash (HL002 counts as a crash), every position lies inside the
file, the JSON, SARIF and JUnit outputs parse, and healthlint-disable-file leaves no finding. The
checks are in tests/fuzzing.py; scripts/fuzz.py runs the same strategy for a long time and saves
what it finds in tests/data/fuzz-regressions/, replayed here."""
import pytest
from hypothesis import HealthCheck, given, settings

from fuzzing import DIRECTIVE_CLOSERS, DIRECTIVE_NAMES, DIRECTIVE_OPENERS, REGRESSIONS, articles, check, paths

# inputs that crashed a rule once (found by this test or scripts/fuzz.py): rule and fix in the comment
CASES = [
    "[^\x1b]",  # JUnit XML: ESC from the article in a message made the report unparseable and the text format sent it to the terminal (formatters._escaped)
]


@settings(max_examples=300, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=articles, path=paths)
def test_no_crash_and_positions_inside_the_file(text, path):
    check(text, path)


def test_the_fuzzed_directives_include_every_one_the_parser_reads():
    from healthlint.document import DIRECTIVE_RE
    from healthlint.suppress import DIRECTIVES
    read = {m.group(1) for name in DIRECTIVE_NAMES
            if (m := DIRECTIVE_RE.match(f"{DIRECTIVE_OPENERS[0]}{name} HL101{DIRECTIVE_CLOSERS[0]}"))}
    assert DIRECTIVES <= read
    assert read - DIRECTIVES   # and directives it does not know


@pytest.mark.parametrize("text", CASES)
@pytest.mark.parametrize("path", ["case.md", "case.txt"])
def test_regression_cases(text, path):
    check(text, path)


@pytest.mark.parametrize("saved", sorted(REGRESSIONS.glob("*.txt")), ids=lambda p: p.name)
def test_saved_fuzz_regressions(saved):
    # raw bytes decoded as the CLI would: CR and CRLF kept as written
    path = "case.txt" if saved.name.endswith(".plain.txt") else "case.md"
    check(saved.read_bytes().decode("utf-8"), path)


def test_text_and_junit_show_control_characters_escaped():
    from healthlint.formatters import Context, format_junit, format_text
    from healthlint.model import Severity, Violation
    v = Violation("a\x0cb.md", 1, 1, 1, 4, "HL111", "broken-reference", Severity.WARNING,
                  "footnote reference [^\x1b] has no matching footnote", None)
    out = format_junit([v], Context(files=["a\x0cb.md"]))
    assert 'name="a\\x0cb.md"' in out
    assert "a\\x0cb.md:1:1: HL111 footnote reference [^\\x1b] has no matching footnote [broken-reference]" in out
    assert format_text([v], Context()) == \
        "a\\x0cb.md:1:1: HL111 footnote reference [^\\x1b] has no matching footnote [broken-reference]\n"
