"""The bad-input matrix: each case states the exact message and exit code.

Already covered elsewhere (not repeated here):
- binary file, UTF-16 with BOM, Latin-1 bytes: test_cli.py::test_unreadable_files_are_errors_and_the_rest_is_linted
- empty file: test_cli.py::test_empty_file_is_info; size limit from config: test_cli.py::test_size_limit
- missing path: test_cli.py::test_missing_path_is_reported_and_the_rest_is_linted
- folder without matching files: test_cli.py::test_folder_without_articles
- config not valid TOML, wrong type, unknown rule, unknown key:
  test_config.py::test_broken_config_exits_2_naming_file_and_key
- malformed YAML pack, pattern that does not compile: test_config.py::test_broken_rule_pack_exits_2_with_file_and_line
- plugin raising on import / on a document: test_plugins.py::test_plugin_that_fails_to_import, ::test_rule_that_crashes
"""
import os
import time

import pytest

from healthlint import files, packs
from hltest import MIRACLE_MSG, write

def test_five_megabyte_single_line_is_checked(run, tmp_path):
    # one 4,992,021-byte sentence, under the 5 MB limit (a line of many sentences is slower: see the README)
    line = "rest helps, " * 416_000 + "It is a miracle cure."
    write(tmp_path / "long.md", line + "\n")
    started = time.monotonic()
    result = run("long.md")
    assert time.monotonic() - started < 60
    assert (result.exit_code, result.stdout) == (1, f"long.md:1:4992009: HL101 {MIRACLE_MSG} [absolute-claim]\n"
                                                    "Found 1 problem (1 warning) in 1 file checked.\n")


def test_fifty_megabyte_file_is_over_the_size_limit(run, tmp_path):
    with open(tmp_path / "huge.md", "wb") as fh:   # sparse: the size is checked before reading
        fh.truncate(50 * 1024 * 1024)
    write(tmp_path / "good.md", "Fine.\n")
    result = run("huge.md", "good.md")
    assert (result.exit_code, result.stdout) == (1, (
        "huge.md:1:1: HL001 file is 50.0 MB, over the 5.0 MB limit (max-file-size); not checked [unreadable-file]\n"
        "Found 1 problem (1 error) in 1 file checked, 1 could not be fully checked.\n"))


def test_symlink_loop_named_on_the_command_line(run, tmp_path):
    os.symlink("loop.md", tmp_path / "loop.md")
    result = run("loop.md")
    assert (result.exit_code, result.stderr) == (
        2, "healthlint: error: loop.md: broken symbolic link (a loop, or its target does not exist)\n")


def test_symlink_loop_inside_a_folder_is_skipped(run, tmp_path):
    # this crashed with RuntimeError: Symlink loop (Path.resolve) before the file was skipped
    (tmp_path / "docs").mkdir()
    os.symlink("x.md", tmp_path / "docs" / "x.md")
    write(tmp_path / "docs" / "a.md", "A miracle cure.\n")
    result = run("docs")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == f"docs/a.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]"


def test_fifo_is_not_read(run, tmp_path):
    # unreadable even for root (tests run as root, so chmod 000 is below): a FIFO without a
    # writer used to block the run forever
    os.mkfifo(tmp_path / "pipe.md")
    write(tmp_path / "good.md", "Fine.\n")
    result = run("pipe.md", "good.md")
    assert (result.exit_code, result.stdout) == (1, (
        "pipe.md:1:1: HL001 not a regular file (a pipe, socket or device); not checked; use '-' to read a pipe "
        "[unreadable-file]\n"
        "Found 1 problem (1 error) in 1 file checked, 1 could not be fully checked.\n"))


def test_unreadable_file(run, tmp_path):
    path = write(tmp_path / "secret.md", "A miracle cure.\n")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: chmod 000 does not stop root (see test_fifo_is_not_read)")
    result = run("secret.md")
    assert (result.exit_code, result.stdout) == (2, (
        "secret.md:1:1: HL001 cannot read file: Permission denied [unreadable-file]\n"
        "Found 1 problem (1 error) in 0 files checked, 1 could not be fully checked.\n"))


def test_file_deleted_while_the_run_is_in_progress(run, tmp_path, monkeypatch):
    write(tmp_path / "a.md", "A miracle cure.\n")
    write(tmp_path / "b.md", "Fine.\n")
    discover = files.discover

    def discover_then_delete(*args, **kwargs):   # found, then gone before it is read
        found = discover(*args, **kwargs)
        (tmp_path / "a.md").unlink()
        return found
    monkeypatch.setattr(files, "discover", discover_then_delete)
    result = run("a.md", "b.md")
    assert (result.exit_code, result.stdout) == (1, (
        "a.md:1:1: HL001 file disappeared before it could be read [unreadable-file]\n"
        "Found 1 problem (1 error) in 1 file checked, 1 could not be fully checked.\n"))


SLOW_PACK = """\
code: ST901
name: slow-pattern
kind: existence
summary: A pattern that backtracks catastrophically.
docs: {what: w, why: y, standard: s, bad: b, good: g}
cues:
  - message: "repeated a: {match}"
    patterns: ['(a|aa)+$']
"""


def test_catastrophic_pattern_in_a_user_pack_is_stopped(run, tmp_path):
    # (a|aa)+$ on 60 a's and a "!" takes Python's re days (0.4 s at 30, x1.6 per extra a); a user's pack
    # runs under the regex module's time limit instead (packs.PATTERN_TIMEOUT)
    if not os.environ.get("CI"):  # in CI a missing regex package fails this test
        pytest.importorskip("regex", reason="the time limit needs the regex package")
    write(tmp_path / "style" / "slow.yml", SLOW_PACK)
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["HL0", "HL101", "ST901"]\n')
    write(tmp_path / "a.md", "Turmeric is a miracle cure: " + "a" * 60 + "!\n")
    started = time.monotonic()
    result = run("a.md")
    assert time.monotonic() - started < packs.PATTERN_TIMEOUT + 5
    assert (result.exit_code, result.stdout) == (1, (
        "a.md:1:1: HL002 rule ST901 slow-pattern could not check this file: its patterns were stopped after 2 s; "
        "rewrite patterns that can backtrack catastrophically, such as (a+)+ or (a|aa)* [rule-crashed]\n"
        f"a.md:1:15: HL101 {MIRACLE_MSG} [absolute-claim]\n"
        "Found 2 problems (1 error, 1 warning) in 1 file checked, 1 could not be fully checked.\n"))


def test_a_pattern_that_matches_fast_is_not_limited(run, tmp_path):
    write(tmp_path / "style" / "fast.yml", SLOW_PACK.replace("(a|aa)+$", "a{3}!"))
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["ST901"]\n')
    write(tmp_path / "a.md", "Say " + "a" * 60 + "!\n")
    assert run("a.md", "-q").stdout == "a.md:1:62: ST901 repeated a: aaa! [slow-pattern]\n"
