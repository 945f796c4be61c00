"""Where the report goes: a full disk, a closed standard output, a reader that stops early, and
file names that are not UTF-8. Real processes: click's CliRunner cannot close or fill stdout."""
import json
import os
import signal
import subprocess
import sys

import pytest
from hltest import MIRACLE_MSG, write

from healthlint import cli

COMMAND = [sys.executable, "-m", "healthlint", "--select", "HL101"]


def healthlint(cwd, *args, **popen):
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")  # strict UTF-8, whatever the locale
    return subprocess.run([*COMMAND, *args], cwd=cwd, env=env, stderr=subprocess.PIPE, timeout=60, **popen)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_a_clear_error(tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    with open("/dev/full", "w") as full:
        done = healthlint(tmp_path, "a.md", stdout=full)
    assert (done.returncode, done.stderr) == (2, b"healthlint: error: cannot write the report: No space left on device\n")


def test_a_closed_standard_output_is_a_clear_error(tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    done = healthlint(tmp_path, "a.md", stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert (done.returncode, done.stderr) == (2, b"healthlint: error: cannot write the report: standard output is closed\n")


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n" * 5000)   # far more than a pipe holds
    env = dict(os.environ, NO_COLOR="1")
    process = subprocess.Popen([*COMMAND, "a.md"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    first = process.stdout.readline()   # as `healthlint a.md | head -1`
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == cli.EXIT_BROKEN_PIPE == 128 + signal.SIGPIPE
    assert first.startswith(b"a.md:1:3: HL101") and stderr == b""


def test_a_closed_standard_input_reads_as_empty(tmp_path):
    write(tmp_path / "a.md", "A miracle cure.\n")
    done = healthlint(tmp_path, "a.md", "-", "--extend-select", "HL004", stdout=subprocess.PIPE,
                      preexec_fn=lambda: os.close(0))
    assert (done.returncode, done.stderr) == (1, b"")
    assert done.stdout.decode("utf-8").splitlines()[:2] == [
        "-:1:1: HL004 file is empty or has no prose; nothing was checked [empty-file]",
        f"a.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]"]


def _bad_name(folder) -> str:
    """Create bad\\xffname.md, a name that is not UTF-8; return it as Python spells it."""
    name = os.fsdecode(b"bad\xffname.md")
    (folder / name).write_text("A miracle cure.\n", encoding="utf-8")
    return name


def test_a_name_that_is_not_utf8_shows_the_byte_escaped(tmp_path):
    done = healthlint(tmp_path, _bad_name(tmp_path), os.fsdecode(b"nope\xff.md"), "--no-cache",
                      stdout=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stdout.decode("utf-8").splitlines()[0] == f"bad\\xffname.md:1:3: HL101 {MIRACLE_MSG} [absolute-claim]"
    assert done.stderr == b"healthlint: error: nope\\xff.md: no such file or directory\n"


@pytest.mark.parametrize("output_format", ["json", "sarif", "junit", "html", "github"])
def test_a_name_that_is_not_utf8_in_every_format(tmp_path, output_format):
    done = healthlint(tmp_path, _bad_name(tmp_path), "--format", output_format, "--no-cache", stdout=subprocess.PIPE)
    assert (done.returncode, done.stderr) == (1, b"")
    out = done.stdout.decode("utf-8")
    if output_format == "json":
        assert json.loads(out)[0]["path"] == "bad\\xffname.md"
    else:
        assert "bad%FFname.md" in out if output_format == "sarif" else "bad\\xffname.md" in out  # a URI: the raw byte


def test_a_name_that_is_not_utf8_with_the_cache(tmp_path):
    done = healthlint(tmp_path, _bad_name(tmp_path), stdout=subprocess.PIPE)
    assert (done.returncode, done.stderr) == (1, b"")
