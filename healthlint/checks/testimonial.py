"""testimonial (HL104): a personal story offered as evidence that a treatment works."""
from __future__ import annotations

from functools import cached_property

from healthlint.analysis.zones import DEFAULT_ZONES, zones_of
from healthlint.matching import Matcher
from healthlint.model import Finding, Rule

STORY_ZONES = DEFAULT_ZONES | {"table", "blockquote"}   # blockquotes: see the skip-blockquotes option

MESSAGE = ("a personal story is offered as evidence that the treatment works; add what studies found in "
           "groups of people, or say that individual results vary")


class Testimonial(Rule):
    @cached_property
    def cues(self) -> dict:
        return {"person": Matcher(patterns=self.data["person-patterns"]),
                "outcome": Matcher(patterns=self.data["outcome-patterns"]), "vary": Matcher(self.data["results-vary"])}

    def _matches(self, doc, matcher, block):
        return doc.unnegated(matcher, block.start, block.end)

    def check(self, doc, options):
        cues, blocks, zones = self.cues, doc.blocks, zones_of(doc)
        for k, block in enumerate(blocks):
            if block.kind == "heading" or doc.citations.is_reference(block) or zones.block_zone(block) not in STORY_ZONES:
                continue
            if options["skip-blockquotes"] and block.in_blockquote:
                continue
            outcomes = list(self._matches(doc, cues["outcome"], block))  # the rarer cue first
            people = list(self._matches(doc, cues["person"], block)) if outcomes else []
            if not people:
                continue
            note_end = blocks[k + 1].end if k + 1 < len(blocks) else block.end  # "results vary" after the story
            if (cues["vary"].search(doc.prose, block.start, note_end)
                    or doc.citations.cites(block.start, block.end)):
                continue
            first = min(people[0].start(), outcomes[0].start())
            last = max(people[0].end(), outcomes[0].end())
            yield Finding(first, last, MESSAGE)
