"""broken-reference (HL111): numbered references and footnote references that resolve to nothing."""
from __future__ import annotations

from healthlint.model import Finding, Rule, RuleDocs, Severity

MESSAGES = {
    "footnote": "footnote reference {text} has no matching footnote; add the footnote or remove the reference",
    "other": "reference {text} points to nothing; add it to the numbered References list or fix the number",
}


class BrokenReference(Rule):
    def check(self, doc, options):
        for marker in doc.citations.broken:
            template = MESSAGES["footnote" if marker.style == "footnote" else "other"]
            yield Finding(marker.start, marker.end, template.format(text=marker.text), None, True)


RULES = [BrokenReference(
    code="HL111", name="broken-reference", severity=Severity.WARNING,
    summary="A numbered reference ([4], ⁴) or footnote reference ([^4]) that resolves to nothing.",
    docs=RuleDocs(
        what="Flags a footnote reference (`[^4]`) with no matching footnote definition, and a numbered "
             "reference (`[4]`, `[2-5]`, superscripts such as `⁴` or `<sup>4</sup>`) whose number is not in a "
             "numbered list under a References, Sources or Citations heading. A number in round brackets "
             "(`(4)`) counts as a reference only when the document cites that way elsewhere, so lists such as "
             '"(1) eat less, (2) move more" stay silent; so do units ("m²") and reference lists themselves.',
        why="A reference that leads nowhere looks like evidence but cannot be checked: a reader who follows it "
            "finds nothing, and usually it means a source was lost while the article was edited.",
        standard="JAMA benchmarks for health websites (Silberg et al. 1997): attribution, references and "
                 "sources for all content; DISCERN (Charnock et al. 1999) question 4 (clear sources).",
        bad="Ketamine works within hours [3].\n\n## References\n\n1. Lee A. 2020.\n2. Smith B. 2021.",
        good="Ketamine can ease symptoms within hours [2].\n\n## References\n\n1. Lee A. 2020.\n2. Smith B. 2021."),
    tests={
        "fail": [
            {"text": "It works within hours [3].\n\n## References\n\n1. Lee A. 2020.\n2. Smith B. 2021.",
             "expect": ["1:23"]},
            {"text": "It works [1]. It is safe [2, 4].\n\n## Sources\n\n[1] Lee A. 2020.\n[2] Smith B. 2021.",
             "expect": ["1:26"]},
            {"text": "It works within hours [1].", "expect": ["1:23"]},
            {"text": "It works within hours.[^lee]\n\nSee the notes.", "expect": ["1:23"]},
            {"text": "It works.³ It is safe.¹\n\n## References\n\n1. Lee A. 2020.", "expect": ["1:10"]},
            {"text": "It works<sup>7</sup>.\n\n## References\n\n1. Lee A. 2020.", "expect": ["1:9"]},
            {"text": "It works (1). It is safe (5).\n\n## References\n\n1. Lee A. 2020.", "expect": ["1:26"]},
            {"text": "It works [2].\n\nReferences:\n\n1. Lee A. 2020.", "path": "case.txt", "expect": ["1:10"]},
        ],
        "pass": [
            "It works within hours [2].\n\n## References\n\n1. Lee A. 2020.\n2. Smith B. 2021.",
            "It works [1-3].\n\n## References\n\n1. Lee A. 2020.\n1. Smith B. 2021.\n1. Chan C. 2022.",
            "It works.[^1]\n\n[^1]: Lee A. 2020.",
            "It works.²\n\n## Sources\n\n1. Lee A.\n2. Smith B.",
            "Three steps: (1) eat less, (2) move more, (3) sleep well.",
            "BMI is weight in kg divided by height in m², and 10³ is a thousand.",
            "Use `arr[1]` in code.\n\n```\nx = [2]\n```",
            "See [the trial][1].\n\n[1]: https://example.org/trial",
            "> A quoted claim with its source.[^a]\n\n[^a]: Lee A. 2020.",
            {"text": "It works [1].\n\nReferences\n\n[1] Lee A. 2020.", "path": "case.txt"},
            {"text": "It works.[^1]\n\n[^1]: Lee A. 2020.", "path": "case.txt"},
        ],
    },
)]
