"""The example articles get exactly the findings written down for them.

tests/data/examples-expected.txt was checked by hand, finding by finding, against the
articles: each line is a real problem at the right line and column, and the balanced
article (statins-balanced.md) has none. Update it only after reading every change.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_examples_get_the_expected_findings():
    expected = (ROOT / "tests" / "data" / "examples-expected.txt").read_text(encoding="utf-8")
    # the repository's .healthlint.toml leaves out examples/plugin; grammar is tested in test_grammar.py
    done = subprocess.run([sys.executable, "-m", "healthlint", "examples/", "--ignore", "grammar", "-q"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.stdout == expected
    assert done.returncode == 1


def test_balanced_article_is_clean():
    done = subprocess.run([sys.executable, "-m", "healthlint", "examples/statins-balanced.md", "--isolated",
                           "--preset", "strict", "--ignore", "grammar", "--fail-on", "info"], cwd=ROOT,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "No problems found (1 file checked).\n")
