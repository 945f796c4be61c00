"""Plugins: the example package in examples/plugin installed for real, broken plugins, and
`load_plugins` in-process.

The end-to-end tests build throw-away virtualenvs, pip-install plugin packages into them
(no network: `--no-index --no-deps --no-build-isolation`) and run `python -m healthlint`
there, so plugins are found the way users' plugins are: through installed entry points.
"""
from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from hltest import write

import healthlint
from healthlint.config import Config, resolve
from healthlint.engine import lint_text
from healthlint.model import Rule, Severity
from healthlint.registry import Registry, build_registry, load_plugins

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "plugin"
GROUP = "healthlint.rules"

# setuptools < 70.1 needs the separate `wheel` package to build a wheel; with
# --no-build-isolation pip cannot fetch it. If the environment lacks it, the packages are
# built with hatchling (healthlint's own build backend) instead; only the [build-system]
# table changes, the [project] metadata and entry points stay as written.
CAN_BUILD_WITH_SETUPTOOLS = """\
import setuptools.build_meta
try:
    import setuptools.command.bdist_wheel
except ImportError:
    import wheel.bdist_wheel
"""
SETUPTOOLS_BUILD_SYSTEM = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
HATCHLING_BUILD_SYSTEM = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


# --- helpers -----------------------------------------------------------------------------

def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _healthlint(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    # the completeness rules (HL2xx: author, date, risks) would report on every tiny test article
    return _run(python, "-m", "healthlint", "--isolated", "--ignore", "HL2", *args, cwd=cwd)


def _make_venv(where: Path) -> Path:
    """A virtualenv that sees healthlint, its dependencies, pip and a build backend.

    `--system-site-packages` exposes the *base* interpreter's site-packages, not those of a
    virtualenv the tests may be running in (healthlint's own .venv), so a .pth file also
    adds the running interpreter's site directories and the folder healthlint is imported
    from. They come after the new venv's own site-packages, so what is installed there wins.
    """
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(where)],
                   check=True, capture_output=True, text=True)
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=where)
    dirs = list(site.getsitepackages())
    if site.ENABLE_USER_SITE:
        dirs.append(site.getusersitepackages())
    dirs.append(str(Path(healthlint.__file__).resolve().parents[1]))
    Path(purelib.stdout.strip(), "_healthlint_test_parent_env.pth").write_text(
        "".join(f"import site; site.addsitedir({d!r})\n" for d in dirs), encoding="utf-8")
    check = _run(python, "-c", "import healthlint, pip", cwd=where)
    assert check.returncode == 0, check.stderr
    return python


def _build_system(python: Path, cwd: Path) -> str:
    if _run(python, "-c", CAN_BUILD_WITH_SETUPTOOLS, cwd=cwd).returncode == 0:
        return SETUPTOOLS_BUILD_SYSTEM
    if _run(python, "-c", "import hatchling.build", cwd=cwd).returncode == 0:
        return HATCHLING_BUILD_SYSTEM
    pytest.fail("cannot build a wheel offline: install hatchling, or wheel (or setuptools>=70.1), "
                "into the environment the tests run in")


