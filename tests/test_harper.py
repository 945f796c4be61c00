"""HL401 grammar and HL402 spelling with Harper, the checker built in (harper-py), against the real library: no
LanguageTool, no Java, no server. LanguageTool's own path is tested in tests/test_grammar.py."""
import os
import subprocess
import sys
from pathlib import Path

import harper
import pytest

from healthlint import harper_checker
from healthlint.config import Config, resolve
from healthlint.engine import lint_text, run_key
from healthlint.registry import build_registry

ARTICLE = """\
---
title: Their is a title here
---

# Check-ups

```
He have been ill.
```

Their is several ways to book a appointment, see https://example.org/he-have-been-ill or `he have`.

He have been ill since the spring.
"""


def settings_with(**options):
    """Settings with Harper; `home` (LanguageTool's folder, which may hold Debian's medical words)
    is a folder that does not exist, so the findings do not depend on what this machine has."""
    spelling = {k: options.pop(k) for k in ("word-list-files", "spell-check-names") if k in options}
    grammar = {"backend": "harper", "home": "/nonexistent/languagetool", **options}
    return resolve(Config(values={"rules": {"grammar": grammar, "spelling": spelling}}), build_registry(entry_points=[]),
                   select=["grammar", "spelling"])


@pytest.fixture(scope="module")
def settings():
    return settings_with()


def grammar(text, settings, path="a.md"):
    """(line, column, end column, rule id and lint kind, suggestion) of each grammar and spelling finding."""
    return [(v.line, v.column, v.end_column, v.message.rsplit(" (", 1)[-1].rstrip(")"), v.suggestion)
            for v in lint_text(path, text, settings) if v.code in ("HL401", "HL402")]


def test_known_errors_at_exact_positions_outside_front_matter_code_and_urls(settings):
    assert grammar(ARTICLE, settings) == [
        (11, 1, 6, "TheirToThere, Grammar", "There"),
        (11, 31, 32, "AnA, Miscellaneous", "an"),
        (13, 4, 8, "PronounVerbAgreement, Agreement", "has"),
    ]


def test_plain_text_files_too(settings):
    assert grammar("Notes\n\nTheir is several ways to book.\n", settings, path="a.txt") == [
        (3, 1, 6, "TheirToThere, Grammar", "There")]


def test_columns_count_characters_after_emoji_and_accents(settings):
    text = "Café 😀 notes.\n\nI ❤️ it. 😀 Their is several ways.\n"
    assert grammar(text, settings) == [(3, 12, 17, "TheirToThere, Grammar", "There")]


def test_suggestions_that_insert_or_remove_are_given_as_the_replacement_of_the_span(settings):
    assert grammar("However there is no cure.\n\nTake the the tablet , then rest.\n", settings) == [
        (1, 1, 8, "DiscourseMarkers, Punctuation", "However,"),   # Harper inserts "," after the span
        (3, 6, 13, "RepeatedWords, Repetition", "the"),
        (3, 20, 21, "CommaFixes, Punctuation", ""),              # Harper removes the space
    ]


def test_medical_words_are_not_spelling_mistakes(settings):
    text = ("Esketamine and SSRIs act on BDNF and NMDA receptors; hypoglycaemia and atorvastatin are "
            "discussed.\n\nShe will recieve her results.\n")
    assert grammar(text, settings) == [(3, 10, 17, "SpellCheck, Spelling", "receive")]
    # names (SSRIs, BDNF) are left alone anyway; checked as words, the list still knows them
    assert grammar(text, settings_with(**{"spell-check-names": True})) == [(3, 10, 17, "SpellCheck, Spelling", "receive")]
    # the word list is what keeps them quiet: Harper alone does not know them
    flagged = {lint.problem_text for lint in harper.Linter().lint(text, language="plaintext")}
    assert {"Esketamine", "SSRIs", "BDNF", "NMDA"} <= flagged


