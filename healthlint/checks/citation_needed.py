"""citation-needed (HL110): evidence appeals, statistics and regulatory facts with no source."""
from __future__ import annotations

import bisect
from functools import cached_property

from healthlint.matching import Matcher
from healthlint.model import Finding
from healthlint.packs import TextRule

APPEAL = ('"{match}" appeals to evidence without a source; cite the study or guideline '
          "(a link, a footnote or a numbered reference)")
FIGURE = ('"{match}" is a figure without a source; say where it comes from '
          "(a link, a footnote or a numbered reference)")
KINDS = {   # kind: (its patterns in the spec's data, the option that turns it on, message)
    "appeals": ("claim-evidence-patterns", "check-appeals", APPEAL),
    "study-reports": ("study-report-patterns", "check-appeals", APPEAL),
    "statistics": ("claim-statistic-patterns", "check-statistics", FIGURE),
    "headcounts": ("claim-headcount-patterns", "check-statistics", FIGURE),
    "regulatory": ("claim-regulatory-patterns", "check-regulatory",
                   '"{match}" is a regulatory fact readers should be able to check; '
                   "link to the approval or guideline, or cite it"),
}


class CitationNeeded(TextRule):
    @cached_property
    def cues(self) -> dict:
        cues = {kind: Matcher(patterns=self.data[key]) for kind, (key, _, _) in KINDS.items()}
        cues["back"] = Matcher(patterns=self.data["back-reference-patterns"])
        cues["study"] = Matcher(self.data["study-context"]["phrases"])
        cues["world"] = Matcher(self.data["world-context"]["phrases"])
        cues["attribution"] = Matcher(patterns=self.data["attribution-patterns"])
        cues["not-yet"] = Matcher(patterns=self.data["regulatory-not-yet-patterns"])
        cues["news"] = Matcher(patterns=self.data["regulatory-news-patterns"])
        return cues

    @cached_property
    def exceptions(self) -> Matcher:
        return Matcher(patterns=self.data["claim-exception-patterns"])

    def _claim(self, doc, start: int, end: int, options: dict, found: dict):
        """The first claim cue in a sentence that is not silenced, with its kind."""
        hits = []
        for kind, (starts, matches) in found.items():
            i = bisect.bisect_left(starts, start)
            while i < len(matches) and matches[i].start() < end:
                m = matches[i]
                if m.end() <= end and not self.silenced(doc, m.start(), m.end(), options):
                    hits.append((m.start(), m.end(), kind))
                    break
                i += 1
        return min(hits) if hits else None

    def check(self, doc, options):
        sentences = doc.sentences
        citations = doc.citations
        look_ahead = max(0, int(options["look-ahead"]))
        found = {}   # kind -> (match starts, matches): one scan of the prose per kind, not one per sentence
        for kind, (_, option, _) in KINDS.items():
            if options[option]:
                matches = list(self.cues[kind].finditer(doc.prose))
                found[kind] = ([m.start() for m in matches], matches)
        # a release whose news is the approval ("today announced FDA clearance of ..."): it is the source
        announces_approval = "regulatory" in found and bool(self.cues["news"].search(doc.prose))
        for i, (start, end) in enumerate(sentences):
            block = doc.block_at(start)
            if block is None or block.kind == "heading" or citations.is_reference(block):
                continue
            if doc.is_question(start, end):
                continue  # a question asks; it does not assert
            claim = self._claim(doc, start, end, options, found)
            if claim is None:
                continue
            following = [s for s in sentences[i + 1:i + 1 + look_ahead] if doc.block_at(s[0]) is block]
            if citations.cites(start, end) or any(citations.cites(s, e) for s, e in following):
                continue
            if citations.names_publication_in(start, end):
                continue  # "..., according to research presented at the 2017 International Stroke Conference"
            if (i > 0 and doc.block_at(sentences[i - 1][0]) is block and self.cues["back"].match(doc.prose, start)
                    and citations.cites(*sentences[i - 1])):
                continue  # "In that review, deaths fell by 14%": the source is in the sentence before
            cue_start, cue_end, kind = claim
            if kind == "regulatory" and (announces_approval or self.cues["not-yet"].search(doc.prose, start, cue_start)):
                continue  # "is not yet FDA-approved", "plans to apply for FDA approval next year"
            if kind == "headcounts" and self._study_sample(doc, start, end, cue_start, cue_end):
                continue  # "The trial will include 20 patients in each group": how the study is run
            if self._about_the_study(doc, sentences, i, kind) and citations.names_publication:
                continue  # the reported study's own finding, and the article says where it was published
            if kind in ("statistics", "headcounts") and any(
                    self.cues["attribution"].match(doc.prose, s, block.end) for s in (block.start, start)):
                continue  # "According to the CDC, ...": the paragraph or sentence says where its figures come from
            match = " ".join(doc.prose[cue_start:cue_end].split())
            yield Finding(start, end, KINDS[kind][2].format(match=match))

    def _about_the_study(self, doc, sentences, i: int, kind: str) -> bool:
        """A report of the study ("the researchers found"), or a figure that is not about the world
        ("each year", "Americans") unless it is about the study's participants; "studies show",
        "experts agree" and regulatory facts are not the study's."""
        if kind == "study-reports":
            return True
        if kind not in ("statistics", "headcounts"):
            return False
        cues = self.cues
        return not cues["world"].search(doc.prose, *sentences[i]) or bool(cues["study"].search(doc.prose, *sentences[i]))

    def _study_sample(self, doc, start: int, end: int, cue_start: int, cue_end: int) -> bool:
        """A count of people in a sentence about the study ("the trial", "each group") and not about
        the world ("each year", "in the U.S."): the study's sample, not a fact to source."""
        cues = self.cues
        return (not cues["world"].search(doc.prose, start, end)
                and any(cues["study"].search(doc.prose, s, e) for s, e in ((start, cue_start), (cue_end, end))))
