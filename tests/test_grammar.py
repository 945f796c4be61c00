"""HL401 grammar against a real LanguageTool server (installed by `healthlint-languagetool install`,
which .ci/run runs). In CI a missing LanguageTool fails these tests instead of skipping them.
Harper, the checker built in, is tested in tests/test_harper.py; the two together here."""
import os
import signal
import subprocess
import sys
import time

import pytest

from healthlint.checks.grammar import LanguageTool
from healthlint.config import Config, resolve
from healthlint.engine import lint_text
from healthlint.languagetool import default_home, installed_version, local_server, stop_all
from healthlint.registry import build_registry

if installed_version(default_home()) is None:
    if os.environ.get("CI"):
        raise RuntimeError("LanguageTool is not installed: run healthlint-languagetool install")
    pytest.skip("LanguageTool is not installed (healthlint-languagetool install)", allow_module_level=True)

ARTICLE = """\
---
title: Their are many reasons
---

# Check-ups

```
She go to the clinic.
```

Their are many reasons to book a annual exam with `She go` in code.
Every year she go to the clinic.
"""


def lt_settings(select=("grammar", "spelling"), backend="languagetool"):
    return resolve(Config(), build_registry(entry_points=[]), select=list(select),
                   overrides={"HL401": {"backend": backend}})   # spelling takes grammar's


@pytest.fixture(scope="module")
def settings():
    return lt_settings()


def grammar(text, settings, path="a.md"):
    return [(v.line, v.column, v.end_column, v.message.split(" (")[-1].rstrip(")"), v.suggestion)
            for v in lint_text(path, text, settings) if v.code in ("HL401", "HL402")]


def test_known_errors_at_exact_positions_outside_front_matter_and_code(settings):
    assert grammar(ARTICLE, settings) == [
        (11, 1, 6, "THEIR_IS, CONFUSED_WORDS", "There"),
        (11, 32, 33, "EN_A_VS_AN, MISC", "an"),
        (12, 16, 18, "HE_VERB_AGR, GRAMMAR", "goes"),
    ]


def test_columns_count_characters_after_emoji_and_accents(settings):
    text = "Café 😀 notes.\n\nI ❤️ it. 😀 Their are many reasons.\n"
    assert grammar(text, settings) == [(3, 12, 17, "THEIR_IS, CONFUSED_WORDS", "There")]


def test_medical_words_are_not_spelling_mistakes(settings):
    text = ("Esketamine and SSRIs act on BDNF and NMDA receptors; hypoglycaemia and atorvastatin are "
            "discussed.\n\nShe will recieve her results.\n")
    assert grammar(text, settings) == [(3, 10, 17, "MORFOLOGIK_RULE_EN_US, TYPOS", "receive")]


