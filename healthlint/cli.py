"""The `healthlint` command: `run` does the work and returns the exit code; `main` is its
click wrapper."""
from __future__ import annotations

import errno
import io
import os
import re
import signal
import sys
from pathlib import Path

import click

from healthlint import __version__
from healthlint.config import printable

EXIT_CODES = """\b
Exit codes:
  0  no findings at or above --fail-on, and every file was checked
  1  findings at or above --fail-on, or a file could not be checked
     (unreadable file HL001, crashed rule HL002: reported whatever --fail-on says)
  2  usage or configuration error, a broken rule pack or plugin,
     a path that does not exist, no input could be read, or the report could not be written
"""
STOP_SIGNALS = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
EXIT_BROKEN_PIPE = 128 + 13   # the reader stopped early (healthlint . | head): as a tool killed by SIGPIPE
UNDECODED_BYTE = re.compile("[\udc80-\udcff]")  # a byte of a name that is not UTF-8, as Python keeps it


class Stopped(BaseException):
    """SIGTERM or SIGHUP while linting: unwinds like Ctrl-C, so the LanguageTool server is stopped too."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame):
    raise Stopped(signum)


def _split(values) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _shown(text) -> str:
    """Text that can be printed: a byte of a name that is not UTF-8 shown as \\xNN."""
    text = UNDECODED_BYTE.sub(lambda m: f"\\x{ord(m.group(0)) - 0xdc00:02x}", str(text))
    return "\n".join(map(printable, text.split("\n")))  # escape sequences never reach the terminal raw


def _to_stderr(text: str, nl: bool = True) -> None:
    try:
        click.echo(_shown(text), nl=nl, err=True)
    except OSError:   # standard error is closed or full: there is nowhere left to say anything
        pass


def _error(message: str) -> None:
    _to_stderr(f"healthlint: error: {message}")


def _to_stdout(text: str, color: bool | None = None) -> None:
    """Raises OSError when standard output is closed, full or a pipe nobody reads."""
    if sys.stdout is None:   # started with standard output closed (healthlint . >&-)
        raise OSError(errno.EBADF, "standard output is closed")
    click.echo(text, nl=False, color=color)


def _stdout_failed(exc: OSError) -> int:
    """The exit code when the report could not be written to standard output."""
    try:   # what is still buffered goes to /dev/null at exit, not into a second error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):   # no real file behind it (closed, or a test's buffer)
        pass
    if isinstance(exc, BrokenPipeError):
        return EXIT_BROKEN_PIPE
    _error(f"cannot write the report: {exc.strerror or exc}")
    return 2


def _settings_files(config, settings) -> list[tuple[Path, str]]:
    """The files healthlint reads as its settings (the config, rule packs, word lists), each
    with what it is: they are never linted as articles, nor written over."""
    from healthlint.registry import spec_files
    readers: list[tuple[Path, str]] = []
    if config.path:
        readers.append((config.path, "the config file"))
    for folder in config.rule_paths:
        packs = [folder] if folder.is_file() else spec_files(folder) if folder.is_dir() else []
        readers.extend((pack, "a rule pack") for pack in packs)
    for options in settings.options.values():
        for key, value in options.items():
            if key.endswith("-files") and isinstance(value, list):
                readers.extend((Path(v).expanduser(), "a word list") for v in value)
    return readers


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _protected_file(target: Path, inputs, config, settings) -> str | None:
    """What `target` already is among the files this run reads (an article, the config, a rule
    pack, a word list), so the report is never written over it; None when it is none of them."""
    if not target.exists():
        return None
    readers = [(item.path, f"the input file {item.display}") for item in inputs if item.path]
    return next((what for path, what in readers + _settings_files(config, settings) if _same(target, path)), None)


def _test_rules(registry) -> int:
    """--test-rules: each case of each rule that is not built in; the failures, then a count."""
    from healthlint.rulecases import linter, run_cases
    rules = [rule for rule in registry.rules if rule.source != "built-in"]
    if not rules:
        _error("no rules to test: name rule packs (files or folders), or set rule-paths in the config")
        return 2
    passed = failed = 0
    lint = linter(registry)
    lines = []
    for rule in rules:
        reason = _unavailable(rule, rule.options)
        if reason:
            _to_stderr(f"healthlint: notice: {rule.code} {rule.name} not tested: {reason}")
            continue
        for result in run_cases(rule, lint):
            passed, failed = passed + result.ok, failed + (not result.ok)
            if not result.ok:
                lines.append(_shown(result.describe()))
    lines.append(f"{passed} passed, {failed} failed")
    try:
        _to_stdout("\n".join(lines) + "\n")
    except OSError as exc:
        return _stdout_failed(exc)
    return 1 if failed or registry.plugin_errors else 0


def _unavailable(rule, options) -> str | None:
    """Why a rule cannot run here, or None; a plugin's unavailable() that raises says why too."""
    try:
        reason = rule.unavailable(options)
    except Exception as exc:
        return f"its availability check failed: {type(exc).__name__}: {exc}"
    return None if reason is None else str(reason)


