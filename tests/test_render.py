"""Reports are written a file at a time: the same text as `render`, never held whole."""

from __future__ import annotations

import gc
import json

import pytest

import qc
from qc.api import summarise
from qc.model import RunReport
from qc.render import RENDERERS, render, write_report
from qc.render.json_format import _FILE_KEYS, file_to_dict, to_dict

TEXTS = [
    "第一段，一句话。\n第一段，一句话。\n#话题# 超话 @某人 [心]",
    "这是一段正常的新闻正文，内容完整。\n\n改革开放四十年来，城市面貌发生了翻天覆地的变化。",
    "",
    "😀 表情\r\n责任编辑：某某\r\n",
]


def _run(count: int) -> RunReport:
    files = tuple(
        qc.check_text(TEXTS[i % len(TEXTS)], path=f"dir/文件{i}.txt") for i in range(count)
    )
    return RunReport(files=files, summary=summarise(files), tool_version=qc.__version__)


class _Recorder:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.frozen: list[int] = []

    def write(self, text: str) -> int:
        self.pieces.append(text)
        self.frozen.append(gc.get_freeze_count())
        return len(text)


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("count", [0, 1, 7])
def test_a_written_report_is_the_rendered_text(fmt: str, count: int):
    run = _run(count)
    sink = _Recorder()
    write_report(run, fmt, sink)
    assert "".join(sink.pieces) == render(run, fmt)


@pytest.mark.parametrize("count", [0, 1, 7])
def test_the_json_written_is_the_standard_librarys(count: int):
    run = _run(count)
    sink = _Recorder()
    write_report(run, "json", sink)
    text = "".join(sink.pieces)
    assert text == json.dumps(to_dict(run), ensure_ascii=False, indent=2) + "\n"
    assert json.loads(text)["summary"]["files"] == count
    assert all(tuple(file_to_dict(f)) == _FILE_KEYS for f in run.files)  # written field by field


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_piece_holds_more_than_one_file(fmt: str):
    run, one = _run(40), _run(1)
    sink = _Recorder()
    write_report(run, fmt, sink)
    longest_file = max(len(render(_with(one, f), fmt)) for f in run.files)
    assert len(sink.pieces) > len(run.files)
    assert max(map(len, sink.pieces)) < longest_file


def _with(run: RunReport, file: qc.FileReport) -> RunReport:
    return RunReport(files=(file,), summary=run.summary, tool_version=run.tool_version)


def test_the_collector_skips_the_report_while_it_is_written():
    sink = _Recorder()
    write_report(_run(3), "json", sink)
    assert min(sink.frozen) > 0  # frozen while written
    assert gc.get_freeze_count() == 0  # and unfrozen after


def test_text_report_is_one_block_per_file_then_the_summary():
    run = _run(4)
    text = render(run, "text")
    lines = text.split("\n")
    assert text.endswith("\n") and lines[-1] == "" and "" not in lines[:-1]
    heads = [line.split(":", 1)[0] for line in lines if not line.startswith(" ")]
    assert heads[:-2] == [path for f in run.files for path in [f.path] * _head_lines(f)]
    assert lines[-2].startswith("4 files: ")


def _head_lines(file: qc.FileReport) -> int:
    return 1 if file.error else 1 + len(file.findings)