def test_project_word_list(settings, tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# our brands\nqwertzuiop\n", encoding="utf-8")
    text = "Our qwertzuiop capsules are sold here.\n"
    assert [f[:4] for f in grammar(text, settings)] == [(1, 5, 15, "MORFOLOGIK_RULE_EN_US, TYPOS")]
    settings.options["HL402"]["word-list-files"] = [str(words)]
    try:
        assert grammar(text, settings) == []
    finally:
        settings.options["HL402"]["word-list-files"] = []


def test_disabled_rules_and_categories(settings):
    text = "Their are many reasons to book a annual exam.\n"
    options = settings.options["HL401"]
    saved = dict(options)
    try:
        options["disabled-rules"] = options["disabled-rules"] + ["THEIR_IS"]
        options["disabled-categories"] = ["MISC"]
        assert grammar(text, settings) == []
    finally:
        options.update(saved)


def test_second_run_uses_the_cache_and_makes_no_server_call(settings, monkeypatch):
    text = "A cached check: she go to the clinic on Tuesdays.\n"
    first = grammar(text, settings)
    assert [f[:2] for f in first] == [(1, 21)]

    def no_server(*args, **kwargs):
        raise AssertionError("the cached run called LanguageTool")
    monkeypatch.setattr(LanguageTool, "_language_tool", no_server)
    assert grammar(text, settings) == first


def test_a_server_killed_mid_run_gives_per_file_errors_without_hanging(tmp_path):
    home = default_home()
    settings = lt_settings(["grammar", "HL101"])
    assert [v.code for v in lint_text("a.md", "She go to the clinic, a miracle cure.", settings)] == [
        "HL401", "HL101"]
    server = local_server(home)
    server.process.kill()
    server.process.wait()
    started = time.monotonic()
    for name in ("b.md", "c.md"):
        violations = lint_text(name, f"In {name} she go to the clinic for a miracle cure.", settings)
        assert [(v.code, v.message) for v in violations] == [
            ("HL002", "rule HL401 grammar could not check this file: the LanguageTool server stopped "
                      "(exit code -9)"),
            ("HL101", '"miracle cure" is an absolute claim; describe what the evidence shows instead'),
        ]
    assert time.monotonic() - started < 5
    stop_all()


def test_an_unreachable_server_url_is_a_clear_per_file_error():
    settings = lt_settings(backend="auto")   # a configured URL is LanguageTool's, whatever else is here
    settings.options["HL401"]["url"] = "http://127.0.0.1:9"
    [violation] = lint_text("a.md", "She go to the clinic.", settings)
    assert violation.code == "HL002"
    assert violation.message.startswith("rule HL401 grammar could not check this file: LanguageTool at "
                                        "http://127.0.0.1:9 did not answer: ")


def test_cli_uses_a_configured_server_url(run, tmp_path):
    url = local_server(default_home()).ensure_started()
    (tmp_path / "a.md").write_text("She go to the clinic.\n", encoding="utf-8")
    result = run("a.md", "--select", "grammar", "--languagetool-url", url, grammar=True)
    assert result.stdout.splitlines()[0].startswith("a.md:1:5: HL401 ")
    assert result.exit_code == 1


def test_cli_without_languagetool_prints_one_notice_and_runs_the_rest(run, tmp_path):
    (tmp_path / "a.md").write_text("A miracle cure.\n\nAnother miracle cure.\n", encoding="utf-8")
    missing = tmp_path / "no-languagetool"
    (tmp_path / ".healthlint.toml").unlink()  # every rule on by default, grammar among them
    result = run("a.md", "--grammar-backend", "languagetool", grammar=True,
                 env={"HEALTHLINT_LANGUAGETOOL_HOME": str(missing)})
    assert result.stderr == (
        f"healthlint: notice: HL401 grammar, HL402 spelling skipped: LanguageTool is not installed (looked in {missing}). "
        "Install it with 'healthlint-languagetool install' (needs Java 17+ and Maven), or point at a running "
        "server with --languagetool-url or HEALTHLINT_LANGUAGETOOL_URL.\n")
    assert [line.split(" ")[1] for line in result.stdout.splitlines() if " HL101 " in line] == ["HL101", "HL101"]
    assert result.exit_code == 1


def test_cli_explicit_grammar_without_languagetool_exits_2(run, tmp_path):
    (tmp_path / "a.md").write_text("She go.\n", encoding="utf-8")
    missing = tmp_path / "no-languagetool"
    result = run("a.md", "--select", "grammar", "--grammar-backend", "languagetool", grammar=True,
                 env={"HEALTHLINT_LANGUAGETOOL_HOME": str(missing)})
    assert result.exit_code == 2
    assert result.stderr.startswith("healthlint: error: HL401 grammar was selected but cannot run: "
                                    f"LanguageTool is not installed (looked in {missing}).")
    assert result.stdout == ""


def _healthlint(tmp_path, *args, **kwargs):
    env = {**os.environ, "HEALTHLINT_NO_CACHE": "1"}
    # a shell without job control starts background jobs with SIGINT ignored: give it back
    return subprocess.Popen([sys.executable, "-m", "healthlint", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs)


def _wait_with_children(process, timeout):
    """Wait for a healthlint process; return its exit code, output and the Java servers it started."""
    seen, deadline = set(), time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        seen |= children(process.pid)
        time.sleep(0.05)
    out, err = process.communicate(timeout=max(1, deadline - time.monotonic()))
    return process.returncode, out, err, seen


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid), "-f", "languagetool-server.jar"], capture_output=True,
                         text=True).stdout
    return {int(p) for p in out.split()}


