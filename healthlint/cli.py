"""The `healthlint` command."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from healthlint import __version__

EXIT_CODES = """\b
Exit codes:
  0  no findings at or above --fail-on, and every file was checked
  1  findings at or above --fail-on, or a file could not be checked
     (unreadable file HL001, crashed rule HL002: reported whatever --fail-on says)
  2  usage or configuration error, a broken rule pack or plugin,
     a path that does not exist, or no input could be read
"""


def _split(values) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _error(message: str) -> None:
    click.echo(f"healthlint: error: {message}", err=True)


def _exit_on_signal(signum, frame):
    sys.exit(128 + signum)


def _shown(path) -> str:
    """A path as text that can be printed (a name that is not UTF-8 keeps its bad bytes as \\xNN)."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def _protected_file(target: Path, inputs, config, settings) -> str | None:
    """What `target` already is among the files this run reads (an article, the config, a rule
    pack, a word list), so the report is never written over it; None when it is none of them."""
    if not target.exists():
        return None
    readers: list[tuple[Path, str]] = [(item.path, f"the input file {item.display}") for item in inputs if item.path]
    if config.path:
        readers.append((config.path, "the config file"))
    for folder in config.rule_paths:
        packs = [folder] if folder.is_file() else sorted(folder.rglob("*.y*ml")) if folder.is_dir() else []
        readers.extend((pack, "a rule pack") for pack in packs)
    for options in settings.options.values():
        for key, value in options.items():
            if key.endswith("-files") and isinstance(value, list):
                readers.extend((Path(v), "a word list") for v in value)
    for path, what in readers:
        try:
            if os.path.samefile(target, path):
                return what
        except OSError:
            continue
    return None


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


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
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--stdin-filename", metavar="NAME", help="Name used for text read from '-' (stdin) in output.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour output (auto: only on a terminal and when NO_COLOR is unset).")
@click.option("--languagetool-url", metavar="URL",
              help="Use the LanguageTool server at URL for grammar (default: $HEALTHLINT_LANGUAGETOOL_URL, "
                   "the config, or a local server started for this run). Text is sent only to this URL.")