def _notice(rule, options) -> str | None:
    """What a rule says about how it runs here (grammar: which checker), or None."""
    method = getattr(rule, "notice", None)
    try:
        note = method(options) if method else None
    except Exception as exc:
        return f"could not say how it runs: {type(exc).__name__}: {exc}"
    return None if note is None else str(note)


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout is not None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
               epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, type=str)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif", "junit", "html"]),
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output", "output_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE; the terminal still gets the summary.")
@click.option("--diff", "--changed-since", "diff_ref", metavar="REF",
              help="Only findings on lines changed since the git ref REF, and whole-article findings for changed files.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules (codes, code prefixes such as HL1, or names; comma-separated). Replaces the config's select.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add rules to the selection.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file (default: nearest .healthlint.toml or pyproject.toml with [tool.healthlint]).")
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@click.option("--preset", metavar="NAME", help="Start from a preset (strict: also the balance rules).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no notice that grammar fell back to Harper.")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per rule, most first, instead of the findings (text format; "
                   "with another format the table goes to stderr).")
@click.option("--stdin-filename", metavar="NAME", help="Name used for text read from '-' (stdin) in output.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour output (auto: only on a terminal and when NO_COLOR is unset).")
@click.option("--languagetool-url", metavar="URL",
              help="Use the LanguageTool server at URL for grammar (default: $HEALTHLINT_LANGUAGETOOL_URL, "
                   "the config, or a local server started for this run). Text is sent only to this URL.")
@click.option("--grammar-backend", type=click.Choice(["auto", "harper", "languagetool", "both"]),
              help="Which checker the grammar rule uses (default: the config's, else auto: LanguageTool when it is "
                   "installed or a server is configured, else Harper, built in).")
@click.option("--no-cache", is_flag=True, help="Do not read or write cached results.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Cache folder (default: $HEALTHLINT_CACHE_DIR, the config's cache-dir, or ~/.cache/healthlint).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Lint files in N processes (default: the number of CPUs).")
@click.option("--list-rules", is_flag=True, help="List every rule with its code, name, severity and state.")
@click.option("--explain", metavar="RULE", help="Explain one rule (code or name).")
@click.option("--test-rules", is_flag=True,
              help="Run the cases (tests: fail and pass) of the rule packs in PATHS, or with no PATHS of every rule "
                   "that is not built in (rule-paths and plugins); exit 1 if one fails.")
@click.version_option(__version__, prog_name="healthlint")
def main(**options) -> None:
    """Lint health articles (Markdown and plain text) for claims, evidence and clarity.

    PATHS are files or folders (folders are searched for *.md, *.markdown and *.txt);
    '-' reads standard input.
    """
    sys.exit(run(**options))


