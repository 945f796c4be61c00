import pytest
from click.testing import CliRunner

from healthlint import cli
from healthlint.config import Config, resolve
from healthlint.engine import lint_text
from healthlint.registry import build_registry


@pytest.fixture(scope="session")
def registry():
    return build_registry()


@pytest.fixture
def lint(registry):
    """lint(text, select=None, path="case.md", **config) -> violations."""
    def run(text, select=None, path="case.md", **values):
        config = Config(values={k.replace("_", "-"): v for k, v in values.items()})
        settings = resolve(config, registry, select=select)
        return lint_text(path, text, settings)
    return run


@pytest.fixture
def run(tmp_path, monkeypatch):
    """run(*args, input=None, env=None) in an isolated folder -> click Result."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)

    def invoke(*args, input=None, env=None):
        return CliRunner().invoke(cli.main, list(args), input=input, env=env, catch_exceptions=False)
    return invoke

