"""The `qc` command: parse options, call the library, render, choose the exit code.

No detection happens here. Exit codes: 0 no file reaches --fail-on; 1 some file does, or could
not be read; 2 usage or configuration error.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

import click

import qc.process  # noqa: F401  (first of qc's modules: it must run before numpy loads)
from qc import __version__
from qc.api import check_sources, collect, default_jobs
from qc.config import Config, ConfigError, config_to_toml, load_config
from qc.inputs import STDIN
from qc.model import FileReport, RunReport
from qc.render import RENDERERS, write_report
from qc.scoring import worse_or_equal
from qc.timing import StageTimer, maybe

PROGRESS_MIN_FILES = 20


class ConfigProblem(click.ClickException):
    exit_code = 2


def _load(config_path: str | None) -> Config:
    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from exc


def _with_inputs(
    config: Config, include: tuple[str, ...], exclude: tuple[str, ...], encoding: str | None
) -> Config:
    changes: dict[str, Any] = {}
    if include:
        changes["include"] = include
    if exclude:
        changes["exclude"] = config.input.exclude + exclude
    if encoding:
        changes["encoding"] = encoding
    return dataclasses.replace(config, input=dataclasses.replace(config.input, **changes))


def _use_color(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return "NO_COLOR" not in os.environ and bool(isatty and isatty())


def _run(
    paths: tuple[str, ...], config: Config, progress: bool, jobs: int, timer: StageTimer | None
) -> RunReport:
    sources = collect(paths, config)
    if not (progress and len(sources) >= PROGRESS_MIN_FILES and sys.stderr.isatty()):
        return check_sources(sources, config=config, jobs=jobs, timer=timer)
    with click.progressbar(length=len(sources), label="checking", file=sys.stderr) as bar:

        def advance(_: FileReport) -> None:
            bar.update(1)

        return check_sources(sources, config=config, progress=advance, jobs=jobs, timer=timer)


def _print_timings(timer: StageTimer) -> None:
    total = sum(timer.seconds.values()) or 1.0
    for stage, seconds in timer.seconds.items():
        click.echo(f"{stage:>22}: {seconds:8.3f} s {100 * seconds / total:5.1f}%", err=True)


def _write_atomically(path: Path, report: RunReport, fmt: str) -> None:
    """Write next to the target, then rename: an interrupted run leaves no half report."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as sink:
            write_report(report, fmt, sink)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise click.FileError(str(path), hint=exc.strerror or str(exc)) from exc
    except BaseException:  # interrupted while writing (the report goes out as it is made)
        temporary.unlink(missing_ok=True)
        raise


def _exit_code(report: RunReport, fail_on: str) -> int:
    for file_report in report.files:
        if file_report.status == "error" or worse_or_equal(file_report.status, fail_on):  # type: ignore[arg-type]
            return 1
    return 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qc")
def main() -> None:
    """qc: find repeated, pasted-in and damaged copy in news articles."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Config file (default: nearest qc.toml or [tool.qc] in pyproject.toml).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["warn", "fail"]),
    default="fail",
    show_default=True,
    help="Exit 1 when a file reaches this status.",
)
@click.option(
    "--include",
    multiple=True,
    help="Glob of file names to check inside folders (repeatable; replaces input.include).",
)
@click.option(
    "--exclude", multiple=True, help="Glob of paths to skip (repeatable; adds to input.exclude)."
)
@click.option("--encoding", help="Force an input encoding instead of detecting it.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to spread files over (default: the number of CPUs). Small batches "
    "run in one process; results and their order never depend on this.",
)
@click.option("--timings", is_flag=True, help="Print the time spent per stage on stderr.")
@click.option(
    "--progress/--no-progress",
    default=True,
    show_default=True,
    help="Progress bar on stderr for long batches (only on a terminal).",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    config_path: str | None,
    fail_on: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    encoding: str | None,
    jobs: int | None,
    timings: bool,
    progress: bool,
) -> None:
    """Check article files and folders (recursively); `-` reads standard input."""
    if paths.count(STDIN) > 1:
        raise click.UsageError("'-' (standard input) may be given only once")
    config = _with_inputs(_load(config_path), include, exclude, encoding)
    timer = StageTimer() if timings else None
    report = _run(paths, config, progress, jobs or default_jobs(), timer)
    with maybe(timer, "render"):  # rendering and writing out, a file at a time
        if output:
            _write_atomically(Path(output), report, fmt)
        else:
            stdout = click.get_text_stream("stdout")
            write_report(report, fmt, stdout, color=fmt == "text" and _use_color(stdout))
            stdout.flush()
    if timer is not None:
        _print_timings(timer)
    sys.exit(_exit_code(report, fail_on))


@main.command("config")
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Config file to show instead of the one qc would find.",
)
def show_config(config_path: str | None) -> None:
    """Print the effective configuration and where it came from."""
    config = _load(config_path)
    click.echo(f"# source: {config.source}")
    click.echo(config_to_toml(config), nl=False)
