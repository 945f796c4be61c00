"""--format html: one self-contained page for editors. A summary (counts by rule and
severity, readability scores per article), then each article as text with every finding
highlighted in place (a tooltip and a numbered side note with the message and suggestion),
then the explanation of every rule that fired.

Articles are untrusted: every character from them is escaped, links are shown as text, and
the page's Content-Security-Policy allows no script and no network at all. Control and bidi
characters are shown as \\x1b or \\u202e (formatters._escaped), so the text on the page is the text
of the file, in its order."""
from __future__ import annotations

from collections import Counter
from html import escape

from healthlint.formatters import PAGE, _checked, _escaped, _plural
from healthlint.model import Severity, Violation

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font: 16px/1.6 Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1, h2, h3, table, .notes, .whole { font-family: system-ui, sans-serif; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { border: 1px solid #ccc; padding: .2rem .6rem; text-align: left; }
.text { white-space: pre-wrap; background: #fafafa; border: 1px solid #ddd; padding: 1rem; }
mark { border-bottom: 2px solid; cursor: help; }
mark.error { background: #fdd; border-color: #c00; } mark.warning { background: #fec; border-color: #d80; }
mark.info { background: #def; border-color: #36c; }
a.ref { font: 11px system-ui, sans-serif; vertical-align: super; text-decoration: none; }
.notes li, .whole li { margin: .3rem 0; } .sev { font-weight: bold; text-transform: uppercase; font-size: 80%; }
.suggestion { color: #060; } dt { font-weight: bold; }
"""
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def _e(value) -> str:
    return escape(_escaped(value, PAGE), quote=True)


def _note_text(v: Violation) -> str:
    return f"{v.code} {v.rule}: {v.message}" + (f"\nSuggestion: {v.suggestion}" if v.suggestion else "")


def _note(v: Violation, ident: str, number: int) -> str:
    suggestion = f' <span class="suggestion">Suggestion: {_e(v.suggestion)}</span>' if v.suggestion else ""
    return (f'<li id="{ident}" value="{number}"><span class="sev {v.severity}">{v.severity}</span> '
            f'line {v.line}: {_e(v.message)}.{suggestion} '
            f'<a href="#rule-{_e(v.code)}">{_e(v.code)} {_e(v.rule)}</a></li>')


def _highlighted(source: str, spans: list[tuple[int, int, str, Violation, int]]) -> str:
    """The text with a <mark> on every piece covered by findings and a note number after each.
    One sweep over the cuts, with the findings sorted once by start and by end: the time grows
    with the page's size, not with pieces times findings."""
    cuts = sorted({0, len(source), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starts = sorted(spans, key=lambda span: span[0])
    ends = sorted(spans, key=lambda span: (span[1], span[4]))
    active: dict[int, tuple] = {}  # note number -> the span, for the findings covering this piece
    i = j = 0
    out = []
    for a, b in zip(cuts, cuts[1:] + cuts[-1:]):  # the last cut is the end of the text: refs only
        while j < len(ends) and ends[j][1] == a:
            s, e, ident, v, n = ends[j]
            del active[n]
            out.append(f'<a class="ref" href="#{ident}">{n}</a>')
            j += 1
        while i < len(starts) and starts[i][0] == a:
            active[starts[i][4]] = starts[i]
            i += 1
        if a == b:
            continue
        piece = _e(source[a:b])
        if active:
            covering = [active[n] for n in sorted(active)]
            level = max(v.severity for _, _, _, v, _ in covering)
            piece = (f'<mark class="{level}" data-findings="{" ".join(span[2] for span in covering)}" '
                     f'title="{_e(chr(10).join(_note_text(v) for _, _, _, v, _ in covering))}">{piece}</mark>')
        out.append(piece)
    return "".join(out)


def _scores(doc) -> dict[str, float] | None:
    from healthlint.analysis.reading import FORMULAS, prose_blocks, scored_text, textstat_scorer, word_count
    text = scored_text(doc, prose_blocks(doc))
    words = word_count(text)
    if not words:
        return None
    ts = textstat_scorer()
    return {"words": words, **{name: round(getattr(ts, fn)(text), 1) for fn, name in FORMULAS.values()}}


def _article(number: int, path: str, source: str | None, found: list[Violation]) -> tuple[str, dict | None]:
    spans, whole, notes = [], [], []
    doc = scores = None
    if source is not None:
        from healthlint.document import parse
        doc = parse(path, source)
        scores = _scores(doc)
        starts = [0] + [i + 1 for i, ch in enumerate(doc.source) if ch == "\n"]
    for k, v in enumerate(found, 1):
        ident = f"a{number}-f{k}"
        notes.append(_note(v, ident, k))
        if doc is None:
            whole.append(ident)
            continue
        line = min(v.line, len(starts)) - 1
        end_line = min(v.end_line, len(starts)) - 1
        start = max(0, min(starts[line] + v.column - 1, len(doc.source)))
        end = min(starts[end_line] + v.end_column - 1, len(doc.source))
        if end > start:
            spans.append((start, end, ident, v, k))
        else:
            whole.append(ident)
    body = [f'<section class="article" id="article-{number}"><h2>{_e(path)}</h2>']
    if whole:
        body.append('<p class="whole">About the whole article: ' +
                    ", ".join(f'<a class="ref" href="#{i}">{i.split("-f")[1]}</a>' for i in whole) + "</p>")
    if doc is None:
        body.append('<p class="text">(the text could not be shown)</p>')
    else:
        body.append(f'<div class="text">{_highlighted(doc.source, spans)}</div>')
    if notes:
        body.append('<ol class="notes">' + "".join(notes) + "</ol>")
    else:
        body.append("<p>No problems found.</p>")
    body.append("</section>")
    return "\n".join(body), scores


def _summary(violations: list[Violation], scored: list[tuple[str, int, dict | None]]) -> str:
    severities = Counter(v.severity for v in violations)
    rules = Counter((v.code, v.rule, v.severity) for v in violations)
    out = ["<section id=\"summary\"><h2>Summary</h2>",
           f"<p id=\"totals\">{_plural(len(violations), 'finding')} in {_plural(len(scored), 'article')} (" +
           ", ".join(_plural(severities[s], str(s)) for s in SEVERITIES) + ").</p>"]
    if rules:
        out.append("<table id=\"by-rule\"><tr><th>Rule</th><th>Severity</th><th>Findings</th></tr>")
        out.extend(f'<tr><td><a href="#rule-{_e(code)}">{_e(code)} {_e(name)}</a></td><td>{sev}</td><td>{n}</td></tr>'
                   for (code, name, sev), n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0][0])))
        out.append("</table>")
    out.append("<table id=\"by-article\"><tr><th>Article</th><th>Findings</th><th>Words scored</th>"
               "<th>Flesch-Kincaid grade</th><th>SMOG</th><th>Gunning fog</th></tr>")
    for i, (path, count, scores) in enumerate(scored, 1):
        cells = [scores["words"], scores["Flesch-Kincaid"], scores["SMOG"], scores["Gunning fog"]] if scores \
            else ["", "", "", ""]
        out.append(f'<tr><td><a href="#article-{i}">{_e(path)}</a></td><td>{count}</td>' +
                   "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table></section>")
    return "\n".join(out)


def _explanations(rules, codes: set[str]) -> str:
    out = ['<section id="rules"><h2>Rules</h2>']
    for rule in rules:
        if rule.code not in codes:
            continue
        out.append(f'<div id="rule-{_e(rule.code)}"><h3>{_e(rule.code)} {_e(rule.name)}</h3><p>{_e(rule.summary)}</p>')
        if rule.docs:
            out.append("<dl>" + "".join(f"<dt>{title}</dt><dd>{_e(text)}</dd>"
                                        for title, text in rule.docs.sections()) + "</dl>")
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def render(violations: list[Violation], ctx) -> str:
    violations = _checked(violations)
    paths = list(dict.fromkeys([*ctx.files, *(v.path for v in violations)]))
    by_path: dict[str, list[Violation]] = {p: [] for p in paths}
    for v in violations:
        by_path[v.path].append(v)
    articles, scored = [], []
    for number, path in enumerate(paths, 1):
        html, scores = _article(number, path, ctx.sources.get(path), by_path[path])
        articles.append(html)
        scored.append((path, len(by_path[path]), scores))
    rules = list(ctx.rules)
    known = {r.code for r in rules}
    missing = {v.code for v in violations} - known
    explanations = _explanations(rules, {v.code for v in violations})
    if missing:  # a finding from a rule not passed in (a system problem): no explanation to link to
        explanations += "".join(f'<div id="rule-{_e(c)}"></div>' for c in sorted(missing))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>healthlint report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            "<h1>healthlint report</h1>\n" + _summary(violations, scored) + "\n" + "\n".join(articles) + "\n"
            + explanations + "\n</body>\n</html>\n")
