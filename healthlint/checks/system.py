"""Problems with the run itself rather than the writing. The engine reports these."""
from healthlint.model import Finding, Rule, RuleDocs, Severity


class SystemRule(Rule):
    def check(self, doc, options):
        return ()


UNREADABLE = SystemRule(
    code="HL001", name="unreadable-file", severity=Severity.ERROR,
    summary="A file could not be read or decoded, so nothing in it was checked.",
    docs=RuleDocs(
        what="Reported when a file is binary, is not UTF-8 text, is larger than `max-file-size`, "
             "or cannot be read. The other files are still checked.",
        why="A draft that was never checked must not look like a clean one.",
        standard="healthlint's own guarantee: every file is checked or reported.",
        bad="An article exported from a word processor as UTF-16 or Latin-1.",
        good="The same article saved as UTF-8 text or Markdown."),
    tests={"fail": [{"bytes": "caf\\xe9 au lait", "expect": ["1:4"]}], "pass": ["Plain UTF-8 text, café."]},
)

RULE_CRASHED = SystemRule(
    code="HL002", name="rule-crashed", severity=Severity.ERROR,
    summary="A rule (usually a plugin) raised an error on this file; its findings are missing.",
    docs=RuleDocs(
        what="Reported when a rule raises an exception while checking a document. The message names "
             "the rule, where it came from and the error. The other rules' findings are still reported.",
        why="A crashed check must not look like a passed check.",
        standard="healthlint's own guarantee: every file is checked or reported.",
        bad="A plugin rule that raises on a file with no headings.",
        good="Fix or update the plugin; `--ignore` its code meanwhile."),
)

BAD_DIRECTIVE = SystemRule(
    code="HL003", name="unknown-directive", severity=Severity.WARNING,
    summary="A healthlint comment names a directive or rule that does not exist.",
    docs=RuleDocs(
        what="Checks `<!-- healthlint-... -->` comments: the directive must be one of disable, enable, "
             "disable-line, disable-next-line or disable-file, and every rule it names must exist.",
        why="A misspelt suppression silently suppresses nothing, or the wrong thing.",
        standard="Like ruff's and sqlfluff's checks on noqa comments.",
        bad="<!-- healthlint-disable-line HL1O1 -->",
        good="<!-- healthlint-disable-line HL101 -->"),
    tests={"fail": [{"text": "Text. <!-- healthlint-disable-line no-such-rule -->", "expect": ["1:7"]},
                    {"text": "<!-- healthlint-disabel -->\n\nText.", "expect": ["1:1"]}],
           "pass": ["Text. <!-- healthlint-disable-line absolute-claim -->"]},
)

EMPTY = SystemRule(
    code="HL004", name="empty-file", severity=Severity.INFO,
    summary="The file is empty or holds no prose, so there was nothing to check.",
    docs=RuleDocs(
        what="Reported on an empty file or one with only front matter, code or comments.",
        why="An empty article in a content repository is usually a mistake (a failed export, "
            "a placeholder that was published).",
        standard="healthlint's own guarantee: every file is checked or reported.",
        bad="(an empty file)",
        good="An article with text."),
    tests={"fail": [{"text": "", "expect": ["1:1"]}, {"text": "---\ntitle: x\n---\n", "expect": ["1:1"]}],
           "pass": ["Text."]},
)

class FrontMatterRule(Rule):
    def check(self, doc, options):
        if doc.front_matter_problem:
            yield Finding(0, len(doc.source.partition("\n")[0]), doc.front_matter_problem
                          + "; fix it, or healthlint cannot see the author and dates in it", None, True)


FRONT_MATTER = FrontMatterRule(
    code="HL005", name="bad-front-matter", severity=Severity.WARNING,
    summary="The front matter cannot be read, so its author, dates and other keys are not seen.",
    docs=RuleDocs(
        what="Reported when the YAML (---) or TOML (+++) block at the top of a Markdown file does not parse, "
             "or is not a set of keys and values.",
        why="The rules that check authorship and review dates read the front matter; a typo there would "
            "otherwise look like a missing author. Site generators usually fail on the same typo.",
        standard="YAML 1.1 / TOML 1.0, as read by static site generators (Jekyll, Hugo, Pandoc).",
        bad="---\ntitle: [Statins\nauthor: Dr Lee\n---",
        good="---\ntitle: Statins\nauthor: Dr Lee\n---"),
    tests={"fail": [{"text": "---\ntitle: [Statins\nauthor: Dr Lee\n---\n\nText.", "expect": ["1:1"]}],
           "pass": ["---\ntitle: Statins\n---\n\nText.", "---\n\nA thematic break, not front matter.\n\n---\n"]},
)

RULES = [UNREADABLE, RULE_CRASHED, BAD_DIRECTIVE, EMPTY, FRONT_MATTER]
