"""The library API, and the one place that knows the order of the stages:
read -> decode -> split -> detect -> decide (rule config) -> score -> report.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from qc import __version__
from qc.config import Config, load_config
from qc.detectors import DETECTORS
from qc.heap import collected_once, frozen_as_it_grows
from qc.inputs import STDIN, Source, discover, read_bytes
from qc.model import Category, Document, FileReport, Finding, RunReport, Summary
from qc.scoring import score, status
from qc.text import Decoded, InputError, build_document, build_documents, decode, is_wide
from qc.timing import StageTimer, maybe

ProgressCallback = Callable[[FileReport], None]

# Text these findings mark is to be cut, so layout damage inside it is not worth reporting.
_CUT: frozenset[Category] = frozenset({"repeat", "insert", "boilerplate"})
# A pool costs ~0.2 s to start; below this much input one process is faster.
PARALLEL_MIN_BYTES = 4_000_000
PARALLEL_MIN_FILES = 8
# Files checked together (see `batches`): each batch pays a fixed cost per array operation, and
# large ones fall out of the CPU caches. Since the detectors read the batch's columns, the
# fixed costs dominate: on the benchmark's 1,000 articles (stage harness, min of 5, batch sizes
# alternated over four rounds) 4 MB batches took 6-8% less time than 1 MB ones, for ~24 MB
# more peak memory (85 vs 64 MB; 124 vs 100 MB at 10,000 articles).
BATCH_FILES = 256
BATCH_BYTES = 4_000_000


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
        if rule.enabled and rule.severity == finding.severity:
            kept.append(finding)  # a frozen dataclass's replace() costs microseconds
        elif rule.enabled:
            kept.append(dataclasses.replace(finding, severity=rule.severity))
    if not kept:
        return kept  # most files
    cuts = [f for f in kept if f.category in _CUT]
    if cuts:
        kept = [f for f in kept if not _inside_cut_text(f, cuts)]
    return sorted(kept, key=lambda f: (f.line, f.end_line, f.rule))


def check_documents(
    docs: Sequence[Document], config: Config, timer: StageTimer | None = None
) -> list[FileReport]:
    """Check a batch of documents: each detector prepares the whole batch at once, then
    finds each document's defects."""
    found: list[list[Finding]] = [[] for _ in docs]
    for category, detector in DETECTORS.items():
        with maybe(timer, category):
            prepared = detector.prepare(docs, config)
            detect, section = detector.module.detect, detector.section(config)  # once a batch
            for own, doc, value in zip(found, docs, prepared, strict=True):
                own.extend(detect(doc, section, value))
    with maybe(timer, "scoring"):
        return [_file_report(doc, own, config) for doc, own in zip(docs, found, strict=True)]


def _file_report(doc: Document, found: list[Finding], config: Config) -> FileReport:
    findings = decide(found, config)
    value = score(doc, findings, config.score)
    return FileReport(
        path=doc.path,
        encoding=doc.encoding,
        lines=doc.line_count,
        chars=doc.chars,
        score=value,
        status=status(value, findings, config.score),
        findings=tuple(findings),
    )


def check_document(doc: Document, config: Config, timer: StageTimer | None = None) -> FileReport:
    return check_documents([doc], config, timer)[0]


def check_text(
    text: str, *, path: str = "<text>", config: Config | None = None, encoding: str = "utf-8"
) -> FileReport:
    """Check one article given as text."""
    return check_document(build_document(text, path, encoding), config or load_config())


def _decoded(data: bytes, path: str, config: Config) -> Decoded | FileReport:
    """The file's text, or an error report if it cannot be checked."""
    try:
        text, encoding = decode(data, config.input.encoding)
    except InputError as exc:
        return error_report(path, str(exc))
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        return error_report(path, "empty file (only whitespace)", encoding)
    return Decoded(text, path, encoding)


def check_bytes(
    data: bytes, *, path: str, config: Config, timer: StageTimer | None = None
) -> FileReport:
    """Check one file's contents; undecodable input gives a report with `error` set."""
    with maybe(timer, "read+decode+normalise"):
        decoded = _decoded(data, path, config)
        if isinstance(decoded, FileReport):
            return decoded
        doc = build_document(decoded.text, path, decoded.encoding)
    return check_document(doc, config, timer)


def error_report(path: str, message: str, encoding: str | None = None) -> FileReport:
    return FileReport(
        path=path, encoding=encoding, lines=0, chars=0, score=0.0, status="error", error=message
    )


def _read(source: Source, config: Config) -> Decoded | FileReport:
    return _read_sized(source, config)[0]


def _read_sized(source: Source, config: Config) -> tuple[Decoded | FileReport, int]:
    """The source decoded (or its error report), and how many bytes were read."""
    try:
        data = read_bytes(source, int(config.input.max_file_mb * 1_000_000))
    except InputError as exc:
        return error_report(source.path, str(exc)), 0
    return _decoded(data, source.path, config), len(data)


