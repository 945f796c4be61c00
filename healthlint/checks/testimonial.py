"""testimonial (HL104): a personal story offered as evidence that a treatment works."""
from __future__ import annotations

from functools import lru_cache

from healthlint.model import Finding, Rule, RuleDocs, Severity
from healthlint.packs import Matcher
from healthlint.resources import load_lexicon

MESSAGE = ("a personal story is offered as evidence that the treatment works; add what studies found in "
           "groups of people, or say that individual results vary")


@lru_cache(maxsize=1)
def _cues() -> dict:
    lex = load_lexicon("evidence")
    return {"person": Matcher(patterns=lex["person_patterns"]), "outcome": Matcher(patterns=lex["outcome_patterns"]),
            "vary": Matcher(lex["results_vary"])}


class Testimonial(Rule):
    def _matches(self, doc, matcher, block):
        return doc.unnegated(matcher, block.start, block.end)

    def check(self, doc, options):
        cues, blocks = _cues(), doc.blocks
        for k, block in enumerate(blocks):
            if block.kind == "heading" or doc.citations.is_reference(block):
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


RULES = [Testimonial(
    code="HL104", name="testimonial", severity=Severity.INFO,
    summary="A personal story (\"Sarah, 32, got her life back\") offered as evidence that a treatment works.",
    docs=RuleDocs(
        what='Flags a paragraph that describes an individual ("Sarah, a 32-year-old mother", "Marcus, 42", '
             '"Doreen M.", "one patient", "our clients") together with an outcome claim ("gave her her life '
             'back", "noticed a significant improvement", "back to normal", "within hours", "after her first '
             'session", "for the first time in years"). Testimonials in quotation marks and blockquotes count: '
             "that is where they usually are. It stays silent when the paragraph cites a source (a published "
             'case report), when it or the next paragraph says that results vary, for negated outcomes ("she '
             'did not feel better") and for patient stories without an outcome claim. Info by default; '
             'set `severity = "warning"` under [rules.testimonial] to make it a warning.',
        why="One person's recovery says nothing about how often a treatment works: people recover on their "
            "own, improve on placebo, and the stories that get told are the good ones. Readers find stories "
            "more convincing than numbers, which is why marketing uses them.",
        standard="FTC Guides Concerning the Use of Endorsements and Testimonials in Advertising (16 CFR Part 255, "
                 "revised 2023) and FTC Health Products Compliance Guidance (2022): testimonials must reflect "
                 "typical results and cannot replace scientific substantiation; FDA health-fraud tip-offs "
                 "(personal testimonials); HealthNewsReview.org criterion on anecdotes; DISCERN question 5 "
                 "(balance).",
        bad="Sarah, a 32-year-old mother, said the infusions gave her her life back after her first session.",
        good="In trials, about half of people improved within a day. Sarah, one of our patients, told us the "
             "infusions helped her; results vary from person to person."),
    options={"skip-blockquotes": False},
    tests={
        "fail": [
            {"text": "Sarah, a 32-year-old mother, said the infusions gave her her life back.", "expect": ["1:1"]},
            {"text": "Marcus, 42, came to us after years of depression.\nAfter his third session he went hiking "
                     "for the first time in years.", "expect": ["1:1"]},
            {"text": "Many of our patients describe instant relief after their very first infusion.",
             "expect": ["1:9"]},
            {"text": "> “Three weeks on the capsules and I'm back to kneeling in the garden.”\n> — Doreen M., "
                     "Shropshire", "expect": ["1:36"]},
            {"text": "One client noticed a significant improvement within hours.", "expect": ["1:1"]},
        ],
        "pass": [
            "One patient, Sandra, described her experience: “My GP said it wasn't a magic bullet. I still had to "
            "change how I eat.”",
            "Sarah, a 32-year-old mother, gave her life back to her career after the birth.",
            "Marcus, 42, came to us after years of depression. He did not feel better after his first session.",
            "Sarah, 32, noticed a big improvement after her first session. Individual results vary.",
            "Sarah, 32, noticed a big improvement after her first session.\n\nResults vary from person to person.",
            "In a published case report, one patient was back to normal within days "
            "[(Lee, 2020)](https://doi.org/10.1/x).",
            "Most people feel better within a few days, whatever they take.",
            "Our patients can book evening appointments.",
            "```\nSarah, 32, got her life back\n```",
        ],
    },
)]
