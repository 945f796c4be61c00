"""Problems with the run itself rather than the writing."""
from healthlint.model import Finding, Rule, Severity

# reported by the engine, not by a check(): a file that could not be read, a rule that crashed,
# a suppression comment that names nothing (see healthlint/engine.py)
UNREADABLE, RULE_CRASHED, BAD_DIRECTIVE = ("HL001", "unreadable-file"), ("HL002", "rule-crashed"), \
    ("HL003", "unknown-directive")
ALWAYS_REPORTED = Severity.ERROR  # HL001 and HL002 mean "not checked", whatever the config says


class EngineReported(Rule):
    def check(self, doc, options):
        return ()


class EmptyFile(Rule):
    document_level = True

    def check(self, doc, options):
        if not doc.prose.strip():
            yield Finding.about_document("file is empty or has no prose; nothing was checked")


class FrontMatterRule(Rule):
    def check(self, doc, options):
        if doc.front_matter_problem:
            yield Finding.in_markup(0, len(doc.source.partition("\n")[0]), doc.front_matter_problem
                                    + "; fix it, or healthlint cannot see the author and dates in it")
