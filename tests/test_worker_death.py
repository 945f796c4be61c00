"""A lint worker that dies (a plugin calling os._exit) is reported, never waited for forever."""
import subprocess
import sys

SCRIPT = r"""
import os, sys
from pathlib import Path
from healthlint.config import Config, resolve
from healthlint.engine import lint_files
from healthlint.files import InputFile
from healthlint.model import Rule

class Dies(Rule):
    def check(self, doc, options):
        if "die" in doc.path:
            os._exit(3)
        return ()

folder = Path(sys.argv[1])
files = []
for name in ["a.md", "b.md", "die.md", "c.md", "d.md", "e.md"] + [f"z{i:03}.md" for i in range(120)]:
    (folder / name).write_text("It is a miracle cure.\n", encoding="utf-8")
    files.append(InputFile(name, folder / name))
from healthlint.registry import build_registry
registry = build_registry(entry_points=[])
registry.add(Dies(code="PL901", name="dies", summary="dies", source="plugin 'dies'"))
settings = resolve(Config(), registry, select=["PL901", "HL101"])
report = lint_files(files, settings, 10**6, folder, jobs=2)
for v in report.violations:
    print(v.path, v.code)
print("failed", report.files_failed)
"""


def test_a_dead_worker_is_reported_and_the_run_ends(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "die.md HL002" in lines                       # the file whose worker died
    assert lines[-1].startswith("failed ") and int(lines[-1].split()[1]) >= 1
    # the files of its chunk and after it are reported too: each is a line, none is silently missing
    assert all(f"{name} HL002" in lines or f"{name} HL101" in lines for name in ("a.md", "e.md", "z119.md"))


def test_many_files_in_parallel_give_the_findings_of_one_process(tmp_path):
    # enough files for the workers to take them in chunks
    script = SCRIPT.replace('"die" in doc.path', 'False')
    runs = [subprocess.run([sys.executable, "-c", script.replace("jobs=2", f"jobs={jobs}"), str(tmp_path)],
                           capture_output=True, text=True, timeout=120) for jobs in (1, 2)]
    assert runs[0].returncode == runs[1].returncode == 0, runs[1].stderr
    assert runs[0].stdout == runs[1].stdout
    assert runs[1].stdout.count(" HL101") == 126