def test_project_word_list(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# our brands\nqwertzuiop\n", encoding="utf-8")
    text = "Our qwertzuiop capsules are sold here.\n"
    [(line, column, end, rule, _)] = grammar(text, settings_with())
    assert (line, column, end, rule) == (1, 5, 15, "SpellCheck, Spelling")
    assert grammar(text, settings_with(**{"word-list-files": [str(words)]})) == []


def test_names_in_footnotes_are_not_spelling_mistakes(settings):
    text = "Sleep helps.[^1]\n\n[^1]: Qwertzuiop X, Sleep and mood. J Sleep. 2020.\n\nA qwertzuiop.\n"
    assert [f[:4] for f in grammar(text, settings)] == [(5, 3, 13, "SpellCheck, Spelling")]


def test_style_lints_that_do_not_fit_health_writing_are_off_by_default_and_can_be_switched_on():
    text = ("The drugs, tests and visits are listed.\n\n"
            "It may, to a certain degree, help some people sleep.\n")
    assert grammar(text, settings_with()) == []
    switched_on = settings_with(**{"harper-enabled-rules": ["OxfordComma", "Hedging"]})
    assert [f[:4] for f in grammar(text, switched_on)] == [
        (1, 12, 17, "OxfordComma, Style"), (3, 9, 28, "Hedging, Miscellaneous")]


def test_rules_can_be_switched_off():
    text = "Their is several ways to book a appointment.\n"
    off = settings_with(**{"harper-disabled-rules": ["TheirToThere", "TheirToTheyre", "AnA"]})
    assert grammar(text, off) == []


def test_dialects_map_to_harpers():
    text = "The colour of the centre.\n\nThe color of the center.\n"
    american = [f[:3] for f in grammar(text, settings_with(language="en-US"))]
    assert american == [(1, 5, 11), (1, 19, 25)]
    for language in ("en-GB", "en-AU", "en-CA"):
        assert [f[:3] for f in grammar(text, settings_with(language=language))] == [(3, 5, 10), (3, 18, 24)], language


def test_a_language_harper_does_not_check_is_a_clear_notice(run, tmp_path):
    (tmp_path / ".healthlint.toml").write_text(
        'select = ["HL0", "HL101", "grammar"]\n[rules.grammar]\nbackend = "harper"\nlanguage = "de-DE"\n',
        encoding="utf-8")
    (tmp_path / "a.md").write_text("Ein Wundermittel. A miracle cure.\n", encoding="utf-8")
    result = run("a.md", grammar=True)
    assert result.exit_code == 2
    assert result.stderr == (
        "healthlint: error: HL401 grammar was selected but cannot run: Harper checks English only (en, en-AU, "
        "en-CA, en-GB, en-IN, en-NZ, en-US, en-ZA), not 'de-DE'; set the grammar rule's backend to "
        "\"languagetool\" for other languages\n")


def test_an_unknown_harper_rule_in_the_config_is_a_clear_error(run, tmp_path):
    (tmp_path / ".healthlint.toml").write_text('[rules.grammar]\nharper-enabled-rules = ["OxfordCommas"]\n',
                                               encoding="utf-8")
    (tmp_path / "a.md").write_text("Text.\n", encoding="utf-8")
    result = run("a.md", grammar=True)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"healthlint: error: {tmp_path / '.healthlint.toml'}: rules.grammar."
                                    "harper-enabled-rules names 'OxfordCommas', which is not a Harper rule; "
                                    "did you mean 'OxfordComma'?")
    assert "Traceback" not in result.stderr


