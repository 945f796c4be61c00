"""--format html: one self-contained page for editors. A summary (counts by rule and
severity, readability scores per article), then each article as text with every finding
highlighted in place (a tooltip and a numbered side note with the message and suggestion),
then the explanation of every rule that fired.

Articles are untrusted: every character from them is escaped, links are shown as text, and
the page's Content-Security-Policy allows no script and no network at all. Control and bidi
characters are shown as \\x1b or \\u202e (formatters._escaped), so the text on the page is the text
of the file, in its order."""
from __future__ import annotations

import re
from collections import Counter
from html import escape

from healthlint.formatters import PAGE, _checked, _escaped, _plural
from healthlint.model import Severity, Violation

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body { font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { border: 1px solid #ccc; padding: .2rem .6rem; text-align: left; }
.article { border-top: 3px solid #444; margin-top: 2.5rem; }
.article > h2 { font-size: 1rem; color: #555; }
.rendered h3 { font-size: 1.6rem; } .rendered h4 { font-size: 1.3rem; } .rendered h5, .rendered h6 { font-size: 1.1rem; }
.rendered blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 4px solid #ccc; color: #444; }
.rendered .footnote { font-size: 90%; color: #444; }
.link { text-decoration: underline dotted; }
.front-matter { font-size: 90%; color: #555; } .front-matter th { font-weight: normal; }
mark { border-bottom: 2px solid; color: inherit; }
mark.error { background: #fdd; border-color: #c00; } mark.warning { background: #fec; border-color: #d80; }
mark.info { background: #def; border-color: #36c; }
a.ref { font-size: 70%; vertical-align: super; text-decoration: none; margin: 0 1px 0 2px; padding: 0 .35em;
        border-radius: .7em; background: #555; color: #fff; }
ol.notes { font-size: 90%; margin: .3rem 0 1rem; padding: .4rem .6rem .4rem 2.4rem; background: #f6f6f6;
           border-left: 3px solid #d80; }
ol.notes li { margin: .2rem 0; } .sev { font-weight: bold; text-transform: uppercase; font-size: 80%; }
.suggestion { color: #060; } dt { font-weight: bold; }
"""
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
LIST_MARKER_RE = re.compile(r"[ \t>]*(?:([-*+])|\d+[.)])[ \t]")


def _e(value) -> str:
    return escape(_escaped(value, PAGE), quote=True)


def _note_text(v: Violation) -> str:
    return f"{v.code} {v.rule}: {v.message}" + (f"\nSuggestion: {v.suggestion}" if v.suggestion else "")


def _note(v: Violation, ident: str, number: int) -> str:
    suggestion = f' <span class="suggestion">Suggestion: {_e(v.suggestion)}</span>' if v.suggestion else ""
    return (f'<li id="{ident}" value="{number}"><span class="sev {v.severity}">{v.severity}</span> '
            f'line {v.line}: {_e(v.message)}.{suggestion} '
            f'<a href="#rule-{_e(v.code)}">{_e(v.code)} {_e(v.rule)}</a></li>')


def _ref(ident: str, number: int) -> str:
    return f'<a class="ref" href="#{ident}">{number}</a>'


def _highlighted(text: str, spans: list[tuple[int, int, str, Violation, int]],
                 tags: dict[int, str] | None = None, shown=None) -> str:
    """The text with a <mark> on every piece covered by findings and a note number after each.
    `tags` puts markup at offsets (after the note numbers that end there); `shown(offset)` says
    whether the piece starting there is shown (text between blocks is not). One sweep over the
    cuts, with the findings sorted once by start and by end: the time grows with the page's
    size, not with pieces times findings."""
    tags = tags or {}
    cuts = sorted({0, len(text), *tags, *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    starts = sorted(spans, key=lambda span: span[0])
    ends = sorted(spans, key=lambda span: (span[1], span[4]))
    active: dict[int, tuple] = {}  # note number -> the span, for the findings covering this piece
    i = j = 0
    out = []
    for a, b in zip(cuts, cuts[1:] + cuts[-1:]):  # the last cut is the end of the text: refs only
        while j < len(ends) and ends[j][1] == a:
            s, e, ident, v, n = ends[j]
            del active[n]
            out.append(_ref(ident, n))
            j += 1
        if a in tags:
            out.append(tags[a])
        while i < len(starts) and starts[i][0] == a:
            active[starts[i][4]] = starts[i]
            i += 1
        if a == b or (shown and not shown(a)):
            continue
        piece = _e(text[a:b])
        if active:
            covering = [active[n] for n in sorted(active)]
            level = max(v.severity for _, _, _, v, _ in covering)
            piece = (f'<mark class="{level}" data-findings="{" ".join(span[2] for span in covering)}" '
                     f'title="{_e(chr(10).join(_note_text(v) for _, _, _, v, _ in covering))}">{piece}</mark>')
        out.append(piece)
    return "".join(out)


def _groups(doc) -> list[tuple[str, list]]:
    """The blocks as a reader sees them: ("h", [heading]), ("p", [paragraph]), ("ul"/"ol", [items]),
    ("blockquote", [paragraphs]), ("table", [cells]) or ("footnotes", [paragraphs])."""
    groups: list[tuple[str, list]] = []
    for block in doc.blocks:
        previous = groups[-1][0] if groups else None
        if block.kind in ("heading", "cell"):
            kind = "h" if block.kind == "heading" else "table"
        elif block.in_footnote:
            kind = "footnotes"
        elif block.in_list:
            line_start = doc.source.rfind("\n", 0, doc.prose_map[block.start]) + 1
            marker = LIST_MARKER_RE.match(doc.source, line_start)
            if marker:
                kind = "ul" if marker.group(1) else "ol"
            else:   # a list item's second paragraph
                kind = previous if previous in ("ul", "ol") else "ul"
        else:
            kind = "blockquote" if block.in_blockquote else "p"
        if kind == previous and kind not in ("h", "p"):
            groups[-1][1].append(block)
        else:
            groups.append((kind, [block]))
    return groups


def _group_tags(doc, kind: str, blocks: list) -> tuple[dict[int, str], dict[int, str]]:
    """The opening and closing markup of one group, at the prose offsets of its blocks."""
    opening: dict[int, str] = {}
    closing: dict[int, str] = {}
    if kind == "h":
        level = min(6, max(1, blocks[0].heading_level) + 2)
        opening[blocks[0].start], closing[blocks[0].end] = f"<h{level}>", f"</h{level}>"
    elif kind == "table":
        rows: list[list] = []
        for cell in blocks:
            line = doc.position(doc.prose_map[cell.start])[0]
            if not rows or rows[-1][0] != line:
                rows.append([line])
            rows[-1].append(cell)
        for r, (_, *cells) in enumerate(rows):
            cell_tag = "th" if r == 0 and len(rows) > 1 else "td"
            for c, cell in enumerate(cells):
                opening[cell.start] = ("<table><tr>" if r == c == 0 else "<tr>" if c == 0 else "") + f"<{cell_tag}>"
                closing[cell.end] = f"</{cell_tag}>" + ("</tr>" if c == len(cells) - 1 else "")
        closing[blocks[-1].end] += "</table>"
    else:
        outer, inner = {"p": ("", "p"), "ul": ("ul", "li"), "ol": ("ol", "li"), "blockquote": ("blockquote", "p"),
                        "footnotes": ('div class="footnotes"', 'p class="footnote"')}[kind]
        for block in blocks:
            opening[block.start], closing[block.end] = f"<{inner}>", f"</{inner.split()[0]}>"
        if outer:
            opening[blocks[0].start] = f"<{outer}>" + opening[blocks[0].start]
            closing[blocks[-1].end] += f"</{outer.split()[0]}>"
    return opening, closing


def _front_matter(doc) -> str:
    shown = [(key, value) for key, value in doc.metadata.items() if isinstance(value, (str, int, float))
             or hasattr(value, "isoformat")]
    if not shown:
        return ""
    return ('<table class="front-matter">' + "".join(f"<tr><th>{_e(key)}</th><td>{_e(value)}</td></tr>"
                                                     for key, value in shown) + "</table>")


def _rendered(doc, found: list[tuple[int, int, str, Violation, int]]) -> tuple[str, list[int]]:
    """The article as a reader sees it, with findings highlighted in place and each finding's note
    after the block where it ends; and the note numbers of the findings that fall on no shown
    text (front matter, code, the whole article)."""
    from bisect import bisect_left
    spans, elsewhere = [], []
    for start, end, ident, v, n in found:
        prose_start, prose_end = bisect_left(doc.prose_map, start), bisect_left(doc.prose_map, end)
        block = doc.block_at(prose_start)
        if block is None and prose_start < prose_end:
            block = doc.block_at(prose_end - 1)
        if end <= start or block is None or prose_end <= prose_start:
            elsewhere.append(n)
        else:
            spans.append((prose_start, prose_end, ident, v, n))
    tags: dict[int, str] = {}

    def add(at: int, markup: str, before: bool = False) -> None:
        tags[at] = markup + tags.get(at, "") if before else tags.get(at, "") + markup

    notes_after: dict[int, list] = {}   # the offset where a group ends -> its notes
    group_ends = []
    for kind, blocks in _groups(doc):
        opening, closing = _group_tags(doc, kind, blocks)
        for at, markup in closing.items():
            add(at, markup)
        for at, markup in opening.items():
            add(at, markup)
        group_ends.append(blocks[-1].end)
    for link in doc.links:
        if link.end > link.start and doc.block_at(link.start) is not None:
            add(link.start, f'<span class="link" title="{_e(link.href)}">')
            add(link.end, "</span>", before=True)
    for ref in doc.footnote_refs:
        at = bisect_left(doc.prose_map, ref.source_offset)
        if doc.block_at(max(0, at - 1)) is not None:
            add(at, f'<sup class="footnote-ref">[{_e(ref.label)}]</sup>', before=True)
    for span in spans:
        group_end = group_ends[bisect_left(group_ends, span[1])] if span[1] <= group_ends[-1] else group_ends[-1]
        notes_after.setdefault(group_end, []).append(span)
    for at, ended in notes_after.items():
        add(at, '<ol class="notes">' + "".join(_note(v, ident, n) for _, _, ident, v, n in
                                               sorted(ended, key=lambda span: span[4])) + "</ol>")
    html = _highlighted(doc.prose, spans, tags, shown=lambda at: doc.block_at(at) is not None)
    return html, elsewhere


def _scores(doc) -> dict[str, float] | None:
    from healthlint.analysis.reading import FORMULAS, prose_blocks, scored_text, textstat_scorer, word_count
    text = scored_text(doc, prose_blocks(doc))
    words = word_count(text)
    if not words:
        return None
    ts = textstat_scorer()
    return {"words": words, **{name: round(getattr(ts, fn)(text), 1) for fn, name in FORMULAS.values()}}


def _article(number: int, path: str, source: str | None, found: list[Violation]) -> tuple[str, dict | None]:
    ident = [f"a{number}-f{k}" for k in range(1, len(found) + 1)]
    body = [f'<section class="article" id="article-{number}"><h2>{_e(path)}</h2>']
    scores = None
    elsewhere = list(range(1, len(found) + 1))
    if source is not None:
        from healthlint.document import parse
        scores = _scores(parse(path, source))
        doc = parse(path, source, keep_urls=True)
        starts = [0] + [i + 1 for i, ch in enumerate(doc.source) if ch == "\n"]
        located = []
        for k, v in enumerate(found, 1):
            line, end_line = min(v.line, len(starts)) - 1, min(v.end_line, len(starts)) - 1
            start = max(0, min(starts[line] + v.column - 1, len(doc.source)))
            end = min(starts[end_line] + v.end_column - 1, len(doc.source))
            located.append((start, end, ident[k - 1], v, k))
        html, elsewhere = _rendered(doc, located) if doc.blocks else ("", elsewhere)
    if elsewhere:
        body.append('<ol class="notes whole">' + "".join(_note(found[k - 1], ident[k - 1], k) for k in elsewhere)
                    + "</ol>")
    if source is None:
        body.append('<p class="text">(the text could not be shown)</p>')
    else:
        body.append(f'<div class="rendered">{_front_matter(doc)}{html}</div>')
    if not found:
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
