"""The pre-commit hooks, run by the real pre-commit (`pre-commit try-repo` on this checkout).

try-repo copies this checkout's tracked files (committed or not) into a shadow repository and
builds the hooks' virtualenv from it with pip: it needs PyPI (or a pip mirror) once per run."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hltest import MIRACLE_MSG, write

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _try_repo(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), "--color", "never", "--files", *files],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def _hook_reports(stdout: str) -> list[str]:
    """The hooks' part of pre-commit's output (after its own banner and install notes)."""
    lines = stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("healthlint"))
    return lines[first:]


def test_hooks_are_declared_for_markdown_and_text():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert sorted(hooks) == ["healthlint", "healthlint-fast"]
    assert hooks["healthlint"]["entry"] == "healthlint" and hooks["healthlint"]["require_serial"] is True
    assert hooks["healthlint-fast"]["entry"] == "healthlint --grammar-backend harper"
    assert all(h["types_or"] == ["markdown", "plain-text"] and h["language"] == "python" for h in hooks.values())


def test_pre_commit_try_repo_fails_on_a_bad_article_and_passes_a_clean_one(tmp_path):
    repo, home = tmp_path / "content", tmp_path / "pre-commit-home"
    write(repo / ".healthlint.toml", 'select = ["HL0", "HL101", "HL102"]\n')
    write(repo / "articles" / "turmeric.md", "# Turmeric\n\nSome call it a miracle cure.\n")
    write(repo / "articles" / "ginger.txt", "Ginger may ease nausea for some people.\n")
    write(repo / "notes.py", "# a miracle cure\n")  # not Markdown or text: the hooks skip it
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)

    bad = _try_repo(repo, home, "articles/turmeric.md", "notes.py")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    report = ["- exit code: 1", "",
              f"articles/turmeric.md:3:16: HL101 {MIRACLE_MSG} [absolute-claim]",
              "Found 1 problem (1 warning) in 1 file checked.", ""]
    assert _hook_reports(bad.stdout) == [
        "healthlint...............................................................Failed",
        "- hook id: healthlint", *report,
        "healthlint (grammar by Harper)...........................................Failed",
        "- hook id: healthlint-fast", *report]

    good = _try_repo(repo, home, "articles/ginger.txt", "notes.py")
    assert good.returncode == 0, good.stdout + good.stderr
    assert _hook_reports(good.stdout) == [
        "healthlint...............................................................Passed",
        "healthlint (grammar by Harper)...........................................Passed"]


def _readme_snippet() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"```yaml\n(repos:\n.*?)```", readme, re.S).group(1)


def test_the_readme_pins_this_release_and_a_tag_of_it_is_that_release():
    from healthlint import __version__
    rev = yaml.safe_load(_readme_snippet())["repos"][0]["rev"]
    assert rev == f"v{__version__}"
    assert re.search(rf"^## {re.escape(__version__)} - \d{{4}}-\d{{2}}-\d{{2}}$",
                     (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no tags to check")
    tagged = subprocess.run(["git", "show", f"refs/tags/{rev}:healthlint/__init__.py"], cwd=ROOT,
                            capture_output=True, text=True)
    if tagged.returncode == 0:  # a clone without tags is checked by the install test below
        assert f'__version__ = "{__version__}"' in tagged.stdout, f"tag {rev} is not the {__version__} release"


def _release_clone(tmp_path: Path, rev: str) -> Path:
    """This checkout as a published repository: a clone whose tag `rev` is the release commit. Tags do
    not always travel with a checkout (CI's does not carry them), so the clone tags HEAD when the tag is
    missing; the first test checks that HEAD is the release the README pins."""
    clone = tmp_path / "healthlint-release"
    subprocess.run(["git", "clone", "-q", "--no-local", str(ROOT), str(clone)], check=True)
    has_tag = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/tags/{rev}"], cwd=clone,
                             capture_output=True).returncode == 0
    if not has_tag:
        subprocess.run(["git", "-c", "user.name=release", "-c", "user.email=release@example.org",
                        "tag", rev], cwd=clone, check=True)
    return clone


def test_the_readme_snippet_installs_the_hook_from_the_tag(tmp_path):
    """The snippet as pasted, with a release of this checkout as the repository: pre-commit installs
    the tagged release and its hook fails a commit with a miracle cure."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no tags to install from")
    repo, home = tmp_path / "content", tmp_path / "pre-commit-home"
    config = yaml.safe_load(_readme_snippet())
    config["repos"][0]["repo"] = str(_release_clone(tmp_path, config["repos"][0]["rev"]))
    write(repo / ".pre-commit-config.yaml", yaml.safe_dump(config))
    write(repo / ".healthlint.toml", 'select = ["HL0", "HL101"]\n')
    write(repo / "articles" / "turmeric.md", "# Turmeric\n\nSome call it a miracle cure.\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run([*PRE_COMMIT, "run", "--all-files", "--color", "never"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"articles/turmeric.md:3:16: HL101 {MIRACLE_MSG} [absolute-claim]" in done.stdout.splitlines()
