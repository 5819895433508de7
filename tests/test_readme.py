"""The README's set-up commands are the ones CI runs, and every rule is documented."""

from __future__ import annotations

import re
from pathlib import Path

from qc.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_two_setup_commands_and_ci_runs_them():
    commands = _setup_commands()
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci


def test_every_rule_is_documented():
    for rule in RULES:
        assert f"| {rule.code} | {rule.name} |" in README