def alive(pids):
    return {pid for pid in pids if os.path.exists(f"/proc/{pid}")}


def test_a_real_run_leaves_no_java_process(tmp_path):
    for i in range(3):
        (tmp_path / f"a{i}.md").write_text(f"Article {i}: she go to the clinic.\n", encoding="utf-8")
    code, out, err, servers = _wait_with_children(_healthlint(tmp_path, ".", "--select", "grammar", "-q"), 120)
    assert code == 1, err
    assert [line.split(" ")[:2] for line in out.splitlines()] == [
        ["a0.md:1:16:", "HL401"], ["a1.md:1:16:", "HL401"], ["a2.md:1:16:", "HL401"]]
    assert len(servers) == 1  # one server for the whole run
    assert alive(servers) == set()


def _a_run_with_its_server(tmp_path, *args):
    """healthlint started on 40 articles, once its LanguageTool server runs: (process, server pids)."""
    for i in range(40):
        (tmp_path / f"a{i}.md").write_text(f"Article {i}: she go to the clinic.\n" * 50, encoding="utf-8")
    process = _healthlint(tmp_path, ".", *args)
    servers, deadline = set(), time.monotonic() + 60
    while not servers and time.monotonic() < deadline:
        servers = children(process.pid)
        time.sleep(0.05)
    assert servers, "the server never started"
    time.sleep(1.0)
    return process, servers


@pytest.mark.parametrize("signum,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_kill_stops_promptly_and_leaves_no_java(tmp_path, signum, code):
    process, servers = _a_run_with_its_server(tmp_path, "--select", "grammar")
    process.send_signal(signum)
    started = time.monotonic()
    out, err = process.communicate(timeout=20)
    assert time.monotonic() - started < 10
    assert process.returncode == code
    assert "Traceback" not in err
    if signum == signal.SIGINT:
        assert err.splitlines()[-1] == "healthlint: error: interrupted"
    assert alive(servers | children(process.pid)) == set()


def test_a_killed_healthlint_leaves_no_java_and_no_worker(tmp_path):
    process, servers = _a_run_with_its_server(tmp_path, "--select", "grammar,HL1", "-j", "2")
    left = {int(p) for p in subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                           text=True).stdout.split()}   # the server and the lint workers
    assert servers <= left and len(left) >= 2
    process.kill()   # SIGKILL: no handler of healthlint's runs
    process.communicate(timeout=20)
    deadline = time.monotonic() + 15
    while alive(left) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive(left) == set()


# --- faults (issue 9): each gives a clear message per file, the other rules still run ---

def _grammar_and_hl101(url="", home=None, timeout=None):
    settings = lt_settings(["grammar", "HL101"])
    options = settings.options["HL401"]
    options["url"] = url
    if home is not None:
        options["home"] = str(home)
    if timeout is not None:
        options["timeout"] = timeout
    return settings


