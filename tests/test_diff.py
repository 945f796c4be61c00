"""--diff REF / --changed-since REF: findings on changed lines, and whole-article findings for changed files."""
import json
import subprocess

from hltest import MIRACLE_MSG, write

AUTHOR_MSG = ('no author or medical reviewer is named; add "author:" (and "medical_reviewer:") to the front '
              'matter, or a visible "By ..." line with their name and role')
HYPE_MSG = '"revolutionary" is hype; say what is new and how large the benefit is'
GUARANTEE_MSG = '"Guaranteed results" is a guarantee no treatment can give; describe the likely results and their limits'


def _git(folder, *args):
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=folder, check=True,
                   capture_output=True)


def _content_repo(tmp_path):
    """Two old articles with old problems, committed; then one is edited and one is added."""
    write(tmp_path / ".healthlint.toml", 'select = ["HL0", "HL101", "HL102", "HL203"]\n')  # HL203: whole-article
    write(tmp_path / "old.md", "A miracle cure.\n\nCalm words.\n")
    write(tmp_path / "changed é.md", "A miracle cure.\n\nCalm words.\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "old articles")
    write(tmp_path / "changed é.md", "A miracle cure.\n\nA revolutionary pill.\n")
    write(tmp_path / "new.md", "Guaranteed results.\n")


def test_only_changed_lines_and_whole_article_findings_of_changed_files(run, tmp_path):
    _content_repo(tmp_path)
    for option in ("--diff", "--changed-since"):
        result = run(".", option, "HEAD")
        assert result.exit_code == 1
        assert result.stdout.splitlines() == [
            f"changed é.md:1:1: HL203 {AUTHOR_MSG} [missing-author]",   # the old line 1 problem is not shown
            f"changed é.md:3:3: HL102 {HYPE_MSG} [hype-word]",
            f"new.md:1:1: HL101 {GUARANTEE_MSG} [absolute-claim]",     # untracked: every line is new
            f"new.md:1:1: HL203 {AUTHOR_MSG} [missing-author]",
            "Found 4 problems (1 warning, 3 infos) in 2 files checked.",
        ]


def test_committed_changes_count_since_an_older_ref(run, tmp_path):
    _content_repo(tmp_path)
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "edit")
    write(tmp_path / "old.md", "Tweaked. A miracle cure.\n\nCalm words.\n")
    result = run("old.md", "new.md", "--diff", "HEAD~1", "--format", "json")
    assert [(r["path"], r["line"], r["code"]) for r in json.loads(result.stdout)] == [
        ("new.md", 1, "HL101"), ("new.md", 1, "HL203"), ("old.md", 1, "HL203"), ("old.md", 1, "HL101")]
    assert run("old.md", "new.md", "--diff", "HEAD", "--quiet").stdout.splitlines() == [
        f"old.md:1:1: HL203 {AUTHOR_MSG} [missing-author]", f"old.md:1:12: HL101 {MIRACLE_MSG} [absolute-claim]"]


def test_no_changed_file_is_a_clean_run(run, tmp_path):
    _content_repo(tmp_path)
    result = run("old.md", "--diff", "HEAD")
    assert (result.exit_code, result.stdout) == (0, "No problems found (0 files checked).\n")


def test_a_bad_ref_or_no_git_repository_is_a_usage_error(run, tmp_path):
    _content_repo(tmp_path)
    result = run("old.md", "--diff", "no-such-branch")
    assert (result.exit_code, result.stderr) == (
        2, "healthlint: error: --diff: 'no-such-branch' is not a commit in this git repository\n")
