"""The catalogue of rules: stable ids, slugs, categories and default severities.

Rule ids never change meaning once shipped; new rules get new numbers. QC1nn are repeats,
QC2nn inserts, QC3nn boilerplate, QC4nn layout, QC5nn reuse.
"""

from __future__ import annotations

from dataclasses import dataclass

from qc.model import Category, Finding, Location, Severity


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: Category
    severity: Severity
    summary: str


RULES: tuple[Rule, ...] = (
    Rule(
        "QC101",
        "repeated-block",
        "repeat",
        "error",
        "several consecutive paragraphs repeat an earlier block of the same file",
    ),
    Rule(
        "QC102",
        "repeated-paragraph",
        "repeat",
        "error",
        "a paragraph repeats an earlier one exactly or nearly",
    ),
    Rule(
        "QC103",
        "extended-repeat",
        "repeat",
        "error",
        "a paragraph repeats an earlier one and adds text, or gives in full one cut short earlier",
    ),
    Rule(
        "QC104",
        "reflowed-repeat",
        "repeat",
        "error",
        "earlier paragraphs re-pasted as one line, or one paragraph re-pasted over several lines",
    ),
    Rule(
        "QC201",
        "pasted-insert",
        "insert",
        "error",
        "off-topic material with Weibo, hot-list, comment or ad markers pasted into the article",
    ),
    Rule(
        "QC202",
        "off-topic-block",
        "insert",
        "warning",
        "a block whose vocabulary belongs neither to the article nor to news copy",
    ),
    Rule(
        "QC301",
        "page-chrome",
        "boilerplate",
        "warning",
        "share prompts, disclaimers, credits, source, meta and contact lines",
    ),
    Rule(
        "QC401",
        "broken-paragraph",
        "layout",
        "warning",
        "a paragraph breaks off mid-sentence and the next line carries on the sentence",
    ),
    Rule(
        "QC402",
        "truncated-paragraph",
        "layout",
        "error",
        "a paragraph stops mid-sentence and what follows is not its continuation",
    ),
    Rule(
        "QC403",
        "orphan-fragment",
        "layout",
        "warning",
        "a short line, or a paragraph's opening, that is only the tail of a sentence",
    ),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
EXCERPT_MAX_CHARS = 200


def finding(
    code: str,
    *,
    line: int,
    end_line: int,
    message: str,
    similarity: float | None = None,
    related: tuple[Location, ...] = (),
    excerpt: str = "",
    suggestion: str | None = None,
) -> Finding:
    """A finding of rule `code`, its slug, category and default severity from the catalogue
    (the decide step applies the user's severity afterwards). Excerpts are capped: a finding
    on a 10 MB line must not put 10 MB into the report."""
    rule = RULES_BY_CODE[code]
    if len(excerpt) > EXCERPT_MAX_CHARS:
        excerpt = excerpt[:EXCERPT_MAX_CHARS] + "…"
    return Finding(
        rule=rule.code,
        name=rule.name,
        category=rule.category,
        severity=rule.severity,
        line=line,
        end_line=end_line,
        message=message,
        similarity=similarity,
        related=related,
        excerpt=excerpt,
        suggestion=suggestion,
    )
