"""Page chrome: share prompts, disclaimers, credits, source and meta lines, contact lines.

Patterns are data (`qc/data/boilerplate.txt`, extendable and switchable from config). Each one
matches a whole line, so chrome words inside running text are never flagged. Consecutive chrome
lines (blank lines between them allowed) are one finding.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from qc.arrays import points_in, true_positions_by_part
from qc.config import BoilerplateConfig
from qc.model import Document, Finding, Paragraph
from qc.rules import finding
from qc.text import paragraph_columns


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


# `re._parser` is the parser `re.compile` itself uses (`sre_parse` before 3.11). Its parse
# trees are untyped tuples, hence `Any` below; if it is missing or changes shape, every pattern
# is simply tried on every line.
_sre: Any
_parser: Any
try:
    _sre = importlib.import_module("re._constants")
    _parser = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - a Python without the private modules
    _sre = _parser = None

FirstChars = set[int] | None  # the code points a match can begin with; None: any
_MAX_RANGE = 512  # a wider character range counts as any character


def _first_of_sequence(items: Any) -> tuple[FirstChars, bool]:
    """What a match of these pattern items can begin with, and whether they can match the
    empty string."""
    chars: set[int] = set()
    for op, argument in items:
        own, nullable = _first_of_item(op, argument)
        if own is None:
            return None, False
        chars |= own
        if not nullable:
            return chars, False
    return chars, True


def _first_of_item(op: Any, argument: Any) -> tuple[FirstChars, bool]:
    if op is _sre.LITERAL:
        return {argument}, False
    if op is _sre.IN:
        return _first_of_set(argument), False
    if op is _sre.BRANCH:
        chars: set[int] = set()
        nullable = False
        for branch in argument[1]:
            own, empty = _first_of_sequence(branch)
            if own is None:
                return None, False
            chars |= own
            nullable |= empty
        return chars, nullable
    if op is _sre.SUBPATTERN:
        add_flags, inner = argument[1], argument[3]
        return (None, False) if add_flags & re.IGNORECASE else _first_of_sequence(inner)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        own, nullable = _first_of_sequence(argument[2])
        return own, nullable or argument[0] == 0
    return None, False  # categories, look-arounds, back-references...: any


def _first_of_set(members: Any) -> FirstChars:
    chars: set[int] = set()
    for op, argument in members:
        if op is _sre.LITERAL:
            chars.add(argument)
        elif op is _sre.RANGE and argument[1] - argument[0] < _MAX_RANGE:
            chars.update(range(argument[0], argument[1] + 1))
        else:  # negation, categories, wide ranges
            return None
    return chars


def first_chars(expression: str) -> frozenset[str] | None:
    """The characters a line must start with for `re.search(expression, line)` to match, when
    the pattern is anchored at the start (`^` or `\\A`) and they are few; else None (any)."""
    if _parser is None:
        return None
    try:
        parsed = _parser.parse(expression)
        if parsed.state.flags & (re.IGNORECASE | re.MULTILINE):
            return None
        items = list(parsed)
        anchors = (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
        if not items or items[0][0] is not _sre.AT or items[0][1] not in anchors:
            return None
        chars, nullable = _first_of_sequence(items[1:])
    except (AttributeError, TypeError, ValueError, IndexError, re.error):
        return None
    return None if chars is None or nullable else frozenset(map(chr, chars))


@dataclass(frozen=True)
class ChromeTable:
    """The patterns to try on a line, by its first character, in their configured order: a
    line is tried only against the patterns that can match at its first character (most news
    lines against none), not against all thirty."""

    by_first: dict[str, tuple[Pattern, ...]]
    anywhere: tuple[Pattern, ...]  # the patterns any first character may start

    @classmethod
    def of(cls, patterns: list[Pattern]) -> ChromeTable:
        firsts = [first_chars(p.regex.pattern) for p in patterns]
        chars = {c for own in firsts if own is not None for c in own}
        by_first = {
            c: tuple(p for p, own in zip(patterns, firsts, strict=True) if own is None or c in own)
            for c in chars
        }
        return cls(
            by_first, tuple(p for p, own in zip(patterns, firsts, strict=True) if own is None)
        )

    def kind(self, line: str) -> str | None:
        """The id of the first pattern that matches the line, if any."""
        for pattern in self.by_first.get(line[:1], self.anywhere):
            if pattern.regex.search(line):
                return pattern.id
        return None

    def chrome(self, paragraphs: Sequence[Paragraph]) -> list[tuple[Paragraph, str]]:
        """The paragraphs that are page chrome, with the pattern each matches."""
        if not self.anywhere:  # only lines opening with a pattern's first character can match
            by_first = self.by_first
            paragraphs = [p for p in paragraphs if p.norm[:1] in by_first]
        found = [(p, self.kind(p.norm)) for p in paragraphs]
        return [(p, kind) for p, kind in found if kind is not None]


@cache
def chrome_table(patterns: tuple[Pattern, ...]) -> ChromeTable:
    return ChromeTable.of(list(patterns))


Chrome = list[tuple[Paragraph, str]]  # the chrome paragraphs of a document, and their kinds


def prepare(docs: Sequence[Document], config: BoilerplateConfig) -> list[Chrome]:
    """Each document's chrome paragraphs, with one pattern table for the batch."""
    table = chrome_table(tuple(active_patterns(config)))
    if table.anywhere or not docs:
        return [table.chrome(doc.paragraphs) for doc in docs]
    # Most lines open with a character no pattern can start with: one array test for the
    # batch (the first code point of each NFKC form) instead of one per paragraph.
    columns = paragraph_columns(docs)
    firsts = columns.points_at(columns.starts)
    opens = (columns.norm_lengths > 0) & points_in(firsts, table.by_first)
    return [
        table.chrome([doc.paragraphs[i] for i in positions])
        for doc, positions in zip(docs, true_positions_by_part(opens, columns.counts), strict=True)
    ]


def detect(
    doc: Document, config: BoilerplateConfig, chrome: Chrome | None = None
) -> Iterator[Finding]:
    """Consecutive chrome paragraphs (blank lines between them allowed) are one finding."""
    if chrome is None:
        chrome = prepare([doc], config)[0]
    run: Chrome = []
    for paragraph, kind in chrome:
        if run and paragraph.index != run[-1][0].index + 1:
            yield _finding(run)
            run = []
        run.append((paragraph, kind))
    if run:
        yield _finding(run)


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
