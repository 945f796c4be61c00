"""A real (non-editable) install carries the rule packs inside the wheel."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(ROOT)], check=True)
    return next(out.glob("healthlint-*.whl"))


def test_wheel_contains_rule_packs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {p.relative_to(ROOT).as_posix() for p in (ROOT / "rules").rglob("*.yml")}
    assert packs and {f"healthlint/{p}" for p in packs} <= names


def test_installed_wheel_runs_from_its_own_files(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                    str(wheel)], check=True)
    article = tmp_path / "a.md"
    article.write_text("A miracle cure.\n", encoding="utf-8")
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    where = subprocess.run([sys.executable, "-c", "import healthlint.resources as r; print(r.rules_dir())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(target / "healthlint" / "rules")
    done = subprocess.run([sys.executable, "-m", "healthlint", "a.md", "-q", "--select", "HL101"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (
        1, 'a.md:1:3: HL101 "miracle cure" is an absolute claim; describe what the evidence shows instead '
           "[absolute-claim]\n")
