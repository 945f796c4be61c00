"""broken-reference (HL111): numbered references and footnote references that resolve to nothing."""
from __future__ import annotations

from healthlint.model import Finding, Rule

MESSAGES = {
    "footnote": "footnote reference {text} has no matching footnote; add the footnote or remove the reference",
    "other": "reference {text} points to nothing; add it to the numbered References list or fix the number",
}


class BrokenReference(Rule):
    def check(self, doc, options):
        for marker in doc.citations.broken:
            template = MESSAGES["footnote" if marker.style == "footnote" else "other"]
            yield Finding.in_markup(marker.start, marker.end, template.format(text=marker.text))