def _pip_install(python: Path, source: Path, workdir: Path) -> None:
    """Install a copy of `source` (so build leftovers never land in the repository)."""
    copy = workdir / f"src-{source.name}"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    pyproject = copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^\[build-system\]\n.*?(?=^\[)", lambda _: _build_system(python, workdir) + "\n", text)
    pyproject.write_text(text, encoding="utf-8")
    result = _run(python, "-m", "pip", "install", "--no-index", "--no-deps", "--no-build-isolation",
                  "--disable-pip-version-check", "--no-input", "-q", str(copy), cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr


def _write_package(root: Path, dist: str, entry_point: str, code: str) -> Path:
    """A one-module plugin package: `dist` is the distribution name, code its __init__.py."""
    module = dist.replace("-", "_")
    (root / module).mkdir(parents=True)
    (root / module / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
    (root / "pyproject.toml").write_text(
        SETUPTOOLS_BUILD_SYSTEM
        + f'\n[project]\nname = "{dist}"\nversion = "1.0"\ndependencies = ["healthlint"]\n'
        + f'\n[project.entry-points."{GROUP}"]\n{entry_point}\n'
        + f'\n[tool.setuptools]\npackages = ["{module}"]\n', encoding="utf-8")
    return root


def _plugin_venv(tmp_path_factory, name: str, package: Path | None) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp(name)
    python = _make_venv(base / "venv")
    if package is not None:
        _pip_install(python, package, base)
    work = base / "work"
    work.mkdir()
    return python, work


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert 'File "' not in result.stdout + result.stderr


# --- a. the example plugin, installed --------------------------------------------------------

ARTICLE = """\
# Summer plan

Lose 10 pounds in 2 weeks with our shakes!

Our readers drop 5 kg in 7 days, and some lose 20 lbs in a month.

Aim to lose 1 to 2 pounds a week.
"""

WL101_MESSAGE = "promises a rate of weight loss; say what change studies found, over what time and for whom"

EXPLAIN_WL101 = """\
WL101 weight-loss-rate (warning, on; from plugin 'weight-loss' (healthlint-weight-loss))

Promised rates of weight loss ("lose 10 pounds in 2 weeks").

What it checks:
  Flags a promised amount of weight lost in a stated time: "lose 10 pounds in 2 weeks",
  "drop 5 kg in 7 days", "shed up to 20 lbs within a month". Advice about a gradual pace
  ("aim to lose 1 to 2 pounds a week") is not flagged, nor are negated sentences,
  quotations and blockquotes.

Why it matters:
  Quick weight loss is a classic sign of health fraud. Crash diets that deliver it
  mostly remove water and muscle, can cause gallstones, and are usually followed by
  regain; readers who do not lose weight that fast blame themselves or give up.

Standard:
  EU Regulation (EC) No 1924/2006 on nutrition and health claims, article 12(b): claims
  that make reference to the rate or amount of weight loss are not allowed. FDA health-
  fraud tip-offs list quick weight loss ('lose 30 pounds in 30 days'). NHS and CDC
  advice: a safe rate is about 0.5 to 1 kg (1 to 2 pounds) a week.

Bad:
  Lose 10 pounds in 2 weeks with our detox tea!

Good:
  Aim to lose 1 to 2 pounds a week; in a 12-week trial, people on the plan lost 4 kg on
  average.

Options ([rules.weight-loss-rate] in .healthlint.toml, [tool.healthlint.rules.weight-loss-rate] in pyproject.toml):
  skip-quoted = true

"""


@pytest.fixture(scope="module")
def example_venv(tmp_path_factory):
    """(python, work dir) of a venv with the example plugin installed; built once."""
    return _plugin_venv(tmp_path_factory, "example", EXAMPLE)


def test_example_plugin_reports_findings(example_venv):
    python, work = example_venv
    (work / "article.md").write_text(ARTICLE, encoding="utf-8")
    result = _healthlint(python, "article.md", cwd=work)
    assert result.stdout == (
        f'article.md:3:1: WL101 "Lose 10 pounds in 2 weeks" {WL101_MESSAGE} [weight-loss-rate]\n'
        f'article.md:5:13: WL101 "drop 5 kg in 7 days" {WL101_MESSAGE} [weight-loss-rate]\n'
        f'article.md:5:43: WL101 "lose 20 lbs in a month" {WL101_MESSAGE} [weight-loss-rate]\n'
        "Found 3 problems (3 warnings) in 1 file checked.\n")
    assert result.stderr == ""
    assert result.returncode == 1


def test_example_plugin_is_listed(example_venv):
    python, work = example_venv
    result = _healthlint(python, "--list-rules", cwd=work)
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("WL")] == [
        'WL101   weight-loss-rate           warning  on   Promised rates of weight loss ("lose 10 pounds in 2 weeks").']
    assert result.stderr == ""
    assert result.returncode == 0


def test_example_plugin_is_explained(example_venv):
    python, work = example_venv
    result = _healthlint(python, "--explain", "WL101", cwd=work)
    assert result.stdout == EXPLAIN_WL101
    assert result.stderr == ""
    assert result.returncode == 0


# --- b. a plugin that fails to import ----------------------------------------------------------

BROKEN_MESSAGE = "this plugin is broken on purpose"
MIRACLE_ARTICLE = "This miracle cure works.\n"
HL101_LINE = ('article.md:1:6: HL101 "miracle cure" is an absolute claim; describe what the evidence '
              "shows instead [absolute-claim]\n")


@pytest.fixture(scope="module")
def broken_import_venv(tmp_path_factory):
    package = _write_package(tmp_path_factory.mktemp("broken-src"), "healthlint-broken",
                             'broken = "healthlint_broken:RULES"',
                             f'raise RuntimeError("{BROKEN_MESSAGE}")\n')
    return _plugin_venv(tmp_path_factory, "broken", package)


def test_plugin_that_fails_to_import(broken_import_venv):
    python, work = broken_import_venv
    (work / "article.md").write_text(MIRACLE_ARTICLE, encoding="utf-8")
    result = _healthlint(python, "article.md", cwd=work)
    assert result.stderr == (f"healthlint: error: plugin 'broken' (healthlint-broken) failed to load: "
                             f"RuntimeError: {BROKEN_MESSAGE}; its rules are not run\n")
    assert result.stdout == HL101_LINE + "Found 1 problem (1 warning) in 1 file checked.\n"
    _no_traceback(result)
    assert result.returncode == 2


# --- c. a plugin whose rule raises on a document -------------------------------------------------

@pytest.fixture(scope="module")
def crashing_rule_venv(tmp_path_factory):
    # The entry point names a Rule subclass, which healthlint instantiates with no arguments.
    package = _write_package(tmp_path_factory.mktemp("crashy-src"), "healthlint-crashy",
                             'crashy = "healthlint_crashy:TitleHeading"', '''\
        from dataclasses import dataclass

        from healthlint.model import Finding, Rule, RuleDocs


        @dataclass
        class TitleHeading(Rule):
            code: str = "CR101"
            name: str = "title-heading"
            summary: str = "The first heading should say what the article is about."
            docs: RuleDocs = None

            def check(self, doc, options):
                first = doc.headings[0]          # IndexError on a file with no headings
                if len(doc.text(first).split()) < 2:
                    yield Finding(first.start, first.end, "a one-word title says little")
        ''')
    return _plugin_venv(tmp_path_factory, "crashy", package)


def test_rule_that_crashes(crashing_rule_venv):
    python, work = crashing_rule_venv
    (work / "article.md").write_text(MIRACLE_ARTICLE, encoding="utf-8")
    result = _healthlint(python, "article.md", cwd=work)
    assert result.stdout == (
        "article.md:1:1: HL002 rule CR101 title-heading (plugin 'crashy' (healthlint-crashy)) crashed at "
        "__init__.py:14: "
        "IndexError: list index out of range [rule-crashed]\n"
        + HL101_LINE
        + "Found 2 problems (1 error, 1 warning) in 1 file checked, 1 could not be fully checked.\n")
    assert result.stderr == ""
    _no_traceback(result)
    assert result.returncode == 1


def test_rule_that_does_not_crash_on_other_files(crashing_rule_venv):
    python, work = crashing_rule_venv
    (work / "titled.md").write_text("# Statins\n\nThis miracle cure works.\n", encoding="utf-8")
    result = _healthlint(python, "titled.md", cwd=work)
    assert result.stdout == (
        "titled.md:1:3: CR101 a one-word title says little [title-heading]\n"
        'titled.md:3:6: HL101 "miracle cure" is an absolute claim; describe what the evidence '
        "shows instead [absolute-claim]\n"
        "Found 2 problems (2 warnings) in 1 file checked.\n")
    assert result.stderr == ""
    assert result.returncode == 1


# --- d. load_plugins in-process --------------------------------------------------------------------

PLUGIN_MODULES = {
    "hl_test_raises.py": 'raise ImportError("needs a newer healthlint")\n',
    "hl_test_exits.py": 'import sys\nsys.exit(3)\n',
    "hl_test_things.py": textwrap.dedent('''\
        from dataclasses import dataclass

        from healthlint.model import Rule, RuleDocs

        NOT_A_RULE = {"code": "XT999"}
        MIXED = [Rule(code="XT103", name="fine-rule", summary="Fine."), "oops"]
        BAD_SEVERITY = Rule(code="XT104", name="loud-rule", summary="Loud.", severity="warning")
        BAD_NAME = Rule(code="XT105", name="My Rule", summary="Badly named.")
        CLASHES = Rule(code="HL101", name="another-claim", summary="Takes a built-in code.")
        EXITS = None


        class BadFindings(Rule):
            def check(self, doc, options):
                yield ("not", "a", "finding")


        @dataclass
        class Subclassed(Rule):
            code: str = "XT102"
            name: str = "subclassed-rule"
            summary: str = "A Rule subclass with defaults."
            docs: RuleDocs = None

            def check(self, doc, options):
                return ()
        '''),
}


@pytest.fixture
def plugin_modules(tmp_path, monkeypatch):
    for name, code in PLUGIN_MODULES.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(EXAMPLE))
    for module in ("hl_test_raises", "hl_test_things", "hl_test_exits"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    yield
    for module in ("hl_test_raises", "hl_test_things", "hl_test_exits"):
        sys.modules.pop(module, None)


def _ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=GROUP)


def test_load_plugins_records_failures_and_keeps_good_rules(plugin_modules):
    registry = Registry()
    load_plugins(registry, entry_points=[
        _ep("raises", "hl_test_raises:RULES"),
        _ep("missing-module", "hl_test_no_such_module:RULES"),
        _ep("not-a-rule", "hl_test_things:NOT_A_RULE"),
        _ep("missing-attribute", "hl_test_things:NO_SUCH_NAME"),
        _ep("mixed", "hl_test_things:MIXED"),
        _ep("weight-loss", "healthlint_weight_loss:RULES"),
        _ep("subclassed", "hl_test_things:Subclassed"),
        _ep("bad-severity", "hl_test_things:BAD_SEVERITY"),
        _ep("bad-name", "hl_test_things:BAD_NAME"),
        _ep("exits", "hl_test_exits:RULES"),
    ])
    assert registry.plugin_errors == [
        "plugin 'raises' failed to load: ImportError: needs a newer healthlint",
        "plugin 'missing-module' failed to load: ModuleNotFoundError: No module named 'hl_test_no_such_module'",
        "plugin 'not-a-rule' failed to load: TypeError: {'code': 'XT999'} is not a healthlint.model.Rule",
        "plugin 'missing-attribute' failed to load: AttributeError: module 'hl_test_things' has no "
        "attribute 'NO_SUCH_NAME'",
        "plugin 'mixed' failed to load: TypeError: 'oops' is not a healthlint.model.Rule",
        "plugin 'bad-severity' failed to load: TypeError: rule XT104: severity must be a "
        "healthlint.model.Severity, not 'warning'",
        "plugin 'bad-name' failed to load: ValueError: rule 'XT105' 'My Rule': the code must look like HL123 "
        "and the name must be lower-case words joined by hyphens",
        "plugin 'exits' failed to load: SystemExit: 3",
    ]
    # a plugin that fails contributes no rule at all, not even its good ones (XT103)
    assert [(r.code, r.name, r.source, type(r).__name__) for r in registry.rules] == [
        ("WL101", "weight-loss-rate", "plugin 'weight-loss'", "WeightLossRate"),
        ("XT102", "subclassed-rule", "plugin 'subclassed'", "Subclassed"),
    ]
    assert registry.rules[0].severity is Severity.WARNING


def test_plugin_rules_join_the_built_in_ones(plugin_modules):
    registry = build_registry(entry_points=[_ep("weight-loss", "healthlint_weight_loss:RULES")])
    assert registry.plugin_errors == []
    assert registry.get("WL101") is registry.get("weight-loss-rate") is registry.resolve("WL")[0]
    assert {r.code for r in build_registry(entry_points=[]).rules} | {"WL101"} == {r.code for r in registry.rules}


# --- the example rule's own cases, as test_rule_cases.py runs them for built-in rules ------------

def _example_rule() -> Rule:
    sys.path.insert(0, str(EXAMPLE))
    try:
        from healthlint_weight_loss import WEIGHT_LOSS_RATE
    finally:
        sys.path.remove(str(EXAMPLE))
    return WEIGHT_LOSS_RATE


EXAMPLE_RULE = _example_rule()


def _positions(text: str) -> list[str]:
    registry = build_registry(entry_points=[])
    registry.add(EXAMPLE_RULE)
    settings = resolve(Config(), registry, select=[EXAMPLE_RULE.code])
    return [f"{v.line}:{v.column}" for v in lint_text("case.md", text, settings) if v.code == EXAMPLE_RULE.code]


@pytest.mark.parametrize("case", EXAMPLE_RULE.tests["fail"], ids=lambda c: c["text"][:30])
def test_example_rule_flags(case):
    assert _positions(case["text"]) == case["expect"]


@pytest.mark.parametrize("case", EXAMPLE_RULE.tests["pass"], ids=lambda c: c[:30])
def test_example_rule_stays_silent(case):
    assert _positions(case) == []


def test_example_rule_has_docs_and_cases():
    rule = EXAMPLE_RULE
    assert (rule.code, rule.name, rule.severity) == ("WL101", "weight-loss-rate", Severity.WARNING)
    assert all(getattr(rule.docs, k).strip() for k in ("what", "why", "standard", "bad", "good"))
    assert rule.tests["fail"] and rule.tests["pass"]
    assert rule.summary and len(rule.summary) < 120


def test_a_plugin_that_clashes_with_a_built_in_code_is_reported_not_fatal(plugin_modules):
    registry = build_registry(entry_points=[_ep("clashes", "hl_test_things:CLASHES")])
    assert registry.plugin_errors == [
        "plugin 'clashes': rule HL101 another-claim from plugin 'clashes' clashes with HL101 absolute-claim "
        "from built-in"]
    assert registry.get("HL101").name == "absolute-claim"


def test_a_rule_that_yields_something_else_than_findings_is_a_crash_not_a_traceback(plugin_modules):
    import hl_test_things

    registry = build_registry(entry_points=[])
    registry.add(hl_test_things.BadFindings(code="XT106", name="bad-findings", summary="Yields tuples.",
                                            source="plugin 'bad'"))
    violations = lint_text("a.md", "A miracle cure.", resolve(Config(), registry, select=["XT106", "HL101"]))
    assert [v.code for v in violations] == ["HL002", "HL101"]
    assert re.fullmatch(r"rule XT106 bad-findings \(plugin 'bad'\) crashed at engine\.py:\d+: TypeError: "
                        r"yielded \('not', 'a', 'finding'\), not a healthlint\.model\.Finding", violations[0].message)


class _Odd(Rule):
    def check(self, doc, options):
        return ()


def test_a_plugin_rule_without_options_dict_is_refused_at_load():
    from healthlint.registry import check_rule
    with pytest.raises(TypeError, match="options must be a dict, not None"):
        check_rule(_Odd(code="XT201", name="odd", summary="s", options=None))


def test_a_plugin_whose_availability_check_or_close_raises_is_reported(run, tmp_path, monkeypatch):
    class Flaky(_Odd):
        def unavailable(self, options):
            raise RuntimeError("no licence")

    class Sticky(_Odd):
        def close(self):
            raise OSError("still busy")

    def registry_with(*extra):
        def build(rule_paths=(), entry_points=None):
            registry = build_registry(rule_paths, entry_points=[])
            for rule in extra:
                registry.add(rule)
            return registry
        return build

    write(tmp_path / "a.md", "It is a miracle cure.\n")
    monkeypatch.setattr("healthlint.registry.build_registry", registry_with(
        Flaky(code="XT202", name="flaky", summary="s", source="plugin 'flaky'"),
        Sticky(code="XT203", name="sticky", summary="s", source="plugin 'sticky'")))
    result = run("a.md", "--select", "ALL", "-q")   # selected by name, XT202 would be a usage error
    assert "a.md:1:9: HL101 " in result.stdout
    assert "healthlint: notice: XT202 flaky skipped: its availability check failed: RuntimeError: no licence" \
        in result.stderr
    assert "healthlint: error: XT203 sticky could not close: OSError: still busy" in result.stderr
