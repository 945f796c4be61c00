"""promotional (HL105): calls to action and sales language inside health content."""
from __future__ import annotations

from functools import lru_cache

from healthlint.citations import is_heading_like
from healthlint.model import Finding, RuleDocs, Severity
from healthlint.packs import COMMON_OPTIONS, Matcher, TextRule
from healthlint.resources import load_lexicon

MESSAGE = ('"{match}" is sales language; say who is behind this article and what they sell '
           '(a "Disclosure" section or a sponsor: line in the front matter)')
DISCLOSED = ('"{match}" is sales language; the article discloses who is behind it, but keep sales '
             "out of the health information")


@lru_cache(maxsize=1)
def _cues() -> dict:
    lex = load_lexicon("evidence")
    return {"cta": Matcher(patterns=lex["cta_patterns"]), "cta_names": Matcher(patterns=lex["cta_name_patterns"]),
            "price": Matcher(patterns=[lex["price_pattern"]]),
            "urgency": Matcher(lex["urgency"]), "disclosure": Matcher(lex["disclosure_phrases"]),
            "headings": frozenset(lex["disclosure_headings"]), "none": Matcher()}


class Promotional(TextRule):
    exceptions = property(lambda self: _cues()["none"])

    def disclosed(self, doc, options) -> bool:
        """Front matter names a sponsor, a heading says "Disclosure", or the text discloses it."""
        if any(doc.metadata.get(key) for key in options["disclosure-keys"]):
            return True
        if any(is_heading_like(doc, b, _cues()["headings"]) for b in doc.blocks):
            return True
        extra = Matcher(options["disclosure-phrases"])
        return any(not self.silenced(doc, m.start(), m.end(), options)
                   for matcher in (_cues()["disclosure"], extra) for m in matcher.finditer(doc.prose))

    def _sales(self, doc, options):
        cues = _cues()
        yield from cues["cta"].finditer(doc.prose)
        yield from cues["cta_names"].finditer(doc.prose)
        for m in cues["price"].finditer(doc.prose):
            start, end = doc.sentence_at(m.start())
            if cues["urgency"].search(doc.prose, start, end):
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


RULES = [Promotional(
    code="HL105", name="promotional", severity=Severity.WARNING,
    summary="Calls to action and sales language (\"book your free consultation\", \"buy now\") in health content.",
    docs=RuleDocs(
        what='Flags calls to action and sales language: "book your free consultation", "contact our clinic '
             'today", "buy now", "order your first bottle", "limited offer", "spaces are limited", "sign up '
             'today", discount codes, "15% off", "half price", money-back guarantees, and prices in a sentence '
             'with urgency ("only $99 this week"). One finding per sentence. When the article discloses who is '
             "behind it (a front-matter key such as `sponsor:` or `disclosure:`, a heading such as "
             '"Disclosure" or "Conflict of interest", or a phrase such as "sponsored by" or "paid partnership") '
             "each finding is lowered to info. Options: `disclosure-keys` (front-matter keys that count as a "
             "disclosure) and `disclosure-phrases` (phrases added to the built-in ones). Negated, quoted and "
             'blockquoted text stays silent, as does health advice such as "call 999 now".',
        why="Sales language in a health article signals a conflict of interest: the writer profits when readers "
            "choose the treatment. Readers weigh advice differently when they know it comes from someone who "
            "sells it, so they need to be told.",
        standard="JAMA benchmarks for health websites (Silberg et al. 1997): disclosure of ownership, "
                 "sponsorship and conflicts of interest; HONcode principles 6-8 (transparency, financial "
                 "disclosure, advertising policy); HealthNewsReview.org criterion on conflicts of interest; FTC "
                 "Health Products Compliance Guidance (2022) and the FTC's guidance on native advertising.",
        bad="Book your free consultation today: spaces are limited!",
        good="---\nsponsor: Bright Horizons Wellness (we provide ketamine infusions)\n---\n\nAsk your doctor "
             "whether ketamine treatment is right for you."),
    options=dict(COMMON_OPTIONS, **{"disclosure-keys": ["sponsor", "sponsored", "sponsored-by", "disclosure",
                                                        "advertiser", "affiliate", "conflict-of-interest"],
                                    "disclosure-phrases": []}),
    tests={
        "fail": [
            {"text": "**Book your free consultation today** by calling us.", "expect": ["1:3"]},
            {"text": "Questions? Contact our clinic today. Spaces in our spring series\nare limited.",
             "expect": ["1:12", "1:38"]},
            {"text": "Order your first bottle today and get a second bottle at half price.", "expect": ["1:1"]},
            {"text": "Use code GOLDEN25 at checkout for an extra 25% off.", "expect": ["1:1"]},
            {"text": "- Buy now while stocks last\n- Sign up today", "expect": ["1:3", "2:3"]},
            {"text": "Sessions are only $99 this week.", "expect": ["1:19"]},
            {"text": "For help, contact Bright Horizons Wellness today.", "expect": ["1:11"]},
            {"text": "Limited-time offer: 20% off.\n\n## About the author\n\nA nurse.", "expect": ["1:1"]},
        ],
        "pass": [
            "Ask your doctor whether the treatment is right for you.",
            "If you have chest pain, call 999 now.",
            "A course costs about $400 and is not covered by most insurers.",
            'Be wary of ads that say "buy now, limited offer".',
            "> Book your free consultation today, the ad said.",
            "We will never ask you to buy now or pay up front.",
            "Use `buy now` as the button label.",
            "---\ntitle: Buy now\n---\n\nText.",
            "See https://example.com/buy-now-limited-offer for the FAQ.",
        ],
    },
)]
