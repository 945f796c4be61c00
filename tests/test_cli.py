"""The command line: output, formats, exit codes, file discovery, bad input."""
import hashlib
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hltest import MIRACLE_MSG, write

from healthlint import cli


def test_one_line_per_problem_then_summary(run, tmp_path):
    write(tmp_path / "articles" / "turmeric.md", "# Turmeric\n\nSome call it a miracle cure.\n")
    result = run("articles/turmeric.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"articles/turmeric.md:3:16: HL101 {MIRACLE_MSG} [absolute-claim]",
        "Found 1 problem (1 warning) in 1 file checked.",
    ]
    assert result.stderr == ""


def test_output_is_sorted_by_file_line_and_column(run, tmp_path):
    write(tmp_path / "b.md", "A wonder drug.\n")
    write(tmp_path / "a.md", "Line one.\n\nIt is 100% safe and a miracle cure.\n\nGuaranteed.\n")
    result = run("b.md", "a.md", "--quiet")
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.stdout.splitlines()] == [
        "a.md:3:7: HL101", "a.md:3:23: HL101", "a.md:5:1: HL101", "b.md:1:3: HL101"]


def test_json_has_exactly_the_documented_keys(run, tmp_path):
    write(tmp_path / "a.md", "Café: a miracle cure.\n\nA revolutionary pill.\n")
    result = run("a.md", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == [
        {"path": "a.md", "line": 1, "column": 9, "end_line": 1, "end_column": 21, "code": "HL101",
         "rule": "absolute-claim", "severity": "warning", "message": MIRACLE_MSG, "suggestion": None},
        {"path": "a.md", "line": 3, "column": 3, "end_line": 3, "end_column": 16, "code": "HL102",
         "rule": "hype-word", "severity": "info",
         "message": '"revolutionary" is hype; say what is new and how large the benefit is', "suggestion": None},
    ]


def test_json_of_a_clean_file_is_an_empty_array(run, tmp_path):
    write(tmp_path / "a.md", "Walk every day.\n")
    result = run("a.md", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


@pytest.mark.parametrize("fail_on,text,code", [
    (None, "A revolutionary pill.", 0),            # info only: below the default "warning"
    ("info", "A revolutionary pill.", 1),
    (None, "A miracle cure.", 1),
    ("error", "A miracle cure.", 0),
    ("never", "A miracle cure.", 0),
    (None, "Walk every day.", 0),
])
def test_fail_on_sets_the_exit_code(run, tmp_path, fail_on, text, code):
    write(tmp_path / "a.md", text)
    args = ["a.md"] + (["--fail-on", fail_on] if fail_on else [])
    assert run(*args).exit_code == code


def test_fail_on_from_config(run, tmp_path):
    write(tmp_path / ".healthlint.toml", 'fail-on = "error"\n')
    write(tmp_path / "a.md", "A miracle cure.")
    assert run("a.md").exit_code == 0


def test_quiet_and_statistics(run, tmp_path):
    write(tmp_path / "a.md", "A miracle cure. A wonder drug. A revolutionary pill.\n")
    quiet = run("a.md", "-q")
    assert len(quiet.stdout.splitlines()) == 3
    stats = run("a.md", "--statistics")
    assert stats.stdout.splitlines() == [
        "count  code    name                       severity suggestion",
        "    2  HL101   absolute-claim             warning",
        "    1  HL102   hype-word                  info",
        "Found 3 problems (2 warnings, 1 info) in 1 file checked.",
    ]
    assert stats.exit_code == 1
    write(tmp_path / "b.md", "We utilize the pill. We utilize it daily.\n")
    with_fix = run("b.md", "--statistics", "--select", "plain-language").stdout.splitlines()
    assert with_fix[:2] == ["count  code    name                       severity suggestion",
                            "    2  HL310   plain-language             warning  yes"]


def test_colour_only_when_asked_or_on_a_terminal(run, tmp_path, monkeypatch):
    write(tmp_path / "a.md", "A miracle cure.")
    assert "\x1b[" not in run("a.md").stdout
    assert "\x1b[" in run("a.md", "--color", "always").stdout
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert cli._use_color("auto") is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._use_color("auto") is False
    assert cli._use_color("always") is True


def test_stdin_with_a_name(run):
    result = run("-", "--stdin-filename", "drafts/new.md", input="# Draft\n\nA miracle cure!\n")
    assert result.stdout.splitlines()[0] == f"drafts/new.md:3:3: HL101 {MIRACLE_MSG} [absolute-claim]"


def test_directories_are_searched_for_articles(run, tmp_path):
    for name in ["a.md", "b.markdown", "c.txt", "sub/d.md", "skip.html", ".hidden/e.md",
                 "node_modules/pkg/f.md", "build/g.md"]:
        write(tmp_path / "site" / name, "A miracle cure.\n")
    write(tmp_path / "site" / ".gitignore", "build/\n")
    subprocess.run(["git", "init", "-q", str(tmp_path / "site")], check=True)
    result = run("site", "-q")
    paths = [line.split(":")[0] for line in result.stdout.splitlines()]
    assert paths == ["site/a.md", "site/b.markdown", "site/c.txt", "site/sub/d.md"]


def test_include_and_exclude_globs(run, tmp_path):
    write(tmp_path / ".healthlint.toml", 'select = ["HL101"]\ninclude = ["*.md", "*.mdx"]\n'
                                         'exclude = ["archive", "drafts/old-*.md"]\n')
    for name in ["a.md", "b.mdx", "c.txt", "archive/x.md", "drafts/old-1.md", "drafts/new.md"]:
        write(tmp_path / name, "A miracle cure.\n")
    result = run(".", "-q")
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["a.md", "b.mdx", "drafts/new.md"]


def test_include_globs_with_a_folder_match_the_path_from_the_config(run, tmp_path):
    write(tmp_path / ".healthlint.toml", 'select = ["HL101"]\ninclude = ["articles/**/*.md", "*.txt"]\n')
    for name in ["README.md", "notes/plan.md", "articles/a.md", "articles/2026/b.md", "articles/c.png",
                 "notes/d.txt"]:
        write(tmp_path / name, "A miracle cure.\n")
    result = run(".", "-q")
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "articles/2026/b.md", "articles/a.md", "notes/d.txt"]
    inside = run("articles", "-q")   # a folder below the config: paths still count from the config's folder
    assert [line.split(":")[0] for line in inside.stdout.splitlines()] == ["articles/2026/b.md", "articles/a.md"]


def test_missing_path_is_reported_and_the_rest_is_linted(run, tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    result = run("a.md", "nope.md")
    assert result.exit_code == 2
    assert result.stderr == "healthlint: error: nope.md: no such file or directory\n"
    assert result.stdout.startswith("a.md:1:3: HL101")


def test_folder_without_articles(run, tmp_path):
    write(tmp_path / "empty" / "notes.html", "<p>hi</p>")
    result = run("empty")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "healthlint: warning: empty: no files to lint (looked for *.md, *.markdown, *.txt)",
        "healthlint: error: no input could be read",
    ]


def test_no_paths_is_a_usage_error(run):
    result = run()
    assert (result.exit_code, result.stderr) == (2, "healthlint: error: no paths given (try: healthlint .)\n")


@pytest.mark.parametrize("data,expected", [
    (b"PK\x03\x04\x00\x00binary", "bin.md:1:1: HL001 file looks binary (it contains NUL bytes); not checked"),
    (b"# Title\n\ncaf\xe9 au lait\n", "bin.md:3:4: HL001 not valid UTF-8 (byte 0xe9); save the file as UTF-8 to check it"),
    ("\ufeffhi".encode("utf-16"), "bin.md:1:1: HL001 file is UTF-16 text; save it as UTF-8 to check it"),
])
def test_unreadable_files_are_errors_and_the_rest_is_linted(run, tmp_path, data, expected):
    (tmp_path / "bin.md").write_bytes(data)
    write(tmp_path / "good.md", "A miracle cure.\n")
    result = run("bin.md", "good.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        expected + " [unreadable-file]",
        f"good.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]",
        "Found 2 problems (1 error, 1 warning) in 1 file checked, 1 could not be fully checked.",
    ]


def test_unreadable_file_fails_even_with_fail_on_never(run, tmp_path):
    (tmp_path / "bin.md").write_bytes(b"\x00\x01")
    write(tmp_path / "good.md", "Fine.\n")
    assert run("bin.md", "good.md", "--fail-on", "never").exit_code == 1


def test_size_limit(run, tmp_path):
    write(tmp_path / ".healthlint.toml", 'max-file-size = "1KB"\n')
    write(tmp_path / "big.md", "word " * 400)
    result = run("big.md", "-q")
    assert result.stdout == ("big.md:1:1: HL001 file is 0.0 MB, over the 0.0 MB limit (max-file-size); "
                             "not checked [unreadable-file]\n")


def test_empty_file_is_info(run, tmp_path):
    write(tmp_path / "empty.md", "")
    result = run("empty.md")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "empty.md:1:1: HL004 file is empty or has no prose; nothing was checked [empty-file]")


