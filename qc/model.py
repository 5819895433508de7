"""The data that flows through qc: documents in, findings and reports out.

Everything here is an immutable value (frozen dataclasses; `Paragraph`, built by the tens of
thousands, is a named tuple) so that detectors, scoring and renderers can share values without
sharing behaviour. This module imports nothing from the rest of qc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Category = Literal["repeat", "insert", "boilerplate", "layout", "reuse"]
Severity = Literal["error", "warning", "info"]
Status = Literal["clean", "warn", "fail", "error"]

CATEGORIES: tuple[Category, ...] = ("repeat", "insert", "boilerplate", "layout", "reuse")
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Location:
    """A 1-based, inclusive span of lines in a file."""

    path: str
    line: int
    end_line: int


class Paragraph(NamedTuple):
    """One non-empty line of the input: the unit every detector reasons about.

    `text` is the line as written (minus surrounding whitespace); `norm` is its NFKC form
    (full-width forms folded), which detectors read; `key` is the comparison form (`norm`
    case-folded, without whitespace or punctuation) used for matching. (A named tuple, not a
    frozen dataclass: documents hold tens of thousands, and it is built five times faster.)
    """

    index: int  # type: ignore[assignment]  # shadows tuple.index, which nothing uses
    line: int
    text: str
    norm: str
    key: str


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    line_count: int  # as an editor numbers them (\n, \r\n, lone \r; no last empty line)
    paragraphs: tuple[Paragraph, ...]
    chars: int  # the paragraphs' length as written, which a score is a share of
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Finding:
    """One defect, pointing at original lines; `related` points at the earlier copy if any."""

    rule: str
    name: str
    category: Category
    severity: Severity
    line: int
    end_line: int
    message: str
    similarity: float | None = None
    related: tuple[Location, ...] = ()
    excerpt: str = ""
    suggestion: str | None = None


@dataclass(frozen=True)
class FileReport:
    path: str
    encoding: str | None
    lines: int
    chars: int
    score: float
    status: Status
    error: str | None = None
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Summary:
    files: int
    clean: int
    warn: int
    fail: int
    errors: int
    findings: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RunReport:
    files: tuple[FileReport, ...]
    summary: Summary
    tool_version: str
