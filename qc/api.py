"""The library API, and the one place that knows the order of the stages:
read -> decode -> split -> detect -> decide (rule config) -> score -> report.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from qc import __version__
from qc.config import Config, load_config
from qc.detectors import DETECTORS
from qc.inputs import STDIN, Source, discover, read_bytes
from qc.model import Category, Document, FileReport, Finding, RunReport, Summary
from qc.scoring import score, status
from qc.text import InputError, build_document, decode
from qc.timing import StageTimer, maybe

ProgressCallback = Callable[[FileReport], None]

# Text these findings mark is to be cut, so layout damage inside it is not worth reporting.
_CUT: frozenset[Category] = frozenset({"repeat", "insert", "boilerplate"})
# A pool costs ~0.2 s to start; below this much input one process is faster.
PARALLEL_MIN_BYTES = 4_000_000
PARALLEL_MIN_FILES = 8


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


def check_document(doc: Document, config: Config, timer: StageTimer | None = None) -> FileReport:
    found: list[Finding] = []
    for category, detector in DETECTORS.items():
        with maybe(timer, category):
            found.extend(detector(doc, config))
    with maybe(timer, "scoring"):
        findings = decide(found, config)
        value = score(doc, findings, config.score)
        file_status = status(value, findings, config.score)
    return FileReport(
        path=doc.path,
        encoding=doc.encoding,
        lines=len(doc.lines),
        chars=doc.chars,
        score=value,
        status=file_status,
        findings=tuple(findings),
    )


def check_text(
    text: str, *, path: str = "<text>", config: Config | None = None, encoding: str = "utf-8"
) -> FileReport:
    """Check one article given as text."""
    return check_document(build_document(text, path, encoding), config or load_config())


def check_bytes(
    data: bytes, *, path: str, config: Config, timer: StageTimer | None = None
) -> FileReport:
    """Check one file's contents; undecodable input gives a report with `error` set."""
    with maybe(timer, "read+decode+normalise"):
        try:
            text, encoding = decode(data, config.input.encoding)
        except InputError as exc:
            return error_report(path, str(exc))
        if not text.strip():
            return error_report(path, "empty file (only whitespace)", encoding)
        doc = build_document(text, path, encoding)
    return check_document(doc, config, timer)


def error_report(path: str, message: str, encoding: str | None = None) -> FileReport:
    return FileReport(
        path=path, encoding=encoding, lines=0, chars=0, score=0.0, status="error", error=message
    )


def check_source(source: Source, config: Config, timer: StageTimer | None = None) -> FileReport:
    with maybe(timer, "read+decode+normalise"):
        try:
            data = read_bytes(source, int(config.input.max_file_mb * 1_000_000))
        except InputError as exc:
            return error_report(source.path, str(exc))
    return check_bytes(data, path=source.path, config=config, timer=timer)


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


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _worth_a_pool(sources: Sequence[Source], jobs: int) -> bool:
    if jobs < 2 or len(sources) < PARALLEL_MIN_FILES or any(s.path == STDIN for s in sources):
        return False
    size = 0
    for source in sources:
        try:
            size += Path(source.path).stat().st_size
        except OSError:
            continue
        if size >= PARALLEL_MIN_BYTES:
            return True
    return False


def _check_chunk(args: tuple[list[Source], Config, bool]) -> tuple[list[FileReport], StageTimer]:
    sources, config, timed = args
    timer = StageTimer() if timed else None
    reports = [check_source(source, config, timer) for source in sources]
    return reports, timer or StageTimer()


def check_sources(
    sources: Sequence[Source],
    *,
    config: Config,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
    timer: StageTimer | None = None,
) -> RunReport:
    """Check sources in order. With jobs > 1 (and enough input to pay for it), files are
    spread over processes in chunks; results come back in the same order as with one."""
    reports: list[FileReport] = []
    if _worth_a_pool(sources, jobs):
        size = max(1, min(64, len(sources) // (jobs * 8)))
        chunks = [list(sources[i : i + size]) for i in range(0, len(sources), size)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for chunk_reports, chunk_timer in pool.map(
                _check_chunk, [(chunk, config, timer is not None) for chunk in chunks]
            ):
                if timer is not None:
                    timer.merge(chunk_timer)
                for report in chunk_reports:
                    reports.append(report)
                    if progress is not None:
                        progress(report)
    else:
        for source in sources:
            report = check_source(source, config, timer)
            reports.append(report)
            if progress is not None:
                progress(report)
    return RunReport(files=tuple(reports), summary=summarise(reports), tool_version=__version__)


def check_paths(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
) -> RunReport:
    """Check files and folders (recursively); each file gets a report, errors included."""
    config = config or load_config()
    return check_sources(collect(paths, config), config=config, progress=progress, jobs=jobs)
