"""The JSON report, schema `qc.report/1`: a contract other tools depend on.

Fields may be added; none is renamed or removed without a new schema version.
"""

from __future__ import annotations

import json
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


def file_to_dict(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "encoding": report.encoding,
        "lines": report.lines,
        "chars": report.chars,
        "score": report.score,
        "status": report.status,
        "error": report.error,
        "findings": [finding_to_dict(f) for f in report.findings],
    }


def to_dict(report: RunReport) -> dict[str, Any]:
    summary = report.summary
    return {
        "schema": SCHEMA,
        "tool": {"name": "qc", "version": report.tool_version},
        "files": [file_to_dict(f) for f in report.files],
        "summary": {
            "files": summary.files,
            "clean": summary.clean,
            "warn": summary.warn,
            "fail": summary.fail,
            "errors": summary.errors,
            "findings": dict(summary.findings),
        },
    }


def render(report: RunReport, color: bool = False) -> str:
    del color  # JSON is never coloured
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"
