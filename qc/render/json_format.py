"""The JSON report, schema `qc.report/1`: a contract other tools depend on.

Fields may be added; none is renamed or removed without a new schema version.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from functools import cache
from json.encoder import encode_basestring
from typing import Any

from qc.model import FileReport, Finding, RunReport

SCHEMA = "qc.report/1"


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "name": finding.name,
        "category": finding.category,
        "severity": finding.severity,
        "line": finding.line,
        "end_line": finding.end_line,
        "message": finding.message,
        "similarity": finding.similarity,
        "related": [
            {"path": r.path, "line": r.line, "end_line": r.end_line} for r in finding.related
        ],
        "excerpt": finding.excerpt,
        "suggestion": finding.suggestion,
    }


def file_to_dict(
    report: FileReport, finding_form: Callable[[Finding], Any] = finding_to_dict
) -> dict[str, Any]:
    return {
        "path": report.path,
        "encoding": report.encoding,
        "lines": report.lines,
        "chars": report.chars,
        "score": report.score,
        "status": report.status,
        "error": report.error,
        "findings": [finding_form(f) for f in report.findings],
    }


def to_dict(
    report: RunReport, file_form: Callable[[FileReport], Any] = file_to_dict
) -> dict[str, Any]:
    summary = report.summary
    return {
        "schema": SCHEMA,
        "tool": {"name": "qc", "version": report.tool_version},
        "files": [file_form(f) for f in report.files],
        "summary": {
            "files": summary.files,
            "clean": summary.clean,
            "warn": summary.warn,
            "fail": summary.fail,
            "errors": summary.errors,
            "findings": dict(summary.findings),
        },
    }


def chunks(report: RunReport, color: bool = False) -> Iterator[str]:
    """`dumps(to_dict(report))` and a final line break, a file at a time: written out as it
    comes, a report over 100,000 files is never held whole (its text and the copies joining
    it made ~330 MB). Each file is written as soon as its dict is made: 100,000 files' dicts
    held at once cost more than their text (memory, and collections)."""
    del color  # JSON is never coloured
    head, tail = _frame(report)
    if not report.files:
        yield head + "[]" + tail
        return
    inner = "\n" + "  " * 2  # the files list sits at depth 1, its items at depth 2
    separator = "," + inner
    yield head + "[" + inner
    first = True
    for file_report in report.files:
        yield _file_json(file_report) if first else separator + _file_json(file_report)
        first = False
    yield "\n  ]" + tail


def _frame(report: RunReport) -> tuple[str, str]:
    """The report's text before and after its files list."""
    top = to_dict(dataclasses.replace(report, files=()))
    top["files"] = _Written("\0")  # strings are escaped, so no other NUL is written raw
    head, tail = (dumps(top) + "\n").split("\0")
    return head, tail


# The keys of `file_to_dict`, in its order (a test holds them equal).
_FILE_KEYS = ("path", "encoding", "lines", "chars", "score", "status", "error", "findings")


def _file_json(report: FileReport) -> str:
    """`dumps(file_to_dict(report), 2)`: at the depths where files and findings sit. Written
    field by field, without the dict: one is written for every file (most have no findings),
    and building it and walking it took most of the time."""
    b = _layout(_FILE_KEYS, 2)
    encoding = "null" if report.encoding is None else encode_basestring(report.encoding)
    error = "null" if report.error is None else encode_basestring(report.error)
    findings = (
        dumps([_Written(_fixed(finding_to_dict(f), 4)) for f in report.findings], 3)
        if report.findings
        else "[]"
    )
    return (
        f"{b[0]}{encode_basestring(report.path)}{b[1]}{encoding}{b[2]}{_scalar(report.lines)}"
        f"{b[3]}{_scalar(report.chars)}{b[4]}{_scalar(report.score)}{b[5]}"
        f"{encode_basestring(report.status)}{b[6]}{error}{b[7]}{findings}{b[8]}"
    )


def _fixed(values: dict[str, Any], level: int) -> str:
    """`dumps(values, level)` of a dict whose keys recur in every one like it (a file's, a
    finding's): the keys and indentation are laid out once, and only the values written."""
    layout = _layout(tuple(values), level)
    pieces = [layout[0]]
    for value, after in zip(values.values(), layout[1:], strict=True):
        leaf = _scalar(value)
        pieces += (dumps(value, level + 1) if leaf is None else leaf, after)
    return "".join(pieces)


@cache
def _layout(keys: tuple[str, ...], level: int) -> tuple[str, ...]:
    """What `dumps` writes around such a dict's values, in order: the text between them."""
    return tuple(dumps(dict.fromkeys(keys, _Written("\0")), level).split("\0"))


class _Written(str):
    """A value already written as JSON, at its place in the tree (`dumps` copies it)."""


def dumps(value: Any, level: int = 0) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, character for character, without
    the standard library's pure-Python generators (which `indent` forces): a container's
    leaves are joined in one go, and strings are escaped by the same C function. A report
    over 100,000 files has millions of values. Keys must be strings; `level` is how deep the
    value sits."""
    leaf = _scalar(value)
    if leaf is not None:
        return leaf
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    inner, outer = "\n" + "  " * (level + 1), "\n" + "  " * level
    items = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"keys must be str, not {type(key).__name__}")
            leaf = _scalar(item)
            text = dumps(item, level + 1) if leaf is None else leaf
            items.append(f"{encode_basestring(key)}: {text}")
        return "{" + inner + ("," + inner).join(items) + outer + "}"
    for item in value:
        leaf = _scalar(item)
        items.append(dumps(item, level + 1) if leaf is None else leaf)
    return "[" + inner + ("," + inner).join(items) + outer + "]"


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str | None:
    """A leaf's text, or None for a container."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is _Written:
        written: _Written = value  # joined as it is: no copy
        return written
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if isinstance(value, (dict, list, tuple)):
        return None
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")
