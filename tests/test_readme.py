"""The README stays true: its rule table and its commands."""
import re
from pathlib import Path

from healthlint.registry import build_registry
from healthlint.ruledocs import update_readme

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_is_up_to_date():
    rules = build_registry(entry_points=[]).rules
    assert update_readme(README, rules) == README, "run: python -m healthlint.ruledocs README.md"


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"^# 2\. set up .* run the tests\n(.+)$", README, re.M)
    assert len(commands) == 1
    assert commands[0] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_documents_every_config_key():
    from healthlint.config import KEYS
    for key in KEYS:
        assert re.search(rf"^{re.escape(key)} = |^\[tool\.healthlint\.{re.escape(key)}", README, re.M), key


def test_readme_sample_output_is_real_output():
    import subprocess
    import sys
    sample = re.search(r"```console\n\$ healthlint examples/\n(.*?)```", README, re.S).group(1).splitlines()
    # as on a fresh machine: no LanguageTool installed
    done = subprocess.run([sys.executable, "-m", "healthlint", "examples/"], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "HEALTHLINT_LANGUAGETOOL_HOME": "/nonexistent"})
    actual = done.stderr.splitlines() + done.stdout.splitlines()
    shown = [line for line in sample if line != "..."]
    assert len(shown) > 5
    assert [line for line in actual if line in shown] == shown
