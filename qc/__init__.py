"""qc: a content-quality and duplication checker for news copy.

Library use::

    import qc
    report = qc.check_text(open("article.txt", encoding="utf-8").read())
    run = qc.check_paths(["articles/"], config=qc.load_config("qc.toml"))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from qc.api import check_bytes, check_paths, check_text
    from qc.config import Config, ConfigError, load_config
    from qc.model import (
        Document,
        FileReport,
        Finding,
        Location,
        Paragraph,
        RunReport,
        Summary,
    )

# Where each public name lives. They are imported on first use (PEP 562), not with the
# package, so that `qc.cli` can settle process-wide matters (see qc/process.py) before the
# library imports numpy.
_PUBLIC = {
    **dict.fromkeys(("check_bytes", "check_paths", "check_text"), "qc.api"),
    **dict.fromkeys(("Config", "ConfigError", "load_config"), "qc.config"),
    **dict.fromkeys(
        ("Document", "FileReport", "Finding", "Location", "Paragraph", "RunReport", "Summary"),
        "qc.model",
    ),
}

__all__ = [
    "Config",
    "ConfigError",
    "Document",
    "FileReport",
    "Finding",
    "Location",
    "Paragraph",
    "RunReport",
    "Summary",
    "__version__",
    "check_bytes",
    "check_paths",
    "check_text",
    "load_config",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'qc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
