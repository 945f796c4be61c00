"""Rule documentation for people: --list-rules, --explain and the README's rule table."""
from __future__ import annotations

import textwrap


def explain_rule(rule, settings) -> str:
    state = "on" if rule.code in settings.enabled else "off"
    d = rule.docs
    out = [f"{rule.code} {rule.name} ({settings.severity[rule.code]}, {state}; from {rule.source})",
           "", rule.summary, ""]
    if d:
        for title, body in d.sections():
            out.append(f"{title}:")
            if title in ("Bad", "Good"):  # examples keep their own lines (front matter, lists)
                out.extend(textwrap.fill(line, 88, initial_indent="  ", subsequent_indent="  ") if line else ""
                           for line in body.strip().splitlines())
            else:
                out.extend(textwrap.fill(p, 88, initial_indent="  ", subsequent_indent="  ")
                           for p in body.strip().split("\n\n"))
            out.append("")
    options = settings.options[rule.code]
    if options:
        out.append(f"Options ([rules.{rule.name}] in .healthlint.toml, [tool.healthlint.rules.{rule.name}] "
                   "in pyproject.toml):")
        out.extend(f"  {k} = {_toml_value(v)}" for k, v in options.items())
        out.append("")
    return "\n".join(out)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


def list_rules_text(settings) -> str:
    rows = []
    for rule in settings.registry.rules:
        state = "on" if rule.code in settings.enabled else "off"
        rows.append(f"{rule.code:<7} {rule.name:<26} {str(settings.severity[rule.code]):<8} {state:<4} {rule.summary}")
    return "\n".join(rows) + "\n"


def markdown_table(rules) -> str:
    """The README's rule table, generated from the rules' own docs."""
    rows = ["| Code | Name | Severity | On by default | What it checks |", "|---|---|---|---|---|"]
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.severity} | {'yes' if rule.enabled else 'no'} | {summary} |")
    return "\n".join(rows) + "\n"


TABLE_START, TABLE_END = "<!-- rules-table-start -->", "<!-- rules-table-end -->"


def update_readme(readme: str, rules) -> str:
    head, _, rest = readme.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    return f"{head}{TABLE_START}\n{markdown_table(rules)}{TABLE_END}{tail}"


if __name__ == "__main__":  # python -m healthlint.ruledocs README.md: refresh the rule table
    import sys
    from pathlib import Path

    from healthlint.registry import build_registry

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(update_readme(path.read_text(encoding="utf-8"), build_registry(entry_points=[]).rules),
                    encoding="utf-8")
