"""Parallel runs and the result cache: same output whatever the jobs and cache (correctness, not timing)."""
import json
from pathlib import Path

import pytest

from healthlint import cache
from healthlint.config import Config, resolve
from healthlint.engine import RESULTS, lint_files
from healthlint.files import discover

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(autouse=True)
def _fresh_cache(tmp_path):
    cache.configure(tmp_path / "cache")
    yield
    cache.configure()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for source in sorted(EXAMPLES.glob("*.*")):
        (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def lint(folder, registry, jobs=1, **values):
    config = Config(root=folder, values=values)
    settings = resolve(config, registry, ignore=["HL401"])
    found = discover([str(folder)], config.include, config.exclude, config.root, None)
    return lint_files(found.files, settings, config.max_file_size, config.root, None, jobs=jobs)


def test_serial_and_parallel_runs_give_identical_output(corpus, registry):
    cache.configure(use=False)
    serial, parallel = lint(corpus, registry, jobs=1), lint(corpus, registry, jobs=3)
    assert parallel.files_linted == serial.files_linted == 6
    assert serial.violations == parallel.violations and len(serial.violations) > 50
    assert (serial.files_checked, serial.files_failed) == (parallel.files_checked, parallel.files_failed)


def test_a_cached_run_gives_the_same_output_and_lints_nothing(corpus, registry):
    first = lint(corpus, registry, jobs=2)
    second = lint(corpus, registry, jobs=2)
    assert (first.files_linted, first.cache_hits) == (6, 0)
    assert (second.files_linted, second.cache_hits) == (0, 6)
    assert second.violations == first.violations


@pytest.mark.parametrize("jobs", [1, 2])
def test_editing_one_file_relints_only_that_file(corpus, registry, jobs):
    first = lint(corpus, registry, jobs=jobs)
    article = corpus / "sleep-tips.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nThis tea cures insomnia.\n", encoding="utf-8")
    (corpus / "broken.md").write_bytes(b"\xff\xfe not UTF-8")   # read, unreadable, among cached files
    second = lint(corpus, registry, jobs=jobs)
    assert (second.files_linted, second.cache_hits, second.files_failed) == (1, 5, 1)
    new = [v for v in second.violations if v not in first.violations]
    assert [(Path(v.path).name, v.code, v.column) for v in new] == [("broken.md", "HL001", 1),
                                                                      ("sleep-tips.txt", "HL101", 10)]
    cache.configure(use=False)
    assert lint(corpus, registry, jobs=1).violations == second.violations   # as if nothing was cached


def test_changing_the_config_relints_every_file(corpus, registry):
    lint(corpus, registry)
    again = lint(corpus, registry, rules={"long-sentence": {"max-words": 40}})
    assert again.files_linted == 6


def test_a_corrupted_entry_is_ignored_and_rebuilt(corpus, registry, tmp_path):
    first = lint(corpus, registry)
    entries = sorted((tmp_path / "cache" / RESULTS).rglob("*.json"))
    assert len(entries) == 6
    entries[0].write_text('{"not": "a list', encoding="utf-8")
    entries[1].write_text(json.dumps([["bad row"]]), encoding="utf-8")
    second = lint(corpus, registry)
    assert (second.files_linted, second.cache_hits) == (2, 4)
    assert second.violations == first.violations
    json.loads(entries[0].read_text(encoding="utf-8"))   # written again, whole
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_no_cache_reads_and_writes_nothing(corpus, registry, tmp_path):
    cache.configure(tmp_path / "cache", use=False)
    assert lint(corpus, registry).files_linted == lint(corpus, registry).files_linted == 6
    assert not (tmp_path / "cache").exists()


def test_cache_dir_from_the_command_line_and_the_config(run, tmp_path, monkeypatch):
    monkeypatch.delenv("HEALTHLINT_CACHE_DIR")
    (tmp_path / "a.md").write_text("Turmeric cures arthritis.\n", encoding="utf-8")
    first = run("a.md", "--cache-dir", str(tmp_path / "cli-cache"), "--jobs", "2")
    assert len(list((tmp_path / "cli-cache" / RESULTS).rglob("*.json"))) == 1
    config = tmp_path / ".healthlint.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'cache-dir = "my-cache"\n', encoding="utf-8")
    second = run("a.md")
    assert second.output == first.output and "HL101" in first.output
    assert len(list((tmp_path / "my-cache" / RESULTS).rglob("*.json"))) == 1


def test_cache_dir_must_be_a_string(run, tmp_path):
    config = tmp_path / ".healthlint.toml"
    config.write_text(config.read_text(encoding="utf-8") + "cache-dir = 3\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Text.\n", encoding="utf-8")
    result = run("a.md")
    assert result.exit_code == 2
    assert "'cache-dir' must be a folder path (a string), not 3" in result.output
