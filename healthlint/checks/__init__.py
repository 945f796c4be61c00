"""The Python kinds of the built-in rules. A built-in spec's `kind:` names one of these
classes; the spec holds the rule's code, docs, options, data and cases, the class its logic."""
from healthlint.checks.balance import NoAlternatives, NoCosts, UnquantifiedBenefit
from healthlint.checks.broken_reference import BrokenReference
from healthlint.checks.causal_overclaim import CausalOverclaim
from healthlint.checks.citation_needed import CitationNeeded
from healthlint.checks.currency import MissingAuthor, MissingDate, OutdatedReview
from healthlint.checks.grammar import GrammarRule, SpellingRule
from healthlint.checks.professional_advice import ProfessionalAdvice
from healthlint.checks.promotional import Promotional
from healthlint.checks.readability import HardPassage, LongSentence, Readability
from healthlint.checks.relative_risk import RelativeRiskOnly
from healthlint.checks.risk_disclosure import RiskDisclosure
from healthlint.checks.system import EmptyFile, EngineReported, FrontMatterRule
from healthlint.checks.testimonial import Testimonial

KINDS = {cls.__name__: cls for cls in (
    EngineReported, EmptyFile, FrontMatterRule,
    CausalOverclaim, Testimonial, Promotional, RelativeRiskOnly, CitationNeeded, BrokenReference,
    RiskDisclosure, ProfessionalAdvice, MissingAuthor, MissingDate, OutdatedReview,
    NoAlternatives, NoCosts, UnquantifiedBenefit,
    Readability, HardPassage, LongSentence, GrammarRule, SpellingRule,
)}
