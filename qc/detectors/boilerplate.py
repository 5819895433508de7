"""Page chrome: share prompts, disclaimers, credits, source and meta lines, contact lines.

Patterns are data (`qc/data/boilerplate.txt`, extendable and switchable from config). Each one
matches a whole line, so chrome words inside running text are never flagged. Consecutive chrome
lines (blank lines between them allowed) are one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from qc.config import BoilerplateConfig
from qc.model import Document, Finding, Paragraph
from qc.rules import finding


@dataclass(frozen=True)
class Pattern:
    id: str
    regex: re.Pattern[str]


def parse_patterns(text: str, origin: str) -> list[Pattern]:
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pattern_id, _, expression = line.partition(" ")
        patterns.append(compile_pattern(pattern_id, expression.strip(), f"{origin}:{number}"))
    return patterns


def compile_pattern(pattern_id: str, expression: str, origin: str) -> Pattern:
    try:
        return Pattern(pattern_id, re.compile(expression))
    except re.error as exc:
        raise ValueError(f"{origin}: bad pattern {pattern_id!r}: {exc}") from exc


@cache
def builtin_patterns() -> tuple[Pattern, ...]:
    text = resources.files("qc").joinpath("data/boilerplate.txt").read_text(encoding="utf-8")
    return tuple(parse_patterns(text, "boilerplate.txt"))


def active_patterns(config: BoilerplateConfig) -> list[Pattern]:
    patterns = [p for p in builtin_patterns() if p.id not in config.disable]
    patterns += [
        compile_pattern(pid, expr, f"boilerplate.extra_patterns.{pid}")
        for pid, expr in config.extra_patterns.items()
    ]
    return patterns


def chrome_kind(paragraph: Paragraph, patterns: list[Pattern]) -> str | None:
    """The id of the first pattern the whole line matches, if any."""
    line = paragraph.norm
    for pattern in patterns:
        if pattern.regex.search(line):
            return pattern.id
    return None


@cache
def _any_of(expressions: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of all patterns: a line it does not match matches none of them, and as
    they are anchored, the regex engine rejects most lines at their first character. None
    if they cannot be joined (a pattern with inline global flags, say)."""
    try:
        return re.compile("|".join(f"(?:{expression})" for expression in expressions))
    except re.error:
        return None


def detect(doc: Document, config: BoilerplateConfig) -> Iterator[Finding]:
    patterns = active_patterns(config)
    prefilter = _any_of(tuple(p.regex.pattern for p in patterns))
    run: list[tuple[Paragraph, str]] = []
    for paragraph in (*doc.paragraphs, None):
        kind = None
        if paragraph is not None and (prefilter is None or prefilter.search(paragraph.norm)):
            kind = chrome_kind(paragraph, patterns)
        if kind is not None and paragraph is not None:
            run.append((paragraph, kind))
            continue
        if run:
            yield _finding(run)
            run = []


def _finding(run: list[tuple[Paragraph, str]]) -> Finding:
    kinds = list(dict.fromkeys(kind for _, kind in run))
    noun = "line" if len(run) == 1 else f"{len(run)} lines"
    return finding(
        "QC301",
        line=run[0][0].line,
        end_line=run[-1][0].line,
        message=f"page chrome, not article text ({noun}: {', '.join(kinds)})",
        excerpt=" / ".join(p.text for p, _ in run),
    )
