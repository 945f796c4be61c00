"""Configuration files, selection, severities, options, rule packs: exact messages and exit codes."""
import pytest
from hltest import write

CORE = 'select = ["HL0", "HL101", "HL102"]\n'
ARTICLE = "# Hope\n\nThere is no cure, sadly too. Then came a miracle cure.\n\nA revolutionary pill.\n"


def codes(result):
    return [line.split(" ")[1] for line in result.stdout.splitlines() if ": HL" in line]


@pytest.fixture
def article(tmp_path):
    return write(tmp_path / "a.md", ARTICLE)


def test_pyproject_is_found_from_a_subfolder(run, tmp_path, monkeypatch, article):
    (tmp_path / ".healthlint.toml").unlink()
    write(tmp_path / "pyproject.toml", f'[project]\nname = "site"\n\n[tool.healthlint]\n{CORE}ignore = ["HL101"]\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert codes(run("../a.md")) == ["HL102"]


def test_pyproject_without_a_healthlint_table_is_skipped(run, tmp_path, article):
    write(tmp_path / "pyproject.toml", '[project]\nname = "site"\n')
    assert codes(run("a.md")) == ["HL101", "HL102"]


def test_dot_healthlint_toml_wins_over_pyproject_in_the_same_folder(run, tmp_path, article):
    write(tmp_path / "pyproject.toml", f'[tool.healthlint]\n{CORE}ignore = ["HL101"]\n')
    write(tmp_path / ".healthlint.toml", f'{CORE}ignore = ["HL102"]\n')
    assert codes(run("a.md")) == ["HL101"]


def test_config_option_and_isolated(run, tmp_path, article):
    write(tmp_path / "strict.toml", f'{CORE}[rules.absolute-claim]\nseverity = "error"\n')
    write(tmp_path / ".healthlint.toml", 'select = ["HL102"]\n')
    assert codes(run("a.md", "--config", "strict.toml")) == ["HL101", "HL102"]
    assert codes(run("a.md")) == ["HL102"]
    assert codes(run("a.md", "--isolated", "--select", "HL101,HL102")) == ["HL101", "HL102"]
    assert "1 error" in run("a.md", "--config", "strict.toml").stdout


@pytest.mark.parametrize("args,expected", [
    (["--select", "HL1"], ["HL101", "HL102"]),
    (["--select", "absolute-claim"], ["HL101"]),
    (["--select", "HL101,HL102", "--ignore", "hype-word"], ["HL101"]),
    (["--select", "HL1", "--ignore", "HL1", "--extend-select", "HL102"], ["HL102"]),  # more specific wins
    (["--select", "ALL", "--ignore", "HL"], []),
])
def test_select_and_ignore_by_code_prefix_and_name(run, article, args, expected):
    assert codes(run("a.md", *args)) == expected


def test_cli_select_replaces_config_select(run, tmp_path, article):
    write(tmp_path / ".healthlint.toml", 'select = ["HL102"]\nextend-select = []\n')
    assert codes(run("a.md", "--select", "HL101")) == ["HL101"]


def test_rule_options_change_behaviour(run, tmp_path, article):
    write(tmp_path / ".healthlint.toml", "[rules.HL101]\nskip-negated = false\n")
    result = run("a.md", "--select", "HL101", "-q")
    assert [line.split(" ")[0] for line in result.stdout.splitlines()] == ["a.md:3:13:", "a.md:3:42:"]


def test_per_file_ignores(run, tmp_path, article):
    write(tmp_path / ".healthlint.toml", f'{CORE}[per-file-ignores]\n"drafts/**" = ["absolute-claim"]\n')
    write(tmp_path / "drafts" / "x.md", ARTICLE)
    result = run("a.md", "drafts/x.md", "-q")
    assert [line.split(" ")[:2] for line in result.stdout.splitlines()] == [
        ["a.md:3:42:", "HL101"], ["a.md:5:3:", "HL102"], ["drafts/x.md:5:3:", "HL102"]]


@pytest.mark.parametrize("toml,message", [
    ("selct = []\n", "unknown key 'selct' (did you mean 'select'?)"),
    ("select = 'HL101'\n", "'select' must be a list of strings, not 'HL101'"),
    ("select = [\n", "not valid TOML: "),
    ('select = ["HL999"]\n', "select: unknown rule 'HL999' (see healthlint --list-rules)"),
    ('ignore = ["no-such-rule"]\n', "ignore: unknown rule 'no-such-rule' (see healthlint --list-rules)"),
    ('fail-on = "sometimes"\n', "'fail-on' must be one of error, warning, info, never, not 'sometimes'"),
    ('max-file-size = "big"\n',
     "'max-file-size' must be a number of bytes or a size such as \"5MB\", at most 1GB, not 'big'"),
    ("[rules.HL101]\nskip-negatd = true\n", "rules.HL101: unknown option 'skip-negatd' (did you mean 'skip-negated'?)"),
    ("[rules.HL101]\nskip-negated = 'no'\n", "rules.HL101.skip-negated must be bool, not 'no'"),
    ('[rules.HL101]\nseverity = "fatal"\n', "rules.HL101.severity: unknown severity 'fatal' (use error, warning or info)"),
    ("[rules.absolute-claims]\n", "rules.absolute-claims: unknown rule (did you mean 'absolute-claim'?)"),
    ('[rules.readability]\nformula = "foo"\n',
     "rules.readability.formula must be one of dale-chall, flesch-kincaid, smog, gunning-fog, not 'foo'"),
    ('[rules.plain-language]\naudience = "pro"\n',
     "rules.plain-language.audience must be one of patient, general, professional, not 'pro'"),
    ("[rules.long-sentence]\nmax-words = -1\n", "rules.long-sentence.max-words must be 0 or more, not -1"),
    ('[rules.outdated-review]\ntoday = "garbage"\n',
     "rules.outdated-review.today must be a date as YYYY-MM-DD, or empty for the real date, not 'garbage'"),
    ('[per-file-ignores]\n"*.md" = ["HL9"]\n', "per-file-ignores.*.md: unknown rule 'HL9' (see healthlint --list-rules)"),
    ('rule-paths = ["nowhere"]\n', "nowhere:1: rule path does not exist"),
])
def test_broken_config_exits_2_naming_file_and_key(run, tmp_path, article, toml, message):
    write(tmp_path / ".healthlint.toml", toml)
    result = run("a.md")
    assert result.exit_code == 2
    assert result.stdout == ""
    prefix = "healthlint: error: " + ("" if message.startswith("nowhere") else f"{tmp_path / '.healthlint.toml'}: ")
    if message.startswith("nowhere"):
        prefix += str(tmp_path) + "/"
    assert result.stderr.startswith(prefix + message), result.stderr
    assert "Traceback" not in result.stderr


def test_pyproject_keys_are_named_with_their_table(run, tmp_path, article):
    (tmp_path / ".healthlint.toml").unlink()
    write(tmp_path / "pyproject.toml", "[tool.healthlint]\nexlude = []\n")
    result = run("a.md")
    assert result.stderr == (f"healthlint: error: {tmp_path / 'pyproject.toml'}: unknown key "
                             "'tool.healthlint.exlude' (did you mean 'exclude'?)\n")


def test_missing_config_file(run, article):
    result = run("a.md", "--config", "nope.toml")
    assert (result.exit_code, result.stderr) == (2, "healthlint: error: nope.toml: config file not found\n")


def test_unknown_rule_on_the_command_line(run, article):
    result = run("a.md", "--select", "HL7")
    assert (result.exit_code, result.stderr) == (
        2, "healthlint: error: command line: unknown rule 'HL7' (see healthlint --list-rules)\n")


PACK = """\
code: ST201
name: house-style
kind: substitution
severity: info
summary: Our house words.
docs: {what: w, why: y, standard: s, bad: b, good: g}
swap:
  utilize: use
  in order to: to
tests:
  fail: [{text: "We utilize it.", expect: ["1:4"]}]
  pass: ["We use it."]
"""


def test_rule_paths_add_yaml_packs(run, tmp_path):
    write(tmp_path / "style" / "house.yml", PACK)
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\nselect = ["ST201"]\n')
    write(tmp_path / "a.md", "In order to heal, utilize rest.\n")
    result = run("a.md", "--format", "json")
    import json
    assert [(v["line"], v["column"], v["code"], v["message"], v["suggestion"]) for v in json.loads(result.stdout)] == [
        (1, 1, "ST201", 'use "To" instead of "In order to"', "To"),
        (1, 19, "ST201", 'use "use" instead of "utilize"', "use"),
    ]


@pytest.mark.parametrize("pack,message", [
    ("code: [unclosed\n", "{tmp}/style/bad.yml:2: malformed YAML: "),
    (PACK.replace("kind: substitution", "kind: magic"), "{tmp}/style/bad.yml:3: unknown kind 'magic'"),
    (PACK.replace("swap:\n  utilize: use\n  in order to: to\n",
                  "cues:\n  - message: m\n    patterns: ['(unclosed']\n").replace("substitution", "existence"),
     "{tmp}/style/bad.yml:9: pattern '(unclosed' does not compile: "),
    (PACK.replace("code: ST201", "code: HL101"),
     "rule HL101 house-style from {tmp}/style/bad.yml clashes with HL101 absolute-claim from built-in"),
    (PACK.replace("name: house-style", "name: House Style"),
     "{tmp}/style/bad.yml:2: name 'House Style' must be lower-case words joined by hyphens"),
    (PACK.replace("severity: info", "severity: loud"), "{tmp}/style/bad.yml:4: unknown severity 'loud'"),
    (PACK + "colour: red\n", "{tmp}/style/bad.yml:13: unknown key 'colour'"),
    (PACK.replace("docs: {what: w, why: y, standard: s, bad: b, good: g}", "docs: {what: 5}"),
     "{tmp}/style/bad.yml:6: docs may have what, why, standard, bad and good (strings)"),
])
def test_broken_rule_pack_exits_2_with_file_and_line(run, tmp_path, article, pack, message):
    write(tmp_path / "style" / "bad.yml", pack)
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\n')
    result = run("a.md")
    assert result.exit_code == 2
    assert result.stderr.startswith("healthlint: error: " + message.format(tmp=tmp_path)), result.stderr
    assert "Traceback" not in result.stderr


def test_file_options_are_relative_to_the_config_file(tmp_path):
    from healthlint.config import load_config, resolve
    from healthlint.registry import build_registry
    write(tmp_path / "site" / ".healthlint.toml", '[rules.spelling]\nword-list-files = ["style/words.txt"]\n')
    settings = resolve(load_config(tmp_path / "site" / ".healthlint.toml"), build_registry(entry_points=[]))
    assert settings.options["HL402"]["word-list-files"] == [str(tmp_path / "site" / "style" / "words.txt")]


MELATONIN = "# Melatonin\n\nMelatonin helps jet lag.\n"
QUIET = 'ignore = ["HL0", "HL202", "HL203", "HL204", "HL212", "grammar"]\n'  # keep the outputs short


@pytest.mark.parametrize("toml,args,expected", [
    (QUIET, [], ["HL201"]),
    ('preset = "strict"\n' + QUIET, [], ["HL201", "HL210", "HL211"]),
    (QUIET, ["--preset", "strict"], ["HL201", "HL210", "HL211"]),
    ('preset = "strict"\nextend-select = ["HL101"]\n' + QUIET.replace('"grammar"', '"grammar", "HL211"'), [],
     ["HL201", "HL210"]),
])
def test_strict_preset_adds_the_balance_rules(run, tmp_path, toml, args, expected):
    write(tmp_path / ".healthlint.toml", toml)
    write(tmp_path / "a.md", MELATONIN)
    assert codes(run("a.md", *args)) == expected


def test_unknown_preset(run, tmp_path, article):
    write(tmp_path / ".healthlint.toml", 'preset = "lax"\n')
    result = run("a.md")
    assert (result.exit_code, result.stderr) == (
        2, f"healthlint: error: {tmp_path / '.healthlint.toml'}: 'preset' must be the name of a preset (strict), "
           "not 'lax'\n")
