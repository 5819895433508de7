"""qc: a content-quality and duplication checker for news copy.

Library use::

    import qc
    report = qc.check_text(open("article.txt", encoding="utf-8").read())
    run = qc.check_paths(["articles/"], config=qc.load_config("qc.toml"))
"""

from __future__ import annotations

__version__ = "0.1.0"

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
