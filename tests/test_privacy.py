"""Drafts are unpublished: without a configured server, no text leaves the machine."""
import socket
from pathlib import Path

import pytest

from healthlint import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network use is not allowed in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


def test_linting_every_example_opens_no_connection(run, tmp_path, no_network):
    (tmp_path / ".healthlint.toml").unlink()
    for article in EXAMPLES.glob("*.*"):
        (tmp_path / article.name).write_bytes(article.read_bytes())
    for fmt in ("text", "json", "sarif", "junit", "html", "github"):
        result = run(".", "--format", fmt, "--jobs", "1", "--preset", "strict", grammar=True,
                     env={"HEALTHLINT_LANGUAGETOOL_HOME": str(tmp_path / "none")})
        assert result.exit_code == 1, result.stderr
    assert no_network == []


def test_grammar_connects_only_to_the_configured_server(run, tmp_path, no_network):
    (tmp_path / "a.md").write_text("She go to the clinic.\n", encoding="utf-8")
    result = run("a.md", "--select", "grammar", "--languagetool-url", "http://127.0.0.1:9", grammar=True)
    assert result.exit_code == 1
    assert {address[0] for address in no_network} == {"127.0.0.1"}
