"""Evidence rules beyond their own cases: the citation finder, reference lists, severities."""
from pathlib import Path

import pytest

from healthlint.analysis import parse
from healthlint.model import Severity

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EVIDENCE = ["HL103", "HL104", "HL105", "HL110", "HL111"]


def cited(text, path="a.md"):
    """Whether each sentence of the first paragraph carries a citation."""
    doc = parse(path, text)
    first = doc.blocks[0]
    return [doc.citations.cites(s, e) for s, e in doc.sentences if first.start <= s < first.end]


@pytest.mark.parametrize("text", [
    "It works [in a trial](https://example.org).",
    "It works <https://example.org/trial>.",
    "It works, see https://example.org/trial.",
    "It works.[^a]\n\n[^a]: Lee A. 2020.",
    "It works[^a].\n\n[^a]: Lee A. 2020.",
    "It works [2].\n\n## References\n\n1. Lee.\n2. Smith.",
    "It works (2).\n\n## Sources\n\n1. Lee.\n2. Smith.",
    "It works.²\n\n## Citations\n\n1. Lee.\n2. Smith.",
    "It works.<sup>1-2</sup>\n\n## References\n\n1. Lee.\n2. Smith.",
    "It works (Smith et al., 2021).",
    "It works (WHO 2023; Lee 2020).",
    "Smith and Lee (2020) say it works.",
    "Lee et al. (2019) say it works.",
    "It works (doi:10.1016/S0140-6736(10)61350-5).",
    "It works (PMID: 20934620).",
    "It works (PMC3024485).",
    "It works, according to the CDC's 2024 report.",
    "According to Cancer Research UK, it works.",
    "The NHS says it works.",
    "It works, as published in The Lancet.",
])
def test_every_citation_form_is_recognised(text):
    assert cited(text) == [True]


@pytest.mark.parametrize("text", [
    "It works.",
    "It works [3].\n\n## References\n\n1. Lee.\n2. Smith.",
    "It works.[^b]\n\n[^a]: Lee A. 2020.",
    "It works [here](#results).",
    "Call [our clinic](tel:5550142290).",
    "It works (March 2020).",
    "According to research, it works.",
    "It is FDA-approved.",
    "It covers 25 m².",
])
def test_things_that_are_not_citations(text):
    assert cited(text) == [False]


def test_markdown_lazy_numbering_resolves_like_the_rendered_list():
    doc = parse("a.md", "A [3].\n\n## References\n\n1. Lee.\n1. Smith.\n1. Chan.")
    assert doc.citations.numbers == {1, 2, 3}
    assert doc.citations.broken == []


def test_reference_list_in_plain_text_with_brackets_and_ranges():
    doc = parse("a.txt", "A [1-3]. B [1, 4].\n\nSources:\n\n[1] Lee.\n[2] Smith.\n[3] Chan.")
    assert doc.citations.numbers == {1, 2, 3}
    assert [m.text for m in doc.citations.broken] == ["[1, 4]"]


def test_reference_lists_and_footnotes_are_not_prose_to_check(lint):
    text = ("Intro.[^1]\n\n## References\n\n1. Lee A. 40% of 1,000 patients improved. 2020.\n\n"
            "[^1]: Studies show 1 in 4 adults. 2021.")
    assert [v.code for v in lint(text, select=["HL110", "HL111"])] == []
    doc = parse("a.md", text)
    footnote = [b for b in doc.blocks if b.in_footnote]
    assert [doc.text(b) for b in footnote] == ["Studies show 1 in 4 adults. 2021."]


def test_citation_needed_finding_covers_the_sentence(lint):
    [v] = lint("Intro here.\n\n  Studies show 70% of people improve. It is new.", select=["HL110"])
    assert (v.line, v.column, v.end_line, v.end_column) == (3, 3, 3, 38)
    assert v.message.startswith('"Studies show" appeals to evidence without a source')


def test_statistic_before_its_source_in_the_next_sentence_only(lint):
    text = "About 28% of adults sleep badly. The [CDC](https://www.cdc.gov) says so. Then 40% nap."
    assert [(v.line, v.column) for v in lint(text, select=["HL110"])] == [(1, 74)]
    assert [(v.line, v.column) for v in lint(text, select=["HL110"], rules={"citation-needed": {"look-ahead": 0}})] \
        == [(1, 1), (1, 74)]


def test_citation_needed_kinds_can_be_switched_off(lint):
    text = "About 28% of adults sleep badly. It is FDA-approved."
    rules = {"citation-needed": {"check-statistics": False}}
    assert [(v.line, v.column) for v in lint(text, select=["HL110"], rules=rules)] == [(1, 34)]


def test_broken_reference_messages(lint):
    text = "A [3]. B.[^x]\n\n## References\n\n1. Lee."
    assert [(v.line, v.column, v.message) for v in lint(text, select=["HL111"])] == [
        (1, 3, "reference [3] points to nothing; add it to the numbered References list or fix the number"),
        (1, 10, "footnote reference [^x] has no matching footnote; add the footnote or remove the reference")]


def test_causal_overclaim_message_and_suggestion(lint):
    [v] = lint("A study in mice proves that turmeric prevents arthritis.", select=["HL103"])
    assert (v.column, v.suggestion) == (17, "suggests")
    assert "a study in animals does not show that the same happens in people" in v.message


def test_testimonial_is_info_and_can_be_made_a_warning(lint):
    text = "Sarah, 32, noticed a big improvement after her first session."
    assert [str(v.severity) for v in lint(text, select=["HL104"])] == ["info"]
    assert [str(v.severity) for v in lint(text, select=["HL104"], rules={"testimonial": {"severity": "warning"}})] \
        == ["warning"]


@pytest.mark.parametrize("text", [
    "---\nsponsor: Bright Horizons Wellness\n---\n\nBook your free consultation today.",
    "Book your free consultation today.\n\n## Disclosure\n\nWe run the clinic.",
    "This article is sponsored by GoldenRoot. Buy now.",
])
def test_promotional_finding_is_lowered_to_info_when_disclosed(registry, text):
    rule = registry.get("promotional")
    doc = parse("a.md", text)
    findings = list(rule.check(doc, rule.options))
    assert [f.severity for f in findings] == [Severity.INFO]
    assert "discloses who is behind it" in findings[0].message


def test_promotional_disclosure_options(registry):
    rule = registry.get("promotional")
    doc = parse("a.md", "---\npaid_by: Acme\n---\n\nBuy now. Written with Acme, our partner.")
    assert [f.severity for f in rule.check(doc, rule.options)] == [None]
    options = dict(rule.options, **{"disclosure-keys": ["paid_by"]})
    assert [f.severity for f in rule.check(doc, options)] == [Severity.INFO]
    options = dict(rule.options, **{"disclosure-phrases": ["written with Acme"]})
    assert [f.severity for f in rule.check(doc, options)] == [Severity.INFO]


def test_disclosed_promotion_is_reported_as_info(lint):
    [v] = lint("---\nsponsor: Acme\n---\n\nBuy now.", select=["HL105"])
    assert str(v.severity) == "info"


def test_the_balanced_article_is_clean(lint):
    text = (EXAMPLES / "statins-balanced.md").read_text(encoding="utf-8")
    assert lint(text, select=EVIDENCE, path="statins-balanced.md") == []


def test_each_evidence_rule_fires_on_the_hype_examples(lint):
    codes = set()
    for name in ("ketamine-clinic-blog.md", "turmeric-supplement.md"):
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        codes |= {v.code for v in lint(text, select=EVIDENCE, path=name)}
    assert codes >= {"HL103", "HL104", "HL105", "HL110"}