def test_java_missing(run, tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("She go.\n", encoding="utf-8")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = run("a.md", "--select", "grammar", "--grammar-backend", "languagetool", grammar=True)
    assert (result.exit_code, result.stderr) == (
        2, "healthlint: error: HL401 grammar was selected but cannot run: Java was not found; LanguageTool "
           "needs Java 17 or newer (set JAVA_HOME or put java on PATH).\n")


def test_a_server_that_fails_to_start(tmp_path):
    import zipfile
    home = tmp_path / "lt"
    home.mkdir()
    with zipfile.ZipFile(home / "languagetool-server.jar", "w") as jar:  # no LanguageTool classes in it
        jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
    settings = _grammar_and_hl101(home=home)
    try:
        for name in ("a.md", "b.md"):
            violations = lint_text(name, "She go to a miracle cure.", settings)
            assert [v.code for v in violations] == ["HL002", "HL101"]
            assert violations[0].message.startswith(
                "rule HL401 grammar could not check this file: the LanguageTool server did not start: it exited "
                "with code 1: ")
            assert "org.languagetool.server.HTTPServer" in violations[0].message
    finally:
        stop_all()


def test_a_taken_port_is_retried(monkeypatch):
    import socket

    import healthlint.languagetool as lt
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    ports = [taken.getsockname()[1]]
    real_free_port = lt._free_port
    monkeypatch.setattr(lt, "_free_port", lambda: ports.pop() if ports else real_free_port())
    server = lt.LocalServer(default_home())
    try:
        url = server.ensure_started()
        assert url != f"http://127.0.0.1:{taken.getsockname()[1]}" and not ports
    finally:
        server.close()
        taken.close()


def test_a_request_that_times_out(tmp_path):
    settings = _grammar_and_hl101(url=local_server(default_home()).ensure_started(), timeout=0.001)
    violations = lint_text("a.md", "She go to a miracle cure. " * 200, settings)
    assert [v.code for v in violations][:2] == ["HL002", "HL101"]
    assert violations[0].message.startswith("rule HL401 grammar could not check this file: LanguageTool did "
                                            "not check this file: LanguageToolError: ")
    assert "timed out" in violations[0].message.lower()


def test_a_server_that_answers_garbage():
    import http.server
    import threading

    class Garbage(http.server.BaseHTTPRequestHandler):
        def _garbage(self):
            body = b"<html>not LanguageTool</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _garbage

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = _grammar_and_hl101(url=f"http://127.0.0.1:{server.server_address[1]}")
        violations = lint_text("a.md", "She go to a miracle cure.", settings)
        assert [v.code for v in violations] == ["HL002", "HL101"]
        assert violations[0].message.startswith(
            f"rule HL401 grammar could not check this file: LanguageTool at "
            f"http://127.0.0.1:{server.server_address[1]} did not answer: ")
    finally:
        server.shutdown()


# --- backends (issue 19): auto picks LanguageTool where it is set up; both merges the two ---

def test_auto_uses_languagetool_where_it_is_installed(run, tmp_path):
    (tmp_path / "a.md").write_text("Their is several ways to book.\n", encoding="utf-8")
    result = run("a.md", "--select", "grammar", grammar=True)
    assert result.stdout.splitlines()[0] == "a.md:1:1: HL401 Did you mean “there”? (THEIR_IS, CONFUSED_WORDS) [grammar]"
    assert result.stderr == ""   # where LanguageTool is set up, auto uses it without a word


def test_auto_without_java_falls_back_to_harper(run, tmp_path, monkeypatch):
    from healthlint import harper_checker
    (tmp_path / "a.md").write_text("Their is several ways to book.\n", encoding="utf-8")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = run("a.md", "--select", "grammar", grammar=True)
    assert result.stdout.splitlines()[0] == "a.md:1:1: HL401 Did you mean `there`? (TheirToThere, Grammar) [grammar]"
    assert result.stderr == (f"healthlint: notice: HL401 grammar checked by Harper {harper_checker.version()} "
                             "(built in): LanguageTool is not set up here\n")


def test_both_keeps_one_finding_where_both_checkers_flag_the_same_words():
    text = "Their is several ways to book a appointment.\n\nTake the tablet , then rest.\n"
    assert grammar(text, lt_settings(backend="harper")) == [
        (1, 1, 6, "TheirToThere, Grammar", "There"), (1, 31, 32, "AnA, Miscellaneous", "an"),
        (3, 16, 17, "CommaFixes, Punctuation", "")]
    assert grammar(text, lt_settings()) == [
        (1, 1, 6, "THEIR_IS, CONFUSED_WORDS", "There"), (1, 31, 32, "EN_A_VS_AN, MISC", "an")]
    assert grammar(text, lt_settings(backend="both")) == [   # LanguageTool's where both are; Harper's comma
        (1, 1, 6, "THEIR_IS, CONFUSED_WORDS", "There"), (1, 31, 32, "EN_A_VS_AN, MISC", "an"),
        (3, 16, 17, "CommaFixes, Punctuation", "")]


def test_medical_words_are_not_spelling_mistakes_for_either_backend_nor_both():
    text = "Esketamine and SSRIs act on BDNF and NMDA receptors.\n\nShe will recieve her esketamine.\n"
    for backend in ("languagetool", "harper", "both"):
        found = [f for f in grammar(text, lt_settings(backend=backend))]
        assert [f[:3] for f in found] == [(3, 10, 17)], backend