@click.option("--no-cache", is_flag=True, help="Do not read or write cached results.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Cache folder (default: $HEALTHLINT_CACHE_DIR, the config's cache-dir, or ~/.cache/healthlint).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Lint files in N processes (default: the number of CPUs).")
@click.option("--list-rules", is_flag=True, help="List every rule with its code, name, severity and state.")
@click.option("--explain", metavar="RULE", help="Explain one rule (code or name).")
@click.version_option(__version__, prog_name="healthlint")
def main(paths, output_format, output_file, diff_ref, select, extend_select, ignore, config_path, isolated, preset, fail_on, quiet,
         statistics, stdin_filename, color, languagetool_url, no_cache, cache_dir, jobs, list_rules, explain):
    """Lint health articles (Markdown and plain text) for claims, evidence and clarity.

    PATHS are files or folders (folders are searched for *.md, *.markdown and *.txt);
    '-' reads standard input.
    """
    from healthlint.config import ConfigError, find_config, load_config, resolve
    from healthlint.packs import PackError
    from healthlint.registry import RegistryError, build_registry
    from healthlint.ruledocs import explain_rule, list_rules_text

    try:
        path = None if isolated else (config_path or find_config(Path.cwd()))
        if config_path is not None and not config_path.is_file():
            raise ConfigError(f"{config_path}: config file not found")
        config = load_config(path, preset)
        registry = build_registry(config.rule_paths)
        settings = resolve(config, registry, select=_split(select) if select else None,
                           extend_select=_split(extend_select), ignore=_split(ignore), fail_on=fail_on)
    except (ConfigError, PackError, RegistryError) as exc:
        _error(str(exc))
        sys.exit(2)
    for problem in registry.plugin_errors:
        _error(problem + "; its rules are not run")
    from healthlint import cache  # folder: --cache-dir, else $HEALTHLINT_CACHE_DIR, else the config's cache-dir
    cache.configure(cache_dir or (None if os.environ.get(cache.CACHE_ENV) else config.cache_dir),
                    False if no_cache else None)
    url = languagetool_url or os.environ.get("HEALTHLINT_LANGUAGETOOL_URL")
    if url and "HL401" in settings.options:
        settings.options["HL401"]["url"] = url

    if list_rules or explain:
        if explain:
            rule = registry.get(explain)
            if rule is None:
                _error(f"unknown rule {explain!r} (see healthlint --list-rules)")
                sys.exit(2)
            click.echo(explain_rule(rule, settings))
        else:
            click.echo(list_rules_text(settings), nl=False)
        sys.exit(2 if registry.plugin_errors else 0)

    if not paths and diff_ref is not None:
        paths = (".",)  # --diff: the changed files of the whole checkout
    if not paths:
        _error("no paths given (try: healthlint .)")
        sys.exit(2)

    from healthlint.engine import default_jobs, lint_files
    from healthlint.files import discover
    from healthlint.formatters import FORMATTERS, Context, statistics as format_statistics, summary
    from healthlint.html_report import read_sources
    from healthlint.model import Severity

    for code, rule in list(settings.enabled.items()):
        reason = rule.unavailable(settings.options[code])
        if reason is None:
            continue
        if code in settings.explicitly_selected:
            _error(f"{code} {rule.name} was selected but cannot run: {reason}")
            sys.exit(2)
        click.echo(f"healthlint: notice: {code} {rule.name} skipped: {reason}", err=True)
        del settings.enabled[code]

    found = discover(list(paths), config.include, config.exclude, config.root, stdin_filename)
    if output_file:
        clash = _protected_file(output_file, found.files, config, settings)
        if clash:
            _error(f"--output {_shown(output_file)} is {clash}; healthlint never writes over the files it reads")
            sys.exit(2)
    if diff_ref is not None:
        from healthlint.gitdiff import GitError, changed_since
        try:
            changes = changed_since(diff_ref)
        except GitError as exc:
            _error(str(exc))
            sys.exit(2)
        found.files = [item for item in found.files if changes.touches(item.display)]
    for message in found.errors:
        _error(message)
    for message in found.notes:
        click.echo(f"healthlint: warning: {message}", err=True)
    # on SIGTERM or SIGHUP, unwind like Ctrl-C so the LanguageTool server is stopped too
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, _exit_on_signal)
    try:
        report = lint_files(found.files, settings, config.max_file_size, config.root, sys.stdin.buffer,
                            jobs or default_jobs())
    except KeyboardInterrupt:
        _error("interrupted")
        sys.exit(130)
    finally:
        for rule in settings.enabled.values():
            rule.close()

    if diff_ref is not None:
        report.violations = [v for v in report.violations if changes.keep(v, settings.enabled)]
    output_format = output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    use_color = _use_color(color) and not output_file
    sources = read_sources(found.files, config.max_file_size) if output_format == "html" else {}
    context = Context(use_color, [r for r in settings.registry.rules if r.code in settings.enabled],
                      settings.severity, sources, [item.display for item in found.files])
    rendered = FORMATTERS[output_format](report.violations, context)
    if output_file:
        try:
            with open(output_file, "w", encoding="utf-8", errors="replace") as fh:
                fh.write(rendered)
        except OSError as exc:
            _error(f"{_shown(output_file)}: cannot write the report: {exc.strerror or exc}")
            sys.exit(2)
    else:
        click.echo(rendered, nl=False, color=use_color)
    if (output_format == "text" or output_file) and not quiet:
        if statistics:
            click.echo(format_statistics(report.violations), nl=False)
        click.echo(summary(report.violations, report.files_checked, report.files_failed))
    elif statistics:
        click.echo(format_statistics(report.violations), nl=False, err=True)

    nothing_read = report.files_checked == 0 and diff_ref is None  # --diff: no changed file is fine
    if nothing_read and not found.errors:
        _error("no input could be read")
    if found.errors or registry.plugin_errors or nothing_read:
        sys.exit(2)
    threshold = None if settings.fail_on == "never" else Severity.parse(settings.fail_on)
    failing = report.files_failed or any(threshold is not None and v.severity >= threshold
                                         for v in report.violations)
    sys.exit(1 if failing else 0)