def test_an_unknown_backend_is_a_clear_error(run, tmp_path):
    (tmp_path / ".healthlint.toml").write_text('[rules.grammar]\nbackend = "grammarly"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("Text.\n", encoding="utf-8")
    result = run("a.md", grammar=True)
    assert (result.exit_code, result.stderr) == (
        2, f"healthlint: error: {tmp_path / '.healthlint.toml'}: rules.grammar.backend must be one of auto, harper, "
           "languagetool, both, not 'grammarly'\n")


def test_the_cache_key_changes_with_the_backend_and_harpers_version(monkeypatch):
    harper_settings, lt_settings = settings_with(), settings_with(backend="languagetool")
    assert run_key(harper_settings) != run_key(lt_settings)
    before = run_key(harper_settings)
    monkeypatch.setattr(harper_checker, "version", lambda: "99.0.0")
    assert run_key(harper_settings) != before


def test_many_files_in_threads_each_get_their_own_findings(run, tmp_path):
    (tmp_path / ".healthlint.toml").write_text('select = ["grammar"]\n[rules.grammar]\nbackend = "harper"\n',
                                               encoding="utf-8")
    for i in range(12):
        (tmp_path / f"a{i:02d}.md").write_text(f"Article {i}.\n\n" + "Line.\n" * i + "He have been ill.\n",
                                               encoding="utf-8")
    result = run(".", "-q", "--no-cache", grammar=True)
    assert result.exit_code == 1
    assert [line.split(" ")[:2] for line in result.stdout.splitlines()] == [
        [f"a{i:02d}.md:{3 + i}:4:", "HL401"] for i in range(12)]
    assert result.stderr == ""   # a backend the config names needs no notice (and -q prints none)


def _no_java_env(tmp_path):
    """As on a machine with no Java and no LanguageTool: nothing on PATH, no JAVA_HOME."""
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "HEALTHLINT_LANGUAGETOOL_URL")}
    env.update(PATH=str(tmp_path / "no-bin"), HEALTHLINT_LANGUAGETOOL_HOME=str(tmp_path / "no-languagetool"),
               HEALTHLINT_NO_CACHE="1")
    return env


def test_without_java_the_default_backend_reports_grammar_at_the_right_place(tmp_path):
    (tmp_path / "draft.md").write_text("# Draft\n\nSome tips.\n\nTheir is several ways to sleep better.\n",
                                       encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "healthlint", "--isolated", "--select", "grammar", "draft.md"],
                          cwd=tmp_path, env=_no_java_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == (
        "draft.md:5:1: HL401 Did you mean `there`? (TheirToThere, Grammar) [grammar]")
    assert done.stderr == (f"healthlint: notice: HL401 grammar checked by Harper {harper_checker.version()} "
                           "(built in): LanguageTool is not set up here\n")


def test_without_java_a_languagetool_backend_still_says_what_is_missing(tmp_path):
    (tmp_path / "draft.md").write_text("Their is several ways.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "healthlint", "--isolated", "--grammar-backend", "languagetool",
                           "--select", "grammar", "draft.md"],
                          cwd=tmp_path, env=_no_java_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("healthlint: error: HL401 grammar was selected but cannot run: LanguageTool is "
                                  f"not installed (looked in {tmp_path / 'no-languagetool'}).")


def test_harper_sends_nothing_anywhere(run, tmp_path, monkeypatch):
    import socket
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    (tmp_path / "a.md").write_text("Their is several ways.\n", encoding="utf-8")
    result = run("a.md", "--select", "grammar", "--grammar-backend", "harper", grammar=True)
    assert result.stdout.startswith("a.md:1:1: HL401 ")
    assert attempts == []


def test_the_spec_names_only_harper_rules_that_exist():
    rule = build_registry(entry_points=[]).get("grammar")
    named = rule.options["harper-disabled-rules"] + rule.options["harper-enabled-rules"]
    assert named and harper_checker.unknown_rules(named) == []


def test_harper_is_a_dependency_of_healthlint():
    import tomllib
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("harper-py") for d in project["project"]["dependencies"])


