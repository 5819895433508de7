"""The library API, and the one place that knows the order of the stages:
read -> decode -> split -> detect -> decide (rule config) -> score -> report.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from qc import __version__
from qc.config import Config, load_config
from qc.detectors import DETECTORS
from qc.inputs import Source, discover, read_bytes
from qc.model import Category, Document, FileReport, Finding, RunReport, Summary
from qc.scoring import score, status
from qc.text import InputError, build_document, decode

ProgressCallback = Callable[[FileReport], None]


# Text these findings mark is to be cut, so layout damage inside it is not worth reporting.
_CUT: frozenset[Category] = frozenset({"repeat", "insert", "boilerplate"})


def _inside_cut_text(finding: Finding, cuts: list[Finding]) -> bool:
    return finding.category == "layout" and any(
        cut.line <= finding.line and finding.end_line <= cut.end_line for cut in cuts
    )


def decide(findings: Iterable[Finding], config: Config) -> list[Finding]:
    """Apply per-rule settings (enabled, severity), drop layout findings inside text that other
    findings mark for cutting, and sort by position."""
    kept = []
    for finding in findings:
        rule = config.rule(finding.rule)
        if rule.enabled:
            kept.append(dataclasses.replace(finding, severity=rule.severity))
    cuts = [f for f in kept if f.category in _CUT]
    kept = [f for f in kept if not _inside_cut_text(f, cuts)]
    return sorted(kept, key=lambda f: (f.line, f.end_line, f.rule))


def check_document(doc: Document, config: Config) -> FileReport:
    found: list[Finding] = []
    for detector in DETECTORS.values():
        found.extend(detector(doc, config))
    findings = decide(found, config)
    value = score(doc, findings, config.score)
    return FileReport(
        path=doc.path,
        encoding=doc.encoding,
        lines=len(doc.lines),
        chars=doc.chars,
        score=value,
        status=status(value, findings, config.score),
        findings=tuple(findings),
    )


def check_text(
    text: str, *, path: str = "<text>", config: Config | None = None, encoding: str = "utf-8"
) -> FileReport:
    """Check one article given as text."""
    return check_document(build_document(text, path, encoding), config or load_config())


def check_bytes(data: bytes, *, path: str, config: Config) -> FileReport:
    """Check one file's contents; undecodable input gives a report with `error` set."""
    try:
        text, encoding = decode(data, config.input.encoding)
    except InputError as exc:
        return error_report(path, str(exc))
    if not text.strip():
        return error_report(path, "empty file (only whitespace)", encoding)
    return check_text(text, path=path, config=config, encoding=encoding)


def error_report(path: str, message: str, encoding: str | None = None) -> FileReport:
    return FileReport(
        path=path, encoding=encoding, lines=0, chars=0, score=0.0, status="error", error=message
    )


def check_source(source: Source, config: Config) -> FileReport:
    try:
        data = read_bytes(source, int(config.input.max_file_mb * 1_000_000))
    except InputError as exc:
        return error_report(source.path, str(exc))
    return check_bytes(data, path=source.path, config=config)


def summarise(reports: Sequence[FileReport]) -> Summary:
    counts = Counter(r.status for r in reports)
    categories = Counter(f.category for r in reports for f in r.findings)
    return Summary(
        files=len(reports),
        clean=counts["clean"],
        warn=counts["warn"],
        fail=counts["fail"],
        errors=counts["error"],
        findings=dict(sorted(categories.items())),
    )


def collect(paths: Sequence[str], config: Config) -> list[Source]:
    """The files a run over `paths` will check, in report order."""
    return list(discover(paths, config.input))


def check_sources(
    sources: Sequence[Source], *, config: Config, progress: ProgressCallback | None = None
) -> RunReport:
    reports = []
    for source in sources:
        report = check_source(source, config)
        reports.append(report)
        if progress is not None:
            progress(report)
    return RunReport(files=tuple(reports), summary=summarise(reports), tool_version=__version__)


def check_paths(
    paths: Sequence[str], *, config: Config | None = None, progress: ProgressCallback | None = None
) -> RunReport:
    """Check files and folders (recursively); each file gets a report, errors included."""
    config = config or load_config()
    return check_sources(collect(paths, config), config=config, progress=progress)
