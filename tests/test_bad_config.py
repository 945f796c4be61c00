"""Hostile and broken configuration (the red-team campaign of the hardening issue): every case
is an exact `healthlint: error: FILE: ...` naming the key, exit 2, never a traceback, or it is
handled correctly. Generated variations check the causes, not just the reported inputs."""
import atexit
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from hltest import write
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from healthlint.config import (
    KEYS,
    MAX_FILE_SIZE,
    MAX_NUMBER,
    PRESETS,
    Config,
    ConfigError,
    load_config,
    printable,
    resolve,
    shown,
)
from healthlint.files import _Glob, discover, glob_match

ARTICLE = "# Hope\n\nThen came a miracle cure.\n\nA revolutionary pill.\n"
SETTINGS = settings(max_examples=200, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
SCRATCH = Path(tempfile.mkdtemp(prefix="healthlint-bad-config-"))   # one file rewritten per example
atexit.register(shutil.rmtree, SCRATCH, True)


def codes(result):
    return [line.split(" ")[1] for line in result.stdout.splitlines() if ": HL" in line]


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (every character TOML does not allow raw is escaped)."""
    def char(c):
        if c in '"\\' or not c.isprintable() or c == "\x7f":
            return f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
        return c
    return '"' + "".join(map(char, text)) + '"'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else "inf" if value == math.inf else "-inf" if value == -math.inf \
            else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
scalars = st.booleans() | st.integers() | st.floats() | texts
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=2),
                      max_leaves=6)
not_tables = values.filter(lambda v: not isinstance(v, dict))


def config_error(name: str, text: str) -> str:
    """The ConfigError message for a config file `name` holding `text` (or "" when it loads)."""
    path = SCRATCH / name
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as exc:
        return str(exc)
    return ""


# --- the campaign's cases, through the command line ------------------------------------------

@pytest.mark.parametrize("toml,message", [
    ("# [tool.healthlint]\ntool = 5\n", "'tool' must be a table, not 5"),
    ('# [tool.healthlint]\ntool = {healthlint="x"}\n', "'tool.healthlint' must be a table, not 'x'"),
    ("# [tool.healthlint]\n[[tool.healthlint]]\n", "'tool.healthlint' must be a table, not [{}]"),
    ("[tool]\nhealthlint = [1, 2]\n", "'tool.healthlint' must be a table, not [1, 2]"),
    ("[tool.healthlint]\nrules = {HL101 = 5}\n", "'tool.healthlint.rules.HL101' must be a table of the rule's options, not 5"),
    ("[[tool.healthlint.rules.HL101]]\n", "'tool.healthlint.rules.HL101' must be a table of the rule's options, not [{}]"),
    ('[tool.healthlint.per-file-ignores]\n"*.md" = "HL101"\n',
     "'tool.healthlint.per-file-ignores.*.md' must be a list of strings, not 'HL101'"),
    ('[tool.healthlint]\nper-file-ignores = ["HL101"]\n',
     "'tool.healthlint.per-file-ignores' must be a table of glob = [rules], not ['HL101']"),
])
def test_a_value_that_is_not_a_table_where_a_table_belongs(run, tmp_path, toml, message):
    (tmp_path / ".healthlint.toml").unlink()
    write(tmp_path / "pyproject.toml", toml)
    write(tmp_path / "a.md", ARTICLE)
    result = run("a.md")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"healthlint: error: {tmp_path / 'pyproject.toml'}: {message}\n"


SIZE = "'max-file-size' must be a number of bytes or a size such as \"5MB\", at most 1GB, not "
NUMBER = f"must be a number from -{MAX_NUMBER} to {MAX_NUMBER}, not "


@pytest.mark.parametrize("toml,message", [
    ('max-file-size = "99999999999999999999999999GB"\n', SIZE + "'99999999999999999999999999GB'"),
    ("max-file-size = 99999999999999999999999\n", SIZE + "99999999999999999999999"),
    (f'max-file-size = "{"9" * 400}"\n', SIZE + "'" + "9" * 37 + "..." + "9" * 38 + "'"),
    ('max-file-size = "1.5GB"\n', SIZE + "'1.5GB'"),
    ('max-file-size = "0KB"\n', SIZE + "'0KB'"),
    ("max-file-size = 0\n", SIZE + "0"),
    ("max-file-size = 5e6\n", SIZE + "5000000.0"),
    ("[rules.outdated-review]\nmax-age-years = inf\n", "rules.outdated-review.max-age-years " + NUMBER + "inf"),
    ("[rules.outdated-review]\nmax-age-years = nan\n", "rules.outdated-review.max-age-years " + NUMBER + "nan"),
    ("[rules.outdated-review]\nmax-age-years = 1e308\n", "rules.outdated-review.max-age-years " + NUMBER + "1e+308"),
    ("[rules.citation-needed]\nlook-ahead = inf\n", "rules.citation-needed.look-ahead " + NUMBER + "inf"),
    ("[rules.long-sentence]\nmax-words = nan\n", "rules.long-sentence.max-words " + NUMBER + "nan"),
    ("[rules.long-sentence]\nmax-words = -inf\n", "rules.long-sentence.max-words " + NUMBER + "-inf"),
    ("[rules.HL303]\nmax-words = 10000000000000000000000\n", "rules.HL303.max-words " + NUMBER + "10000000000000000000000"),
    ('preset = "../../../../tmp/x"\n', "'preset' must be the name of a preset (strict), not '../../../../tmp/x'"),
    ('preset = "strict.toml"\n', "'preset' must be the name of a preset (strict), not 'strict.toml'"),
    ("preset = 1\n", "'preset' must be the name of a preset (strict), not 1"),
    ('"\\u001b]0;PWNED\\u0007" = 1\n', "unknown key '\\x1b]0;PWNED\\x07'"),
    ('[rules."\\u001b]0;PWNED\\u0007"]\n', "rules.\\x1b]0;PWNED\\x07: unknown rule"),
    ('[rules.HL101]\n"\\u202eskip" = 1\n', "rules.HL101: unknown option '\\u202eskip' (options: severity, "
                                           "skip-quoted, skip-blockquotes, skip-negated, skip-questions)"),
    ('[per-file-ignores]\n"\\u001b[2J" = ["HL9"]\n',
     "per-file-ignores.\\x1b[2J: unknown rule 'HL9' (see healthlint --list-rules)"),
    ('select = ["\\u001b[2J"]\n', "select: unknown rule '\\x1b[2J' (see healthlint --list-rules)"),
    ('[rules.HL101]\nseverity = "\\u0007"\n',
     "rules.HL101.severity: unknown severity '\\x07' (use error, warning or info)"),
    ("x = 1" + "0" * 5000 + "\n", "not valid TOML: a number is too long"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "not valid TOML: arrays or tables are nested too deeply"),
    ("select = {" + "a." * 3000 + "b = 1}\n",
     "'select' must be a list of strings, not {'a': {'a': {'a': {'a': {'a': {'a': {...}}}}}}}"),
    ('cache-dir = "a\\u0000b"\n', "'cache-dir' must be a folder path (a string), not 'a\\x00b'"),
    ('rule-paths = ["a\\u0000b"]\n', "'rule-paths' must be a list of paths (strings), not ['a\\x00b']"),
    ('[rules.spelling]\nword-list-files = ["a\\u0000b"]\n',
     "rules.spelling.word-list-files must be a list of paths (strings), not ['a\\x00b']"),
    ("[rules.spelling]\nword-list-files = [5]\n", "rules.spelling.word-list-files must be a list of strings, not [5]"),
    ("[rules.risk-disclosure]\nextra-treatments = [5]\n",
     "rules.risk-disclosure.extra-treatments must be a list of strings, not [5]"),
])
def test_hostile_values_are_named_errors(run, tmp_path, toml, message):
    write(tmp_path / ".healthlint.toml", toml)
    write(tmp_path / "a.md", ARTICLE)
    result = run("a.md")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"healthlint: error: {tmp_path / '.healthlint.toml'}: {message}\n"


def test_a_preset_from_the_command_line_is_a_name_not_a_path(run, tmp_path):
    write(tmp_path / "x.toml", 'select = ["HL101"]\n')
    write(tmp_path / "a.md", ARTICLE)
    result = run("a.md", "--preset", str(tmp_path / "x"))
    assert (result.exit_code, result.stderr) == (
        2, f"healthlint: error: command line: 'preset' must be the name of a preset (strict), not '{tmp_path / 'x'}'\n")


@pytest.mark.parametrize("toml,size", [
    ('max-file-size = "1GB"\n', 1024**3), ("max-file-size = 1073741824\n", 1024**3),
    ('max-file-size = " 2.5 kb "\n', 2560), ("max-file-size = 1\n", 1), ('max-file-size = "5MB"\n', 5 * 1024**2),
    ("[rules.readability]\nmax-grade = 8.5\n", None), ("[rules.long-sentence]\nmax-words = 1000000\n", None),
    ("[rules.long-sentence]\nmax-words = 30.0\n", None), ("[rules.outdated-review]\nmax-age-years = 0\n", None),
    ('[rules.spelling]\nword-list-files = ["~nosuchuser/words.txt"]\n', None),  # Path.expanduser raised here
    ('cache-dir = "~nosuchuser/cache"\n', None),
])
def test_sane_values_still_work(registry, tmp_path, toml, size):
    write(tmp_path / ".healthlint.toml", toml)
    config = load_config(tmp_path / ".healthlint.toml")
    resolve(config, registry)
    assert config.max_file_size == (size or 5 * 1024**2)
    assert config.cache_dir in (None, tmp_path / "~nosuchuser" / "cache")


# --- generated variations ---------------------------------------------------------------------

@SETTINGS
@given(value=not_tables, table=st.sampled_from(["tool", "tool.healthlint"]))
def test_any_value_that_is_not_a_table_is_named(value, table):
    head, _, name = table.rpartition(".")
    text = (f"[{head}]\n" if head else "") + f"{name} = {toml_value(value)}\n"
    parsed = tomllib.loads(text)[head] if head else tomllib.loads(text)
    assert config_error("pyproject.toml", text) == (
        f"{SCRATCH / 'pyproject.toml'}: '{table}' must be a table, not {shown(parsed[name])}")


@SETTINGS
@given(key=texts, value=values)
def test_any_unknown_key_is_named_printably(key, value):
    assume(key not in KEYS)
    message = config_error(".healthlint.toml", f"{toml_string(key)} = {toml_value(value)}\n")
    assert message.startswith(f"{SCRATCH / '.healthlint.toml'}: unknown key '{printable(key)}'")
    assert message.isprintable()


@SETTINGS
@given(key=st.sampled_from(sorted(KEYS)), value=values)
def test_any_value_of_a_known_key_loads_or_is_a_printable_error(key, value):
    message = config_error(".healthlint.toml", f"{key} = {toml_value(value)}\n")
    assert message.isprintable()
    assert message == "" or message.startswith(f"{SCRATCH / '.healthlint.toml'}: '{key}")


NUMBER_OPTIONS = [("long-sentence", "max-words"), ("citation-needed", "look-ahead"),
                  ("outdated-review", "max-age-years"), ("hard-passage", "margin"), ("readability", "max-grade")]


@SETTINGS
@given(option=st.sampled_from(NUMBER_OPTIONS), number=st.floats() | st.integers() | st.integers(-10**30, 10**30))
def test_every_number_option_takes_finite_sane_numbers_only(registry, option, number):
    rule, name = option
    config = Config(path=SCRATCH / "c.toml", values={"rules": {rule: {name: number}}})
    if math.isfinite(number) and 0 <= number <= MAX_NUMBER:
        assert resolve(config, registry).options[registry.get(rule).code][name] == number
        return
    with pytest.raises(ConfigError) as error:
        resolve(config, registry)
    if not (math.isfinite(number) and abs(number) <= MAX_NUMBER):
        assert str(error.value) == f"{SCRATCH / 'c.toml'}: rules.{rule}.{name} {NUMBER}{shown(number)}"


@SETTINGS
@given(number=st.integers(0, 2**70), unit=st.sampled_from(["", "B", "kb", "MB", "gB"]))
def test_max_file_size_is_from_one_byte_to_one_gigabyte(number, unit):
    size = number * {"": 1, "b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}[unit.lower()]
    for value in (toml_string(f"{number}{unit}"), *([str(number)] if not unit else [])):
        message = config_error(".healthlint.toml", f"max-file-size = {value}\n")
        if 1 <= size <= MAX_FILE_SIZE:
            assert message == ""
            assert load_config(SCRATCH / ".healthlint.toml").max_file_size == size
        else:
            assert message.startswith(f"{SCRATCH / '.healthlint.toml'}: {SIZE}")


@SETTINGS
@given(name=st.text(min_size=1, max_size=20) | st.sampled_from(["../strict", "./strict", "strict/", "/etc/passwd",
                                                                "strict.toml", "STRICT", " strict"]))
def test_a_preset_is_only_one_of_the_shipped_names(name):
    assume(name not in PRESETS)
    with pytest.raises(ConfigError) as error:
        load_config(None, preset=name)
    assert str(error.value) == f"command line: 'preset' must be the name of a preset (strict), not {shown(name)}"


def test_printable_escapes_what_a_terminal_acts_on_and_keeps_the_rest():
    assert printable("\x1b]0;PWNED\x07") == "\\x1b]0;PWNED\\x07"
    assert printable("a\nb\rc\td\x00\x7f\x9b\u202e\u2028\u200b") == "a\\nb\\rc\\td\\x00\\x7f\\x9b\\u202e\\u2028\\u200b"
    assert printable("Überdosis, naïve, 日本語, C:\\path, 'quoted' \"too\"") == \
        "Überdosis, naïve, 日本語, C:\\path, 'quoted' \"too\""
    assert printable(Path("/tmp/x\x1b.toml")) == "/tmp/x\\x1b.toml"


@SETTINGS
@given(text=st.text())
def test_printable_output_is_always_printable(text):
    assert printable(text).isprintable()
    if text.isprintable():
        assert printable(text) == text


# --- finding the config ---------------------------------------------------------------------

@pytest.mark.parametrize("pyproject,expected", [
    ('[project]\nname = "x"\n# [tool.healthlint]\n# select = ["HL101"]\n', ["HL102"]),
    ('[project]\ndescription = "see [tool.healthlint] in the docs"\n', ["HL102"]),
    ('[project]\ndescription = """\n[tool.healthlint]\nselect = ["HL101"]\n"""\n', ["HL102"]),
    ("[tool.black]\nline-length = 100\n", ["HL102"]),
    ('[project\nname = "x"\n', ["HL102"]),                      # not TOML, and not ours: skipped as before
    ('[tool."healthlint"]\nselect = ["HL101"]\n', ["HL101"]),
    ('tool.healthlint.select = ["HL101"]\n', ["HL101"]),
    ('[tool]\nhealthlint = {select = ["HL101"]}\n', ["HL101"]),
    ('[tool.healthlint]\nselect = ["HL101"]\n', ["HL101"]),
])
def test_a_pyproject_counts_only_with_a_real_healthlint_table(run, tmp_path, monkeypatch, pyproject, expected):
    write(tmp_path / ".healthlint.toml", 'select = ["HL102"]\n')
    write(tmp_path / "sub" / "pyproject.toml", pyproject)
    write(tmp_path / "sub" / "a.md", ARTICLE)
    monkeypatch.chdir(tmp_path / "sub")
    result = run("a.md")
    assert (codes(result), result.stderr) == (expected, "")


def test_a_broken_pyproject_with_a_healthlint_table_is_reported(run, tmp_path, monkeypatch):
    write(tmp_path / "sub" / "pyproject.toml", '[tool.healthlint]\nselect = [\n')
    write(tmp_path / "sub" / "a.md", ARTICLE)
    monkeypatch.chdir(tmp_path / "sub")
    result = run("a.md")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"healthlint: error: {tmp_path / 'sub' / 'pyproject.toml'}: not valid TOML: ")


# --- globs: the same answers as before, in linear time ----------------------------------------

def reference_regex(pattern: str) -> re.Pattern:
    """The translation healthlint used before (a backtracking regex), with DOTALL and \\Z so that a
    newline in a name is an ordinary character."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            out.append({"*": "[^/]*", "?": "[^/]"}.get(pattern[i], re.escape(pattern[i])))
            i += 1
    return re.compile("".join(out) + r"(?:/.*)?\Z", re.S)


def reference_glob_match(pattern: str, rel: str) -> bool:
    pattern = pattern.strip()
    while rel.startswith("./"):
        rel = rel[2:]
    if "/" not in pattern.rstrip("/"):
        from pathlib import PurePosixPath
        return any(reference_regex(pattern.rstrip("/")).match(part) for part in PurePosixPath(rel).parts)
    return reference_regex(pattern.strip("/")).match(rel) is not None


glob_patterns = st.lists(st.sampled_from(["*", "**", "**/", "?", "a", "b", "/", ".", "\n"]), max_size=8).map("".join)
glob_paths = st.text("ab/.*?\n", max_size=10)


@settings(max_examples=1000, derandomize=True, deadline=None, database=None)
@given(pattern=glob_patterns, text=glob_paths)
def test_glob_matcher_agrees_with_the_regex_translation(pattern, text):
    assert _Glob(pattern).match(text) == (reference_regex(pattern).match(text) is not None)
    assert glob_match(pattern, text) == reference_glob_match(pattern, text)


@pytest.mark.parametrize("pattern,text,expected", [
    ("*a" * 13 + "*b", "a" * 200, False),            # minutes with the regex
    ("*a" * 13 + "*b", "a" * 200 + "b", True),
    ("*a" * 13 + "*b", "a" * 12 + "b", False),
    ("/**" + "a**" * 13 + "b", "a/" * 200, False),
    ("**/" * 20 + "z/q", "/".join(["d"] * 300) + "/x.md", False),
    ("**/" * 20 + "z/q", "/".join(["d"] * 300) + "/z/q/x.md", True),
    ("**/" * 20 + "z/q", "z/q", True),
    ("?*" * 30 + "/x", "a" * 29 + "/x", False),
    ("?*" * 30 + "/x", "a" * 30 + "/x/y.md", True),
])
def test_adversarial_globs_finish_with_the_right_answer(pattern, text, expected):
    assert glob_match(pattern, text) is expected


def test_adversarial_globs_in_include_and_exclude(tmp_path):
    deep = tmp_path.joinpath(*["d"] * 40)
    write(deep / "x.md", "x\n")
    write(deep / "z" / "q" / "y.md", "y\n")
    write(tmp_path / ("a" * 200 + ".md"), "a\n")
    write(tmp_path / ("a" * 200 + "b"), "b\n")
    found = discover([str(tmp_path)], ["*.md", "*a" * 13 + "*b"], ["**/" * 20 + "z/q"], tmp_path)
    assert sorted(Path(f.display).relative_to(tmp_path).as_posix() for f in found.files) == [
        "a" * 200 + ".md", "a" * 200 + "b", "d/" * 40 + "x.md"]


# --- exclude with absolute paths --------------------------------------------------------------

@pytest.mark.parametrize("exclude,expected", [
    ("{tmp}/drafts", ["a.md", "sub/drafts/c.md"]),             # an absolute folder
    ("{tmp}/drafts/", ["a.md", "sub/drafts/c.md"]),
    ("{tmp}/drafts/b.md", ["a.md", "sub/drafts/c.md"]),        # an absolute file
    ("{tmp}/*/drafts", ["a.md", "drafts/b.md"]),               # an absolute glob
    ("/drafts", ["a.md", "sub/drafts/c.md"]),                  # as before: anchored at the config's folder
    ("drafts", ["a.md"]),                                      # as before: any folder named drafts
    ("/elsewhere/drafts", ["a.md", "drafts/b.md", "sub/drafts/c.md"]),
])
def test_an_absolute_exclude_path_matches_the_absolute_path(run, tmp_path, exclude, expected):
    write(tmp_path / ".healthlint.toml", f'select = ["HL101"]\nexclude = [{toml_string(exclude.format(tmp=tmp_path))}]\n')
    for name in ("a.md", "drafts/b.md", "sub/drafts/c.md"):
        write(tmp_path / name, "A miracle cure.\n")
    result = run(".", "-q")
    linted = sorted({line.split(":")[0].removeprefix("./") for line in result.stdout.splitlines()})
    assert linted == expected
    named = run("a.md", "drafts/b.md", "sub/drafts/c.md", "-q")
    assert sorted({line.split(":")[0] for line in named.stdout.splitlines()}) == expected


@pytest.mark.parametrize("exclude", ["{tmp}/drafts", "{tmp}/link"])
def test_an_absolute_exclude_path_matches_through_a_symlink(run, tmp_path, exclude):
    write(tmp_path / ".healthlint.toml", f'select = ["HL101"]\nexclude = [{toml_string(exclude.format(tmp=tmp_path))}]\n')
    write(tmp_path / "a.md", "A miracle cure.\n")
    write(tmp_path / "drafts" / "b.md", "A miracle cure.\n")
    os.symlink("drafts", tmp_path / "link")
    assert [line.split(":")[0] for line in run("a.md", "link/b.md", "-q").stdout.splitlines()] == ["a.md"]


# --- rule-paths: special and unreadable entries -------------------------------------------------

def test_a_fifo_in_a_rule_paths_folder_is_not_opened(tmp_path):
    (tmp_path / "style").mkdir()
    os.mkfifo(tmp_path / "style" / "x.yml")
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["HL101"]\n')
    write(tmp_path / "a.md", ARTICLE)
    done = subprocess.run([sys.executable, "-m", "healthlint", "a.md", "--no-cache", "-q"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.split(" ")[:2], done.stderr) == (1, ["a.md:3:13:", "HL101"], "")


def test_a_rule_path_with_unreadable_and_vanishing_entries(run, tmp_path):
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["/proc"]\nselect = ["HL101"]\n')
    write(tmp_path / "a.md", ARTICLE)
    result = run("a.md", "-q")
    assert (result.exit_code, codes(result), result.stderr) == (1, ["HL101"], "")