def run(paths=(), output_format=None, output_file=None, diff_ref=None, select=(), extend_select=(), ignore=(),
        config_path=None, isolated=False, preset=None, fail_on=None, quiet=False, statistics=False,
        stdin_filename=None, color="auto", languagetool_url=None, grammar_backend=None, no_cache=False, cache_dir=None,
        jobs=None,
        list_rules=False, explain=None, test_rules=False) -> int:
    """The `healthlint` command with main's options as arguments; returns the exit code."""
    from healthlint.config import ConfigError, find_config, load_config, resolve
    from healthlint.registry import RegistryError, build_registry
    from healthlint.ruledocs import explain_rule, list_rules_text
    from healthlint.specs import PackError

    try:
        path = None if isolated else (config_path or find_config(Path.cwd()))
        if config_path is not None and not config_path.is_file():
            raise ConfigError(f"{config_path}: config file not found")
        config = load_config(path, preset)
        registry = build_registry([Path(p) for p in paths] if test_rules and paths else config.rule_paths)
        url = languagetool_url or os.environ.get("HEALTHLINT_LANGUAGETOOL_URL")
        grammar = {"url": url} if url else {}
        grammar.update({"backend": grammar_backend} if grammar_backend else {})
        settings = resolve(config, registry, select=_split(select) if select else None,
                           extend_select=_split(extend_select), ignore=_split(ignore), fail_on=fail_on,
                           overrides={"HL401": grammar})
    except (ConfigError, PackError, RegistryError) as exc:
        _error(str(exc))
        return 2
    for problem in registry.plugin_errors:
        _error(problem + "; its rules are not run")
    from healthlint import cache  # folder: --cache-dir, else $HEALTHLINT_CACHE_DIR, else the config's cache-dir
    cache.configure(cache_dir or (None if os.environ.get(cache.CACHE_ENV) else config.cache_dir),
                    False if no_cache else None)

    if list_rules or explain:
        if explain:
            rule = registry.get(explain)
            if rule is None:
                _error(f"unknown rule {explain!r} (see healthlint --list-rules)")
                return 2
        try:
            _to_stdout(explain_rule(rule, settings) + "\n" if explain else list_rules_text(settings))
        except OSError as exc:
            return _stdout_failed(exc)
        return 2 if registry.plugin_errors else 0

    if test_rules:
        return _test_rules(registry)

    if not paths and diff_ref is not None:
        paths = (".",)  # --diff: the changed files of the whole checkout
    if not paths:
        _error("no paths given (try: healthlint .)")
        return 2

    from healthlint.engine import default_jobs, lint_files
    from healthlint.files import discover
    from healthlint.formatters import FORMATTERS, Context, statistics as format_statistics, summary
    from healthlint.model import Severity

    notices: dict[str, list[str]] = {}   # what is said -> the rules it is said of (grammar and spelling share a checker)
    for code, rule in list(settings.enabled.items()):
        reason = _unavailable(rule, settings.options[code])
        if reason is None:
            continue
        if code in settings.explicitly_selected:
            _error(f"{code} {rule.name} was selected but cannot run: {reason}")
            return 2
        notices.setdefault(f"skipped: {reason}", []).append(f"{code} {rule.name}")
        del settings.enabled[code]
    for code, rule in settings.enabled.items() if not quiet else ():
        note = _notice(rule, settings.options[code])
        if note:
            notices.setdefault(note, []).append(f"{code} {rule.name}")
    for note, rules in notices.items():
        _to_stderr(f"healthlint: notice: {', '.join(rules)} {note}")

    output_format = output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    found = discover(list(paths), config.include, config.exclude, config.root, stdin_filename)
    own = _settings_files(config, settings)
    if own:   # a word list or rule pack is read as settings, never linted as an article
        kept = []
        for item in found.files:
            what = next((w for path, w in own if item.path and _same(item.path, path)), None)
            if what is None:
                kept.append(item)
            elif item.display in paths:
                _to_stderr(f"healthlint: notice: {_shown(item.display)} is {what} of this configuration; not linted")
        found.files = kept
    if output_file:
        clash = _protected_file(output_file, found.files, config, settings)
        if clash:
            _error(f"--output {output_file} is {clash}; healthlint never writes over the files it reads")
            return 2
    if diff_ref is not None:
        from healthlint.gitdiff import GitError, changed_since
        try:
            changes = changed_since(diff_ref)
        except GitError as exc:
            _error(str(exc))
            return 2
        found.files = [item for item in found.files if changes.touches(item.display)]
    for message in found.errors:
        _error(message)
    for message in found.notes:
        _to_stderr(f"healthlint: warning: {message}")
    handlers = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    try:
        try:
            stdin = sys.stdin.buffer if sys.stdin is not None else io.BytesIO()   # closed: read as empty
            report = lint_files(found.files, settings, config.max_file_size, config.root, stdin, jobs or default_jobs(),
                                keep_sources=output_format == "html")
        finally:
            for rule in settings.enabled.values():
                try:
                    rule.close()
                except Exception as exc:   # a plugin's close() failing must not hide the report
                    _error(f"{rule.code} {rule.name} could not close: {type(exc).__name__}: {exc}")
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Stopped as stop:
        return 128 + stop.signum
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)

    if diff_ref is not None:
        report.violations = [v for v in report.violations if changes.keep(v, settings.enabled)]
    use_color = _use_color(color) and not output_file
    context = Context(use_color, [r for r in settings.registry.rules if r.code in settings.enabled],
                      settings.severity, report.sources, [item.display for item in found.files])
    rendered = FORMATTERS[output_format](report.violations, context)
    if output_file:
        try:
            with open(output_file, "w", encoding="utf-8", errors="replace") as fh:
                fh.write(rendered)
        except OSError as exc:
            _error(f"{output_file}: cannot write the report: {exc.strerror or exc}")
            return 2
    with_summary = (output_format == "text" or output_file is not None) and not quiet
    try:
        if not output_file and not (statistics and output_format == "text"):   # --statistics: the table only
            _to_stdout(rendered, color=use_color)
        if with_summary:
            if statistics:
                _to_stdout(format_statistics(report.violations))
            _to_stdout(summary(report.violations, report.files_checked, report.files_failed) + "\n")
    except OSError as exc:
        return _stdout_failed(exc)
    if statistics and not with_summary:
        _to_stderr(format_statistics(report.violations), nl=False)

    nothing_read = report.files_checked == 0 and diff_ref is None  # --diff: no changed file is fine
    if nothing_read and not found.errors:
        _error("no input could be read")
    if found.errors or registry.plugin_errors or nothing_read:
        return 2
    threshold = None if settings.fail_on == "never" else Severity.parse(settings.fail_on)
    failing = report.files_failed or any(threshold is not None and v.severity >= threshold
                                         for v in report.violations)
    return 1 if failing else 0
