"""citation-needed (HL110): evidence appeals, statistics and regulatory facts with no source."""
from __future__ import annotations

import bisect
from functools import lru_cache

from healthlint.model import Finding, RuleDocs, Severity
from healthlint.packs import COMMON_OPTIONS, Matcher, TextRule
from healthlint.resources import load_lexicon

KINDS = {
    "appeals": ("claim_evidence_patterns",
                '"{match}" appeals to evidence without a source; cite the study or guideline '
                "(a link, a footnote or a numbered reference)"),
    "statistics": ("claim_statistic_patterns",
                   '"{match}" is a figure without a source; say where it comes from '
                   "(a link, a footnote or a numbered reference)"),
    "regulatory": ("claim_regulatory_patterns",
                   '"{match}" is a regulatory fact readers should be able to check; '
                   "link to the approval or guideline, or cite it"),
}


@lru_cache(maxsize=1)
def _cues() -> dict:
    lex = load_lexicon("evidence")
    cues = {kind: Matcher(patterns=lex[key]) for kind, (key, _) in KINDS.items()}
    cues["exceptions"] = Matcher(patterns=lex["claim_exception_patterns"])
    cues["back"] = Matcher(patterns=lex["back_reference_patterns"])
    return cues


class CitationNeeded(TextRule):
    @property
    def exceptions(self) -> Matcher:
        return _cues()["exceptions"]

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
        for kind in KINDS:
            if options[f"check-{kind}"]:
                matches = list(_cues()[kind].finditer(doc.prose))
                found[kind] = ([m.start() for m in matches], matches)
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
            if (i > 0 and doc.block_at(sentences[i - 1][0]) is block and _cues()["back"].match(doc.prose, start)
                    and citations.cites(*sentences[i - 1])):
                continue  # "In that review, deaths fell by 14%": the source is in the sentence before
            cue_start, cue_end, kind = claim
            match = " ".join(doc.prose[cue_start:cue_end].split())
            yield Finding(start, end, KINDS[kind][1].format(match=match))