def test_byte_order_mark_and_crlf_keep_columns(run, tmp_path):
    (tmp_path / "a.md").write_bytes("\ufeff# T\r\n\r\nIt’s a miracle cure.\r\n".encode("utf-8"))
    assert run("a.md", "-q").stdout.startswith("a.md:3:8: HL101")


def test_never_writes_to_linted_files(run, tmp_path):
    files = [write(tmp_path / "a.md", "A miracle cure.\n"), write(tmp_path / "b.txt", "Guaranteed results.\n")]
    before = [(hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in files]
    run(".", "--format", "json")
    assert [(hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in files] == before


def test_list_rules(run):
    result = run("--list-rules")
    assert result.exit_code == 0
    assert ("HL101   absolute-claim             warning  on   Absolute promises (miracle cures, guarantees, "
            '"no side effects") that no health treatment can keep.') in result.stdout.splitlines()


def test_list_rules_shows_config_state(run, tmp_path):
    write(tmp_path / ".healthlint.toml", 'ignore = ["hype-word"]\n[rules.HL101]\nseverity = "error"\n')
    lines = run("--list-rules").stdout.splitlines()
    assert any(line.startswith("HL101   absolute-claim             error    on") for line in lines)
    assert any(line.startswith("HL102   hype-word                  info     off") for line in lines)


@pytest.mark.parametrize("name", ["HL101", "absolute-claim", "hl101"])
def test_explain(run, name):
    result = run("--explain", name)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("HL101 absolute-claim (warning, on; from built-in)\n")
    for heading in ("What it checks:", "Why it matters:", "Standard:", "Bad:", "Good:",
                    "Options ([rules.absolute-claim] in .healthlint.toml, [tool.healthlint.rules.absolute-claim] in "
                    "pyproject.toml):", "  skip-negated = true"):
        assert heading in out.splitlines()


def test_explain_unknown_rule(run):
    result = run("--explain", "HL999")
    assert (result.exit_code, result.stderr) == (2, "healthlint: error: unknown rule 'HL999' (see healthlint --list-rules)\n")


def test_help_documents_exit_codes():
    result = CliRunner().invoke(cli.main, ["--help"])
    assert "Exit codes:" in result.stdout
    for code in ("0  no findings", "1  findings at or above --fail-on", "2  usage or configuration error"):
        assert code in result.stdout


def test_runs_as_a_real_process(tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    done = subprocess.run([sys.executable, "-m", "healthlint", "a.md", "--select", "HL101"], cwd=tmp_path,
                          capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == f"a.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]"


def test_explain_keeps_multi_line_examples(run):
    lines = run("--explain", "HL205").stdout.splitlines()
    bad = lines.index("Bad:")
    assert lines[bad + 1:bad + 4] == ["  ---", "  last_reviewed: 2015-02-01", "  ---"]


def test_stdin_named_twice_is_read_once(run):
    result = run("-", "-", input="A miracle cure.\n")
    assert result.stdout.splitlines() == [f"-:1:3: HL101 {MIRACLE_MSG} [absolute-claim]",
                                          "Found 1 problem (1 warning) in 1 file checked."]


def test_a_symlinked_copy_is_reported_under_the_real_path(run, tmp_path):
    write(tmp_path / "d" / "real.md", "A miracle cure.\n")
    (tmp_path / "d" / "a-link.md").symlink_to("real.md")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")  # a folder loop is not followed
    assert [line.split(":")[0] for line in run("d", "-q").stdout.splitlines()] == ["d/real.md"]


def test_run_returns_the_exit_code(tmp_path, monkeypatch):
    import signal
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.md", "A miracle cure.\n")
    before = signal.getsignal(signal.SIGTERM)
    assert cli.run(["a.md"], select=["HL101"], quiet=True) == 1
    assert cli.run(["a.md"], select=["HL101"], fail_on="never") == 0
    assert cli.run([]) == 2
    assert signal.getsignal(signal.SIGTERM) is before  # the handler for a stop while linting is removed after


def test_word_lists_and_rule_packs_are_settings_not_articles(run, tmp_path):
    write(tmp_path / "style" / "words.txt", "Okafor\norforglipron\n")
    write(tmp_path / "notes" / "terms.txt", "A miracle cure.\n")
    write(tmp_path / ".healthlint.toml", 'select = ["HL0", "HL101", "HL203"]\n'
          '[rules.spelling]\nword-list-files = ["style/words.txt"]\n')
    write(tmp_path / "a.md", "---\nauthor: Dr Ana Lee\n---\nA miracle cure.\n")
    found = run(".", "--format", "json")
    assert sorted({f["path"] for f in json.loads(found.stdout)}) == ["a.md", "notes/terms.txt"]
    named = run("style/words.txt")
    assert "style/words.txt is a word list of this configuration; not linted" in named.stderr
    assert named.exit_code == 2   # nothing was read
