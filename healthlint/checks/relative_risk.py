"""relative-risk-only (HL106): a benefit or risk given only as a relative change."""
from __future__ import annotations

import bisect
from functools import cached_property

from healthlint.matching import Matcher
from healthlint.model import Finding
from healthlint.packs import TextRule


class RelativeRiskOnly(TextRule):
    """Each relative change ("cuts the risk by 50%") with no absolute figure ("from 2 in 100
    to 1 in 100") in its own sentence or the `reach` sentences around it in its paragraph."""

    @cached_property
    def cues(self) -> dict[str, Matcher]:
        return {"relative": Matcher(patterns=self.data["relative-patterns"]),
                "absolute": Matcher(patterns=self.data["absolute-patterns"])}

    @cached_property
    def exceptions(self) -> Matcher:
        return Matcher(patterns=self.data["exception-patterns"])

    def check(self, doc, options):
        reach = max(0, int(options["reach"]))
        sentences = doc.sentences
        starts = [s for s, _ in sentences]
        for m in self.cues["relative"].finditer(doc.prose):
            if self.silenced(doc, m.start(), m.end(), options):
                continue
            i = bisect.bisect_right(starts, m.start()) - 1
            block = doc.block_at(m.start())
            near = [sentences[k] for k in range(max(0, i - reach), min(len(sentences), i + reach + 1))
                    if doc.block_at(sentences[k][0]) is block]
            if any(self.cues["absolute"].search(doc.prose, s, e) for s, e in near):
                continue
            yield Finding(m.start(), m.end(), f'"{m.group(0)}" gives only a relative change; add the absolute numbers '
                          "(for example from 4 in 100 to 2 in 100 people) so readers can judge how big it is", None)
