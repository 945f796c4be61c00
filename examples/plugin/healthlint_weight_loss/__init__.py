"""An example healthlint plugin with one rule, WL101 weight-loss-rate.

Registered in pyproject.toml under the `healthlint.rules` entry-point group;
see README.md for how plugins are found and how to test one.
"""
from __future__ import annotations

import re

from healthlint.model import Finding, Rule, RuleDocs, Severity
from healthlint.analysis.text import is_negated

__version__ = "0.1.0"

# The phrase data of this rule: a verb of losing weight, an amount with a unit of
# weight, then "in" or "within" a stated time ("lose 10 pounds in 2 weeks",
# "drop 5 kg in 7 days", "shed up to 20 lbs within a month"). A rate stated as
# "a week" or "per week" with no "in"/"within" ("aim to lose 1 to 2 pounds a week")
# is advice about a gradual pace, not a promise, and is left alone. A real rule
# would keep a longer word list in data; this is a tiny example.
_NUMBER = (r"(?:\d+(?:[.,]\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
           r"eleven|twelve|fourteen|fifteen|twenty|thirty|forty|fifty)")
WEIGHT_LOSS_RATE_RE = re.compile(
    r"\b(?:lose|loses|losing|lost|drop|drops|dropping|dropped|shed|sheds|shedding"
    r"|melt\s+(?:away|off)|burn\s+off)\s+"
    r"(?:up\s+to\s+|as\s+much\s+as\s+|more\s+than\s+|over\s+|at\s+least\s+)?"
    rf"{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?[\s-]*"
    r"(?:pounds?|lbs?|kilos?|kilograms?|kgs?|stones?)\b\.?"
    r"(?:\s+of\s+(?:fat|weight|belly\s+fat))?"
    r"\s+(?:in|within)\s+(?:just\s+|only\s+|as\s+little\s+as\s+|under\s+|less\s+than\s+)?"
    rf"{_NUMBER}[\s-]*(?:days?|weeks?|months?)\b",
    re.IGNORECASE,
)


class WeightLossRate(Rule):
    def check(self, doc, options):
        for m in WEIGHT_LOSS_RATE_RE.finditer(doc.prose):
            start, end = m.span()
            block = doc.block_at(start)
            if block is None or block.in_blockquote:          # someone else's words
                continue
            if options.get("skip-quoted", True) and doc.in_quotes(start, end):
                continue
            if is_negated(doc.prose, doc.sentence_at(start)[0], start):   # "you will not lose ..."
                continue
            text = " ".join(m.group(0).split())
            yield Finding(start, end,
                          f'"{text}" promises a rate of weight loss; say what change studies found, '
                          "over what time and for whom",
                          "a gradual loss of about 0.5 to 1 kg (1 to 2 pounds) a week")


WEIGHT_LOSS_RATE = WeightLossRate(
    code="WL101",
    name="weight-loss-rate",
    severity=Severity.WARNING,
    summary='Promised rates of weight loss ("lose 10 pounds in 2 weeks").',
    options={"skip-quoted": True},
    docs=RuleDocs(
        what='Flags a promised amount of weight lost in a stated time: "lose 10 pounds in 2 weeks", '
             '"drop 5 kg in 7 days", "shed up to 20 lbs within a month". Advice about a gradual pace '
             '("aim to lose 1 to 2 pounds a week") is not flagged, nor are negated sentences, '
             "quotations and blockquotes.",
        why="Quick weight loss is a classic sign of health fraud. Crash diets that deliver it mostly "
            "remove water and muscle, can cause gallstones, and are usually followed by regain; "
            "readers who do not lose weight that fast blame themselves or give up.",
        standard="EU Regulation (EC) No 1924/2006 on nutrition and health claims, article 12(b): "
                 "claims that make reference to the rate or amount of weight loss are not allowed. "
                 "FDA health-fraud tip-offs list quick weight loss ('lose 30 pounds in 30 days'). "
                 "NHS and CDC advice: a safe rate is about 0.5 to 1 kg (1 to 2 pounds) a week.",
        bad="Lose 10 pounds in 2 weeks with our detox tea!",
        good="Aim to lose 1 to 2 pounds a week; in a 12-week trial, people on the plan lost 4 kg "
             "on average."),
    tests={
        "fail": [
            {"text": "Lose 10 pounds in 2 weeks with our detox tea!", "expect": ["1:1"]},
            {"text": "Most readers drop 5 kg in 7 days.", "expect": ["1:14"]},
            {"text": "# Summer plan\n\nYou could lose 20 lbs in a month.", "expect": ["3:11"]},
            {"text": "Shed up to 7 pounds within just one week.", "expect": ["1:1"]},
        ],
        "pass": [
            "Aim to lose 1 to 2 pounds a week.",
            "In a 12-week trial, people lost 4 kg on average.",
            "You will not lose 10 pounds in 2 weeks, whatever the label says.",
            '> Lose 10 pounds in 2 weeks!\n\nThat advert broke the rules.',
        ],
    },
)

RULES = [WEIGHT_LOSS_RATE]
