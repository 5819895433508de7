"""The human report: a summary line per file, one line per finding, a batch summary.

Finding lines follow the compiler convention `path:line[-end]: severity CODE slug: message` so
editors and terminals can jump to them.
"""

from __future__ import annotations

from collections.abc import Iterator

from qc.model import FileReport, Finding, RunReport

EXCERPT_CHARS = 40
_COLORS = {
    "clean": "32",
    "warn": "33",
    "fail": "31",
    "error": "31;1",
    "warning": "33",
    "info": "36",
}


def _paint(text: str, key: str, color: bool) -> str:
    return f"\x1b[{_COLORS[key]}m{text}\x1b[0m" if color else text


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _finding_lines(path: str, finding: Finding, color: bool) -> list[str]:
    span = (
        str(finding.line)
        if finding.line == finding.end_line
        else (f"{finding.line}-{finding.end_line}")
    )
    severity = _paint(finding.severity, finding.severity, color)
    lines = [f"{path}:{span}: {severity} {finding.rule} {finding.name}: {finding.message}"]
    if finding.excerpt:
        lines.append(f"    | {_excerpt(finding.excerpt)}")
    if finding.suggestion:
        lines.append(f"    suggested: {finding.suggestion}")
    return lines


def _counts(report: FileReport) -> str:
    if not report.findings:
        return "no findings"
    by_category: dict[str, int] = {}
    for finding in report.findings:
        by_category[finding.category] = by_category.get(finding.category, 0) + 1
    parts = ", ".join(f"{n} {c}" for c, n in sorted(by_category.items()))
    noun = "finding" if len(report.findings) == 1 else "findings"
    return f"{len(report.findings)} {noun} ({parts})"


def _file_lines(report: FileReport, color: bool) -> list[str]:
    if report.error is not None:
        return [f"{report.path}: {_paint('error', 'error', color)}: {report.error}"]
    head = (
        f"{report.path}: {_paint(report.status, report.status, color)} "
        f"score {report.score:.1f}, {_counts(report)} [{report.encoding}]"
    )
    lines = [head]
    for finding in report.findings:
        lines.extend(_finding_lines(report.path, finding, color))
    return lines


def chunks(report: RunReport, color: bool = False) -> Iterator[str]:
    """The report's text a file at a time (lines end with a line break), then the summary."""
    for file_report in report.files:
        yield "\n".join(_file_lines(file_report, color)) + "\n"
    s = report.summary
    total = sum(s.findings.values())
    detail = ", ".join(f"{c} {n}" for c, n in s.findings.items())
    yield (
        f"{s.files} files: {s.clean} clean, {s.warn} warn, {s.fail} fail, "
        f"{s.errors} errors; {total} findings" + (f" ({detail})" if detail else "") + "\n"
    )
