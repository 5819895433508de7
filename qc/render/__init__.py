"""Report formats. Each renderer turns a RunReport into a string and never prints."""

from __future__ import annotations

from collections.abc import Callable

from qc.heap import frozen_as_it_grows
from qc.model import RunReport
from qc.render import json_format, text_format

Renderer = Callable[[RunReport, bool], str]

RENDERERS: dict[str, Renderer] = {
    "text": text_format.render,
    "json": json_format.render,
}


def render(report: RunReport, fmt: str, *, color: bool = False) -> str:
    with frozen_as_it_grows():  # the report is done: collections need not walk it
        return RENDERERS[fmt](report, color)
