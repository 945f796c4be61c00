"""--diff REF / --changed-since REF: findings on changed lines, and whole-article findings for changed files."""
import json
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthlint import gitdiff
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


def _commit_then_edit(folder, name, old, new):
    (folder / name).write_bytes(old)
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "commit", "-q", "-m", "old")
    (folder / name).write_bytes(new)


@pytest.mark.parametrize("added", ["++ note", "+++ b/other.md", "--- a/a.md", "@@ -1 +1 @@", "diff --git a/x b/x",
                                   "\\ No newline at end of file", "-- list item"])
def test_added_lines_that_look_like_patch_headers_do_not_hide_later_changes(run, tmp_path, added):
    _commit_then_edit(tmp_path, "a.md", b"Intro.\n\nOld.\n", f"{added}\n\nIntro.\n\nOld.\n\nIt is a miracle cure.\n".encode())
    result = run("a.md", "--select", "HL101", "--diff", "HEAD", "-q")
    assert result.stdout == f"a.md:7:9: HL101 {MIRACLE_MSG} [absolute-claim]\n"


@pytest.mark.parametrize("removed", ["-- old note", "--- a/a.md", "++ gone"])
def test_removed_lines_that_look_like_headers_do_not_hide_later_changes(run, tmp_path, removed):
    _commit_then_edit(tmp_path, "a.md", f"{removed}\n\nIntro.\n\nOld.\n".encode(),
                      b"Intro.\n\nOld.\n\nIt is a miracle cure.\n")
    assert run("a.md", "--select", "HL101", "--diff", "HEAD", "-q").stdout == (
        f"a.md:5:9: HL101 {MIRACLE_MSG} [absolute-claim]\n")


@pytest.mark.parametrize("end", [b"\r", b"\r\n", b"\n"])
def test_changed_lines_are_found_whatever_the_line_ends(run, tmp_path, end):
    old = end.join([b"A miracle cure.", b"Calm.", b""])
    new = end.join([b"A miracle cure.", b"Calm.", b"A wonder drug.", b"Still calm.", b"Another miracle cure."])
    _commit_then_edit(tmp_path, "a.md", old, new)
    result = run("a.md", "--select", "HL101", "--diff", "HEAD", "-q", "--format", "json")
    assert [(v["line"], v["column"]) for v in json.loads(result.stdout)] == [(3, 3), (5, 9)]


def test_a_file_without_a_final_newline_keeps_its_changed_last_line(run, tmp_path):
    _commit_then_edit(tmp_path, "a.md", b"Calm.\nOld end", b"Calm.\nA miracle cure.\nNew end")
    assert run("a.md", "--select", "HL101", "--diff", "HEAD", "-q").stdout == (
        f"a.md:2:3: HL101 {MIRACLE_MSG} [absolute-claim]\n")


@pytest.mark.parametrize("ref, message", [
    ("", "--diff needs a git ref (a branch, tag or commit), not an empty string"),
    ("  ", "--diff needs a git ref (a branch, tag or commit), not an empty string"),
    ("--output=x", "--diff: '--output=x' is not a git ref (refs do not start with '-')"),
])
def test_an_empty_or_option_like_ref_is_refused(run, tmp_path, ref, message):
    _content_repo(tmp_path)
    result = run("old.md", "--diff", ref)
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"healthlint: error: {message}\n", "")


def test_diff_outside_a_git_repository_says_so(run, tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    result = run("a.md", "--diff", "HEAD", env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert result.exit_code == 2
    assert result.stderr == f"healthlint: error: --diff needs a git repository, and {tmp_path} is not inside one\n"


def test_diff_without_paths_checks_the_whole_checkout(run, tmp_path):
    _content_repo(tmp_path)
    assert run("--diff", "HEAD", "-q").stdout == run(".", "--diff", "HEAD", "-q").stdout != ""


PATCH_LIKE = st.sampled_from(["+", "-", "++ x", "+++ b/a.md", "--- a/a.md", "@@ -1 +1 @@", "diff --git a/a b/b",
                              "\\ x", "plain", "other", "", " lead"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(old=st.lists(PATCH_LIKE, max_size=8), new=st.lists(PATCH_LIKE, max_size=8))
def test_every_new_line_that_was_not_there_before_counts_as_changed(tmp_path_factory, old, new):
    folder = tmp_path_factory.mktemp("repo")
    _commit_then_edit(folder, "a.md", "\n".join(old).encode() + b"\n", "\n".join(new).encode() + b"\n")
    changes = gitdiff.changed_since("HEAD", folder)
    changed = changes.lines.get((folder / "a.md").resolve(), set())
    new = new or [""]  # the file is then one empty line
    for number, line in enumerate(new, start=1):
        if line not in (old or [""]):
            assert number in changed
    assert all(1 <= number <= len(new) for number in changed)


REQUIREMENT_PACK = """\
code: TS301
name: needs-dose
kind: requirement
summary: A dose needs a note about timing.
docs: {what: w, why: y, standard: s, bad: b, good: g}
if: [dose]
then: [with food]
message: "a dose is given without saying when to take it"
"""


def test_a_requirement_rule_is_about_the_whole_article(run, tmp_path):
    # the edit removed the `then` text on line 3: the finding sits on line 1, which did not change
    write(tmp_path / "packs" / "needs-dose.yml", REQUIREMENT_PACK)
    write(tmp_path / ".healthlint.toml", 'select = ["TS301"]\nrule-paths = ["packs"]\n')
    _commit_then_edit(tmp_path, "a.md", b"One dose a day.\n\nTake it with food.\n", b"One dose a day.\n\nTake it.\n")
    expected = "a.md:1:5: TS301 a dose is given without saying when to take it [needs-dose]\n"
    assert run("a.md", "-q").stdout == expected
    assert run("a.md", "-q", "--diff", "HEAD").stdout == expected


def test_a_requirement_rule_can_say_it_is_about_spans(run, tmp_path):
    write(tmp_path / "packs" / "needs-dose.yml", REQUIREMENT_PACK + "scope: span\n")
    write(tmp_path / ".healthlint.toml", 'select = ["TS301"]\nrule-paths = ["packs"]\n')
    _commit_then_edit(tmp_path, "a.md", b"One dose a day.\n\nTake it with food.\n", b"One dose a day.\n\nTake it.\n")
    assert run("a.md", "-q", "--diff", "HEAD").stdout == ""
