"""healthlint --test-rules: a content team runs its own packs' cases, e.g. in its CI."""
from hltest import write

PACK = """code: ST201
name: house-style
kind: substitution
summary: Words our style guide replaces.
docs: {what: w, why: y, standard: s, bad: b, good: g}
swap: {utilize: use}
tests:
  fail: [{text: "We utilize it.", expect: [EXPECT]}]
  pass: ["We use it."]
"""


def test_passing_cases_exit_0_with_a_count(run, tmp_path):
    write(tmp_path / "style" / "house.yml", PACK.replace("EXPECT", '"1:4-1:11 instead of"'))
    result = run("--test-rules", "style")
    assert (result.exit_code, result.stdout) == (0, "2 passed, 0 failed\n")


def test_a_wrong_column_fails_with_the_text_and_both_positions(run, tmp_path):
    write(tmp_path / "style" / "house.yml", PACK.replace("EXPECT", '"1:5"'))
    result = run("--test-rules", "style/house.yml")
    assert result.exit_code == 1
    assert result.stdout == ("ST201 house-style fail case 1 (style/house.yml):\n"
                             "  text:     'We utilize it.'\n"
                             "  expected: ['1:5']\n"
                             "  found:    ['1:4']\n"
                             "1 passed, 1 failed\n")


def test_without_paths_the_config_s_rule_paths_are_tested(run, tmp_path):
    write(tmp_path / "style" / "house.yml", PACK.replace("EXPECT", '"1:4"').replace("We use it.", "We utilize."))
    write(tmp_path / ".healthlint.toml", 'rule-paths = ["style"]\n')
    result = run("--test-rules")
    assert result.exit_code == 1
    assert result.stdout.endswith("  found:    ['1:4']\n1 passed, 1 failed\n")


def test_nothing_to_test_is_a_usage_error(run, tmp_path):
    result = run("--test-rules")
    assert (result.exit_code, result.stderr) == (
        2, "healthlint: error: no rules to test: name rule packs (files or folders), or set rule-paths in the config\n")


def test_a_broken_pack_is_reported_like_any_pack_error(run, tmp_path):
    write(tmp_path / "style" / "house.yml", "code: [\n")
    result = run("--test-rules", "style")
    assert result.exit_code == 2
    assert result.stderr.startswith("healthlint: error: style/house.yml:")