def test_the_examples_get_these_grammar_findings_and_the_balanced_article_none():
    root = Path(__file__).resolve().parent.parent   # the repository's .healthlint.toml: British English
    done = subprocess.run([sys.executable, "-m", "healthlint", "examples/", "--select", "grammar", "--grammar-backend",
                           "harper", "-q", "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120)
    assert [line.split(" (")[0].split(" HL401 ")[0] + " " + line.rsplit("(", 1)[1] for line in done.stdout.splitlines()] == [
        "examples/turmeric-supplement.md:66:30: PronounVerbAgreement, Agreement) [grammar]"]   # "If you doesn't"


def test_an_initial_is_not_a_misspelling(settings):
    checked = settings_with(**{"spell-check-names": True})   # so that names are checked, initials aside
    assert [f[:2] for f in grammar("> — Doreen M., Shropshire\n\nA qwertzuiop.\n", checked)] == [(3, 3)]


def test_names_are_not_misspellings_unless_asked(settings):
    text = ("Dr Okafor of Kerala prescribed Lumasleep.\n\nOkafor said GoldenRoot and GOLDEN25 sell qwertzuiop.\n")
    # only the lowercase word, and Okafor where a sentence begins, could be slips
    assert [f[:3] for f in grammar(text, settings)] == [(3, 1, 7), (3, 42, 52)]
    checked = [f[:3] for f in grammar(text, settings_with(**{"spell-check-names": True}))]
    assert {(1, 4, 10), (1, 14, 20), (1, 32, 41), (3, 13, 23), (3, 28, 36)} <= set(checked)


def test_health_writing_that_harper_misreads_by_default_stays_silent(settings):
    text = ("Better sleep leads to improved mood.\n\nMultiple sclerosis is a disease of the nerves.\n\n"
            "In the 70s it was given intranasally.\n\nShe will recieve it.\n")
    assert [f[:3] for f in grammar(text, settings)] == [(7, 10, 17)]


# --- spelling (HL402): its own rule, sharing grammar's check ---

def test_spelling_is_its_own_rule_an_info_that_shares_one_check_with_grammar(monkeypatch):
    from healthlint.checks.grammar import Harper
    calls = []
    real = Harper.check
    monkeypatch.setattr(Harper, "check", lambda self, *args: calls.append(1) or real(self, *args))
    text = "Their is several ways to take ibuprofin.\n"
    found = [(v.code, v.column, str(v.severity)) for v in lint_text("a.md", text, settings_with())]
    assert found == [("HL401", 1, "warning"), ("HL402", 31, "info")]
    assert calls == [1]


def test_grammar_alone_reports_no_spelling_and_spelling_alone_no_grammar():
    text = "Their is several ways to take ibuprofin.\n"
    registry = build_registry(entry_points=[])
    config = Config(values={"rules": {"grammar": {"backend": "harper", "home": "/nonexistent/languagetool"}}})
    for select, expected in (["grammar"], [("HL401", 1)]), (["spelling"], [("HL402", 31)]):
        settings = resolve(config, registry, select=select)
        assert [(v.code, v.column) for v in lint_text("a.md", text, settings)] == expected, select


def test_spelling_takes_the_backend_given_on_the_command_line(run, tmp_path):
    (tmp_path / "a.md").write_text("Take ibuprofin with food.\n", encoding="utf-8")
    result = run("a.md", "--select", "spelling", "--grammar-backend", "harper", grammar=True)
    assert result.stdout.splitlines()[0] == (
        'a.md:1:6: HL402 "ibuprofin": Did you mean `ibuprofen`? (SpellCheck, Spelling) [spelling]')
    assert result.exit_code == 0   # an info: spelling does not fail the run unless its severity is raised


def test_a_config_that_sets_spelling_options_on_grammar_is_told_where_they_went(run, tmp_path):
    (tmp_path / ".healthlint.toml").write_text('[rules.grammar]\nword-list-files = ["words.txt"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("Text.\n", encoding="utf-8")
    result = run("a.md")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"healthlint: error: {tmp_path / '.healthlint.toml'}: rules.grammar.word-list-files "
                             "has moved: set it under rules.spelling\n")


def test_without_java_one_notice_names_grammar_and_spelling(tmp_path):
    (tmp_path / "draft.md").write_text("Take ibuprofin.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "healthlint", "--isolated", "--select", "grammar,spelling", "draft.md"],
                          cwd=tmp_path, env=_no_java_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.stderr == (f"healthlint: notice: HL401 grammar, HL402 spelling checked by Harper "
                           f"{harper_checker.version()} (built in): LanguageTool is not set up here\n")
    assert done.stdout.splitlines()[0].startswith('draft.md:1:6: HL402 "ibuprofin": ')