def _width_groups(read: Sequence[Decoded | FileReport]) -> list[dict[int, Decoded]]:
    """The decoded texts by position, those with a character beyond the BMP (emoji) apart:
    CPython stores such a text four bytes a character, and laid end to end with the others it
    would widen all of a batch's text, and every pass over it, to that."""
    narrow: dict[int, Decoded] = {}
    wide: dict[int, Decoded] = {}
    for position, item in enumerate(read):
        if isinstance(item, Decoded):
            (wide if is_wide(item.text) else narrow)[position] = item
    return [group for group in (narrow, wide) if group]


def check_batch(
    sources: Sequence[Source], config: Config, timer: StageTimer | None = None
) -> list[FileReport]:
    """Check files as one batch (see `batches`): read and normalise them all, then detect.
    Findings do not depend on the batch, so texts of different widths are checked apart."""
    with collected_once():
        return _check_batch(sources, config, timer)


def _check_batch(
    sources: Sequence[Source], config: Config, timer: StageTimer | None
) -> list[FileReport]:
    with maybe(timer, "read+decode+normalise"):
        read = [_read(source, config) for source in sources]
    return _check_read(read, config, timer)


def _check_read(
    read: Sequence[Decoded | FileReport], config: Config, timer: StageTimer | None
) -> list[FileReport]:
    """Reports for files already read: their error reports, and checks of the others."""
    reports = {i: item for i, item in enumerate(read) if isinstance(item, FileReport)}
    for group in _width_groups(read):
        with maybe(timer, "read+decode+normalise"):
            docs = build_documents(list(group.values()))
        reports.update(zip(group, check_documents(docs, config, timer), strict=True))
    return [reports[position] for position in range(len(read))]


def read_batches(
    sources: Sequence[Source],
    config: Config,
    timer: StageTimer | None = None,
    max_files: int = BATCH_FILES,
    max_bytes: int = BATCH_BYTES,
) -> Iterator[list[Decoded | FileReport]]:
    """The sources read and decoded, in the batches `batches` would cut, but sized by the
    bytes read: no stat of every file beforehand (~1.6 µs a file). A file that does not fit
    is read before it is known not to, and opens the next batch."""
    carried: list[tuple[Decoded | FileReport, int]] = []
    position = 0
    while carried or position < len(sources):
        batch: list[Decoded | FileReport] = []
        size = 0
        with maybe(timer, "read+decode+normalise"):
            while carried or position < len(sources):
                if carried:
                    item, own = carried.pop()
                else:
                    item, own = _read_sized(sources[position], config)
                    position += 1
                if batch and (len(batch) >= max_files or size + own > max_bytes):
                    carried.append((item, own))
                    break
                batch.append(item)
                size += own
        yield batch


def check_source(source: Source, config: Config, timer: StageTimer | None = None) -> FileReport:
    return check_batch([source], config, timer)[0]


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


def _size(source: Source) -> int:
    try:
        return 0 if source.path == STDIN else os.stat(source.path).st_size  # noqa: PTH116 (cheaper)
    except OSError:
        return 0


def batches(
    sources: Sequence[Source], max_files: int = BATCH_FILES, max_bytes: int = BATCH_BYTES
) -> list[list[Source]]:
    """Consecutive runs of files checked together: batches amortise the fixed cost of each
    array operation over many files, and the byte bound keeps memory flat."""
    out: list[list[Source]] = []
    size = 0
    for source in sources:
        own = _size(source)
        if not out or len(out[-1]) >= max_files or (out[-1] and size + own > max_bytes):
            out.append([])
            size = 0
        out[-1].append(source)
        size += own
    return out


def _worth_a_pool(sources: Sequence[Source], jobs: int) -> bool:
    if jobs < 2 or len(sources) < PARALLEL_MIN_FILES or any(s.path == STDIN for s in sources):
        return False
    size = 0
    for source in sources:  # stop counting as soon as it is enough
        size += _size(source)
        if size >= PARALLEL_MIN_BYTES:
            return True
    return False


def _check_chunk(args: tuple[list[Source], Config, bool]) -> tuple[list[FileReport], StageTimer]:
    sources, config, timed = args
    timer = StageTimer() if timed else None
    return check_batch(sources, config, timer), timer or StageTimer()


def check_sources(
    sources: Sequence[Source],
    *,
    config: Config,
    progress: ProgressCallback | None = None,
    jobs: int = 1,
    timer: StageTimer | None = None,
) -> RunReport:
    """Check sources in order, in batches. With jobs > 1 (and enough input to pay for it),
    batches are spread over processes; results come back in the same order as with one."""
    reports: list[FileReport] = []

    def keep(chunk_reports: list[FileReport]) -> None:
        for report in chunk_reports:
            reports.append(report)
            if progress is not None:
                progress(report)

    with frozen_as_it_grows() as batch_done:
        if _worth_a_pool(sources, jobs):
            per_batch = max(1, min(BATCH_FILES, len(sources) // (jobs * 4)))
            work = [(chunk, config, timer is not None) for chunk in batches(sources, per_batch)]
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for chunk_reports, chunk_timer in pool.map(_check_chunk, work):
                    if timer is not None:
                        timer.merge(chunk_timer)
                    keep(chunk_reports)
                    batch_done()
        else:
            for read in read_batches(sources, config, timer):
                with collected_once():
                    keep(_check_read(read, config, timer))
                del read  # else it lives on while the next batch is read
                batch_done()
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
