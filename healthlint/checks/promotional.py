"""promotional (HL105): calls to action and sales language inside health content."""
from __future__ import annotations

from functools import cached_property

from healthlint.analysis.citations import is_heading_like
from healthlint.matching import Matcher
from healthlint.model import Finding, Severity
from healthlint.packs import TextRule

MESSAGE = ('"{match}" is sales language; say who is behind this article and what they sell '
           '(a "Disclosure" section or a sponsor: line in the front matter)')
DISCLOSED = ('"{match}" is sales language; the article discloses who is behind it, but keep sales '
             "out of the health information")


class Promotional(TextRule):
    exceptions = Matcher()

    @cached_property
    def cues(self) -> dict:
        data = self.data
        return {"cta": Matcher(patterns=data["cta-patterns"]), "cta_names": Matcher(patterns=data["cta-name-patterns"]),
                "price": Matcher(patterns=[data["price-pattern"]]),
                "urgency": Matcher(data["urgency"]), "disclosure": Matcher(data["disclosure-phrases"]),
                "headings": frozenset(data["disclosure-headings"])}

    def disclosed(self, doc, options) -> bool:
        """Front matter names a sponsor, a heading says "Disclosure", or the text discloses it."""
        if any(doc.metadata.get(key) for key in options["disclosure-keys"]):
            return True
        if any(is_heading_like(doc, b, self.cues["headings"]) for b in doc.blocks):
            return True
        extra = Matcher(options["disclosure-phrases"])
        return any(not self.silenced(doc, m.start(), m.end(), options)
                   for matcher in (self.cues["disclosure"], extra) for m in matcher.finditer(doc.prose))

    def _sales(self, doc, options):
        cues = self.cues
        yield from cues["cta"].finditer(doc.prose)
        yield from cues["cta_names"].finditer(doc.prose)
        within = int(self.data["urgency-within"])
        for m in cues["price"].finditer(doc.prose):
            start, end = doc.sentence_at(m.start())
            if cues["urgency"].search(doc.prose, max(start, m.start() - within), min(end, m.end() + within)):
                yield m

    def check(self, doc, options):
        disclosed = None
        seen: set[tuple[int, int]] = set()
        for m in sorted(self._sales(doc, options), key=lambda m: m.start()):
            sentence = doc.sentence_at(m.start())
            if sentence in seen or self.silenced(doc, m.start(), m.end(), options):
                continue
            seen.add(sentence)
            if disclosed is None:
                disclosed = self.disclosed(doc, options)
            match = " ".join(m.group(0).split())
            yield Finding(m.start(), m.end(), (DISCLOSED if disclosed else MESSAGE).format(match=match), None,
                          severity=Severity.INFO if disclosed else None)
