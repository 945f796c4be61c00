import pytest
from click.testing import CliRunner

from healthlint import cli
from healthlint.config import Config, resolve
from healthlint.engine import lint_text
from healthlint.registry import build_registry


# the core rules: tests of the engine use these, so new rules do not change their outputs
CORE = ["HL0", "HL101", "HL102"]


@pytest.fixture(autouse=True)
def _isolated_services(tmp_path_factory, monkeypatch):
    """No test reads the user's cache or talks to a LanguageTool it did not ask for."""
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("HEALTHLINT_LANGUAGETOOL_URL", raising=False)
    monkeypatch.delenv("HEALTHLINT_NO_CACHE", raising=False)


@pytest.fixture(scope="session")
def registry():
    return build_registry()


@pytest.fixture
def lint(registry):
    """lint(text, select=CORE, path="case.md", **config) -> violations."""
    def run(text, select=CORE, path="case.md", **values):
        config = Config(values={k.replace("_", "-"): v for k, v in values.items()})
        settings = resolve(config, registry, select=select)
        return lint_text(path, text, settings)
    return run


@pytest.fixture
def run(tmp_path, monkeypatch):
    """run(*args, input=None, env=None, grammar=False) in an isolated folder -> click Result.
    The folder's .healthlint.toml selects HL0xx, HL101 and HL102. Grammar is ignored unless asked
    for: it needs a LanguageTool server (tests/test_grammar.py). So is spelling, which runs the same check."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    # core behaviour is tested with the first rules only, so new rules do not change these outputs;
    # a test that writes its own .healthlint.toml replaces this one
    (tmp_path / ".healthlint.toml").write_text(f"select = {CORE!r}\n".replace("'", '"'), encoding="utf-8")

    def invoke(*args, input=None, env=None, grammar=False):
        args = list(args) + ([] if grammar or "--list-rules" in args else ["--ignore", "grammar,spelling"])
        return CliRunner().invoke(cli.main, args, input=input, env=env, catch_exceptions=False)
    return invoke

