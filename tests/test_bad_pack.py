"""A team's rule pack that would load and then misbehave on every file is refused when it
loads, with the file, the line and what to change (exit 2, nothing linted)."""
import pytest

from hltest import write

HEAD = """code: ST901
name: house-rule
kind: existence
summary: A house rule.
docs: {what: w, why: y, standard: s, bad: b, good: g}
"""


def _pack(run, tmp_path, body):
    write(tmp_path / "style" / "rule.yml", HEAD + body)
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["ST901"]\n')
    write(tmp_path / "a.md", "A miracle here and there.\n")
    return run("a.md")


@pytest.mark.parametrize("body, line, problem", [
    ("cues:\n  - message: 'x'\n    patterns: ['\\b(\\w+) \\1\\b']\n", 8, "has a back-reference"),
    ("cues:\n  - message: 'x'\n    patterns: ['(?P<c1>miracle)']\n", 8, "has a named group"),
    ("cues:\n  - message: 'x'\n    patterns: ['x*']\n", 8, "matches empty text"),
    ("cues:\n  - message: 'x'\n    patterns: ['(?:)']\n", 8, "matches empty text"),
    ("cues:\n  - message: 'x'\n    phrases: ['-']\n", 8, "has no letter or digit"),
    ("cues:\n  - message: 'x'\n    phrases: ['  ', miracle]\n", 8, "must be a list of non-empty strings"),
    ("cues:\n  - message: '{match.__class__.__mro__}'\n    phrases: [miracle]\n", 7,
     "message template has {match.__class__.__mro__}"),
    ("cues:\n  - message: '{match:>30000000}'\n    phrases: [miracle]\n", 7, "message template has {match:>30000000}"),
    ("cues:\n  - message: '{match!r}'\n    phrases: [miracle]\n", 7, "message template has {match!r}"),
    ("cues:\n  - message: '{other}'\n    phrases: [miracle]\n", 7, "message template has {other}"),
    ("cues:\n  - message: 'a { b'\n    phrases: [miracle]\n", 7, "message template is broken"),
    ("cues:\n  - message: 'x'\n    phrases: [miracle]\n    suggestion: {a: 1}\n", 9, "a suggestion must be a string"),
    ("cues:\n  - message: 'x'\n    phrases: [miracle]\n    unless-cited-trial: 'yes'\n", 9,
     "unless-cited-trial must be true or false"),
    ("enabled: 'false'\ncues:\n  - {message: x, phrases: [miracle]}\n", 6, "enabled must be true or false"),
    ("cues:\n  - {message: 5, phrases: [miracle]}\n", 7, "each cue needs phrases or patterns and a message"),
    ("covers: Long Sentence\ncues:\n  - {message: x, phrases: [miracle]}\n", 6, "covers must be a list of rule names"),
])
def test_a_pack_that_would_misbehave_is_refused_at_load(run, tmp_path, body, line, problem):
    result = _pack(run, tmp_path, body)
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith(f"healthlint: error: {tmp_path / 'style' / 'rule.yml'}:{line}: ")
    assert problem in result.stderr


def test_a_swap_key_without_a_word_is_refused(run, tmp_path):
    write(tmp_path / "style" / "rule.yml", HEAD.replace("existence", "substitution") + "swap: {'': x, '-': y}\n")
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\n')
    write(tmp_path / "a.md", "Text.\n")
    result = run("a.md")
    assert result.exit_code == 2
    assert "substitution needs a 'swap' mapping of phrase: suggestion" in result.stderr


def test_a_requirement_message_may_name_the_suggestion(run, tmp_path):
    write(tmp_path / "style" / "rule.yml", HEAD.replace("existence", "requirement")
          + "if: [miracle]\nthen: [evidence]\nmessage: '{match} needs evidence{suggestion}'\n")
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["ST901"]\n')
    write(tmp_path / "a.md", "A miracle here.\n")
    assert run("a.md", "-q").stdout == "a.md:1:3: ST901 miracle needs evidence [house-rule]\n"


def test_a_pack_that_covers_another_hides_its_findings_inside_its_own(run, tmp_path):
    """A team's rule can cover another (`covers`): inside its findings the other stays silent."""
    write(tmp_path / "style" / "wide.yml", HEAD.replace("ST901", "ST902").replace("house-rule", "wide-rule")
          + "covers: [house-rule]\ncues:\n  - {message: wide, patterns: ['miracle here']}\n")
    write(tmp_path / "style" / "rule.yml", HEAD + "cues:\n  - {message: narrow, phrases: [miracle]}\n")
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["ST901", "ST902"]\n')
    write(tmp_path / "a.md", "A miracle here.\n\nA miracle there.\n")
    result = run("a.md", "--format", "json")
    import json
    found = sorted((f["line"], f["column"], f["code"]) for f in json.loads(result.stdout))
    assert found == [(1, 3, "ST902"), (3, 3, "ST901")]


def test_a_pack_needs_no_docs_and_may_give_some_of_them(run, tmp_path):
    head = HEAD.replace("docs: {what: w, why: y, standard: s, bad: b, good: g}\n", "")
    write(tmp_path / "style" / "rule.yml", head + "cues:\n  - {message: no miracles, phrases: [miracle]}\n")
    write(tmp_path / "style" / "other.yml", head.replace("ST901", "ST902").replace("house-rule", "other-rule")
          + "docs: {why: Readers trust plain words.}\ncues:\n  - {message: plain words, phrases: [utilize]}\n")
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["ST9"]\n')
    write(tmp_path / "a.md", "A miracle. We utilize it.\n")
    result = run("a.md")
    assert result.exit_code == 1, result.stderr
    assert [line.split(" ")[1] for line in result.stdout.splitlines()[:2]] == ["ST901", "ST902"]
    explained = run("--explain", "ST902")
    assert "Why it matters:\n  Readers trust plain words." in explained.stdout
    assert "What it checks" not in explained.stdout and "Bad:" not in explained.stdout


def test_unknown_docs_keys_are_refused(run, tmp_path):
    write(tmp_path / "style" / "rule.yml", HEAD.replace("good: g}", "good: g, examples: e}")
          + "cues:\n  - {message: x, phrases: [miracle]}\n")
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\n')
    write(tmp_path / "a.md", "Text.\n")
    result = run("a.md")
    assert result.exit_code == 2
    assert "docs may have what, why, standard, bad and good" in result.stderr