RULES = [CitationNeeded(
    code="HL110", name="citation-needed", severity=Severity.WARNING,
    summary='Claims a reader would want to check ("studies show", statistics, "FDA-approved") with no source.',
    docs=RuleDocs(
        what='Flags a sentence that appeals to evidence or authority ("studies show", "research suggests", '
             '"clinical trials have shown", "scientists found", "experts say", "doctors recommend", "according '
             'to research"), gives a statistic (percentages, "1 in 4", "twice as likely", "millions of people", '
             'numbers of patients) or states a regulatory fact ("FDA-approved", "approved in 2019", "licensed for", '
             '"recommended by the WHO") when neither it nor the next sentence in the paragraph carries a citation. '
             "Citations are: an inline link or URL, a footnote reference with a matching footnote, a numbered "
             "reference ([2], (2), superscripts) that resolves to a numbered list under a References, Sources or "
             'Citations heading, an author-year citation ("(Smith et al., 2021)", "Smith and Lee (2020)"), a DOI, '
             'a PMID or PMCID, or a named source ("according to the CDC\'s 2024 report"). The warning sits at the '
             "start of the sentence. Headings, questions, quotations, blockquotes, negated cues, reference lists "
             "and footnote text stay silent; discount percentages and product strengths (\"15% off\", \"95% "
             'extract") are not statistics.',
        why="Readers cannot judge a health claim they cannot trace. A statistic or an appeal to \"studies\" "
            "without a source borrows the authority of science without letting anyone check it, and unsourced "
            "figures are how errors and exaggerations spread from article to article.",
        standard="JAMA benchmarks for health websites (Silberg et al. 1997, JAMA 277:1244): attribution, all "
                 "claims referenced; DISCERN (Charnock et al. 1999) question 4, \"Is it clear what sources of "
                 "information were used?\"; HONcode principle 4 (attribution); HealthNewsReview.org criterion on "
                 "the quality of the evidence; FTC Health Products Compliance Guidance (2022) on substantiation.",
        bad="Studies show that ketamine relieves depression in 70% of patients.",
        good="In a 2023 trial, 55% of people with treatment-resistant depression improved within a day "
             "(Smith et al., 2023).[^1]"),
    options=dict(COMMON_OPTIONS, **{"check-appeals": True, "check-statistics": True, "check-regulatory": True,
                                    "look-ahead": 1}),
    tests={
        "fail": [
            {"text": "Studies show that ketamine works.", "expect": ["1:1"]},
            {"text": "# Ketamine\n\nIt helps fast. Research suggests it lasts for weeks.", "expect": ["3:16"]},
            {"text": "About 1 in 4 adults has high blood pressure.", "expect": ["1:1"]},
            {"text": "Curcumin lowers inflammation by up to 58%.\n\nIt is cheap.", "expect": ["1:1"]},
            {"text": "People who smoke are twice as likely to have a stroke.", "expect": ["1:1"]},
            {"text": "Millions of people live with migraine. Doctors recommend rest.", "expect": ["1:1", "1:40"]},
            {"text": "We have treated 5,000 patients since 2015.", "expect": ["1:1"]},
            {"text": "Esketamine nasal spray is FDA-approved for depression.", "expect": ["1:1"]},
            {"text": "The drug was approved in 2019 for adults.", "expect": ["1:1"]},
            {"text": "It is recommended by the WHO for all children.", "expect": ["1:1"]},
            {"text": "Experts say it is safe [4].\n\n## References\n\n1. Lee A. Safety. 2020.",
             "expect": ["1:1"]},
            {"text": "Experts agree it works.[^9]", "expect": ["1:1"]},
            {"text": "- Scientists found it lowers stress.\n- Mice liked it.", "expect": ["1:3"]},
            {"text": "| Item | Note |\n|---|---|\n| Pepper | Boosts absorption up to 2,000% |", "expect": ["3:12"]},
            {"text": "A 2021 study found a clear benefit. According to research, it is safe.",
             "expect": ["1:1", "1:37"]},
            {"text": "Our survey found 87% of people felt better.\nCall us.", "path": "case.txt", "expect": ["1:1"]},
            {"text": "It is well known that sugar feeds cancer. See our shop.", "expect": ["1:1"]},
            {"text": "A review found a benefit. In that review, deaths fell by 14%.", "expect": ["1:1", "1:27"]},
            {"text": "The Food and Drug Administration (FDA), however, approved it in 2019.", "expect": ["1:1"]},
        ],
        "pass": [
            "Studies show that ketamine works ([trial report](https://example.org/trial)).",
            "About 1 in 4 adults has high blood pressure.[^1]\n\n[^1]: CDC. Hypertension facts. 2024.",
            "About 1 in 4 adults has high blood pressure[^bp].\n\n[^bp]: CDC. Hypertension facts. 2024.",
            "Deaths fell by about 14% [2].\n\n## References\n\n1. Lee A. 2020.\n2. Taylor F. Cochrane. 2013.",
            "Deaths fell by about 14% [1-2].\n\n## Sources\n\n1. Lee A. 2020.\n1. Taylor F. 2013.",
            "Deaths fell by about 14% (2).\n\n## Citations\n\n[1] Lee A. 2020.\n[2] Taylor F. 2013.",
            "Deaths fell by about 14%².\n\n**References**\n\n1. Lee A. 2020.\n2. Taylor F. 2013.",
            "Deaths fell by about 14%<sup>2</sup>.\n\n## References\n\n1. Lee A. 2020.\n2. Taylor F. 2013.",
            {"text": "Deaths fell by 14% [2].\n\nReferences\n\n[1] Lee A. 2020.\n[2] Taylor F. 2013.",
             "path": "case.txt"},
            "Studies show a small benefit (Smith et al., 2021).",
            "Smith and Lee (2020) found that 30% of people improved.",
            "Clinical trials have shown a benefit (doi:10.1002/14651858.CD004816.pub5).",
            "Research suggests it helps, PMID: 20934620.",
            "Research suggests it helps (PMC1234567).",
            "About 1 in 5 adults has high blood pressure, according to the CDC's 2024 report.",
            "According to the World Health Organization, 1.3 billion people use tobacco.",
            "The NHS estimates that 1 in 10 adults has asthma.",
            "Studies show a small benefit, as reported in https://example.org/review.",
            "About 28% of adults sleep less than 7 hours. That figure is from the [CDC](https://www.cdc.gov/sleep).",
            "There is no evidence that studies show a benefit.",
            "Do studies show that it works?",
            "## Studies show it works\n\nThe trial is [here](https://example.org).",
            'She said "studies show it works" but gave no source.',
            "> Studies show it works, my neighbour told me.",
            "Mention this post for 15% off, or try our 95% curcumin extract (95%).",
            "The product is 100% natural.",
            "Take 2 tablets with 250 ml of water, 3 times a day.",
            "Our licensed therapists are here for you.",
            "BMI is weight in kg divided by height in m².",
            "```\nStudies show 50% of people\n```",
            "---\nsummary: studies show 40% improve\n---\n\nText.",
            "Read more at https://example.org/1-in-4-adults.",
            "Deaths fell by about 14%.[^2]\n\n[^2]: Taylor F, et al. 40% of 1,000 patients. 2013.",
            "A review found a benefit.[^2] In that review, deaths fell by 14%.\n\n[^2]: Taylor F. 2013.",
            "With the [FDA's approval](https://www.fda.gov/news) of esketamine, more clinics opened.",
        ],
    },
)]
