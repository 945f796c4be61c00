"""CI formats: github, sarif, junit; --output; GITHUB_ACTIONS picks github."""
import json
from pathlib import Path

import jsonschema
import pytest
from hltest import MIRACLE_MSG, write

HYPE_MSG = '"revolutionary" is hype; say what is new and how large the benefit is'
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _articles(tmp_path):
    write(tmp_path / "a, b.md", "# Café: 50% off\n\nSome call it a miracle cure.\n\nA revolutionary pill.\n")
    write(tmp_path / "ok.md", "Calm words.\n")


def test_github_annotations_escape_file_names(run, tmp_path):
    _articles(tmp_path)
    result = run("a, b.md", "ok.md", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::warning file=a%2C b.md,line=3,col=16,endLine=3,endColumn=28,title=HL101 absolute-claim::{MIRACLE_MSG}",
        f"::notice file=a%2C b.md,line=5,col=3,endLine=5,endColumn=16,title=HL102 hype-word::{HYPE_MSG}",
    ]


def test_github_actions_environment_picks_github_unless_a_format_is_given(run, tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    line = f"::warning file=a.md,line=1,col=3,endLine=1,endColumn=15,title=HL101 absolute-claim::{MIRACLE_MSG}\n"
    assert run("a.md", env={"GITHUB_ACTIONS": "true"}).stdout == line
    assert run("a.md", "--format", "text", env={"GITHUB_ACTIONS": "true"}).stdout.splitlines()[0] == \
        f"a.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]"
    assert run("a.md", "--quiet", env={"GITHUB_ACTIONS": "false"}).stdout == \
        f"a.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]\n"


def test_github_escapes_newlines_and_percent_in_messages():
    from healthlint.formatters import Context, format_github
    from healthlint.model import Severity, Violation
    v = Violation("x.md", 1, 2, 1, 5, "HL999", "demo", Severity.ERROR, "100% sure\nreally", "maybe")
    assert format_github([v], Context()) == \
        "::error file=x.md,line=1,col=2,endLine=1,endColumn=5,title=HL999 demo::100%25 sure%0Areally (suggestion: maybe)\n"


def test_sarif_is_valid_sarif_2_1_0_with_a_descriptor_per_rule(run, tmp_path):
    _articles(tmp_path)
    result = run("a, b.md", "ok.md", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, SCHEMA)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]  # every rule that ran: the system rules (HL0xx), HL101, HL102
    assert ids[-2:] == ["HL101", "HL102"] and all(i.startswith("HL0") for i in ids[:-2])
    assert [(r["name"], r["defaultConfiguration"]["level"]) for r in rules[:2] + rules[-2:]] == [
        ("unreadable-file", "error"), ("rule-crashed", "error"), ("absolute-claim", "warning"), ("hype-word", "note")]
    hl101 = len(ids) - 2
    assert rules[hl101]["shortDescription"]["text"].startswith("Absolute")
    assert rules[hl101]["help"]["text"].split("\n\n")[1].startswith("Why: ")
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["results"] == [
        {"ruleId": "HL101", "ruleIndex": hl101, "level": "warning", "message": {"text": MIRACLE_MSG},
         "locations": [{"physicalLocation": {
             "artifactLocation": {"uri": "a%2C%20b.md", "uriBaseId": "%SRCROOT%"},
             "region": {"startLine": 3, "startColumn": 16, "endLine": 3, "endColumn": 28}}}]},
        {"ruleId": "HL102", "ruleIndex": hl101 + 1, "level": "note", "message": {"text": HYPE_MSG},
         "locations": [{"physicalLocation": {
             "artifactLocation": {"uri": "a%2C%20b.md", "uriBaseId": "%SRCROOT%"},
             "region": {"startLine": 5, "startColumn": 3, "endLine": 5, "endColumn": 16}}}]},
    ]


def test_sarif_without_findings_is_valid_too(run, tmp_path):
    write(tmp_path / "ok.md", "Calm words.\n")
    result = run("ok.md", "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    jsonschema.validate(log, SCHEMA)
    assert log["runs"][0]["results"] == []
    log["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] = "info"  # not a SARIF level
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(log, SCHEMA)


def test_junit_has_one_test_case_per_file(run, tmp_path):
    _articles(tmp_path)
    result = run("a, b.md", "ok.md", "--format", "junit")
    assert result.exit_code == 1
    assert result.stdout == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
        '  <testsuite name="healthlint" tests="2" failures="1" errors="0">\n'
        '    <testcase classname="healthlint" name="a, b.md">\n'
        '      <failure type="healthlint" message="1 warning, 1 info">'
        f'a, b.md:3:16: HL101 {MIRACLE_MSG} [absolute-claim]\n'
        f'a, b.md:5:3: HL102 {HYPE_MSG} [hype-word]</failure>\n'
        '    </testcase>\n'
        '    <testcase classname="healthlint" name="ok.md"/>\n'
        '  </testsuite>\n</testsuites>\n')
    import xml.etree.ElementTree as ET
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert [case.get("name") for case in suite] == ["a, b.md", "ok.md"]


def test_output_writes_the_report_to_a_file_and_the_summary_to_the_terminal(run, tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    result = run("a.md", "--format", "json", "--output", "report.json")
    assert result.exit_code == 1
    assert result.stdout == "Found 1 problem (1 warning) in 1 file checked.\n"
    assert [row["line"] for row in json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))] == [1]
    result = run("a.md", "--output", "report.txt", "--color", "always")
    assert result.stdout == "Found 1 problem (1 warning) in 1 file checked.\n"
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == \
        f"a.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]\n"
