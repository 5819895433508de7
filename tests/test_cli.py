"""The qc command: formats, exit codes, per-file errors, stdin, output files, colour."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from qc import __version__
from qc.cli import main
from qc.inputs import Source, read_bytes
from qc.render import RENDERERS
from qc.text import InputError

CLEAN = "一篇干净的稿件\n\n这是正文的第一段，内容完整，标点齐全。\n\n这是正文的第二段，同样没有任何问题。\n"
PARAGRAPH = "这一段文字在稿件中被完整地重复了两次，属于需要编辑处理的问题。"
DIRTY = f"标题\n\n{PARAGRAPH}\n\n中间一段不同的文字，内容足够长，不会被误判。\n\n{PARAGRAPH}\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    return tmp_path


def test_text_report_lines(runner, batch):
    result = runner.invoke(main, ["check", str(batch)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{batch / 'clean.txt'}: clean score 100.0, no findings [utf-8]"
    assert lines[2] == (
        f"{batch / 'dirty.txt'}:7: error QC102 repeated-paragraph: repeats line 3 exactly "
        "(first copy at line 3)"
    )
    assert lines[3].startswith("    | 这一段文字在稿件中被完整地重复了两次")
    assert lines[-1] == "2 files: 1 clean, 0 warn, 1 fail, 0 errors; 1 findings (repeat 1)"
    assert "\x1b[" not in result.output  # not a terminal: no colour


def test_clean_batch_exits_0(runner, batch):
    result = runner.invoke(main, ["check", str(batch / "clean.txt")])
    assert result.exit_code == 0, result.output


def test_json_contract(runner, batch):
    result = runner.invoke(main, ["check", "--format", "json", str(batch)])
    data = json.loads(result.output)
    assert data["schema"] == "qc.report/1"
    assert data["tool"] == {"name": "qc", "version": __version__}
    dirty = data["files"][1]
    assert set(dirty) >= {
        "path",
        "encoding",
        "lines",
        "chars",
        "score",
        "status",
        "error",
        "findings",
    }
    (finding,) = dirty["findings"]
    assert finding["rule"] == "QC102" and finding["name"] == "repeated-paragraph"
    assert finding["category"] == "repeat" and finding["severity"] == "error"
    assert (finding["line"], finding["end_line"], finding["similarity"]) == (7, 7, 1.0)
    assert finding["related"] == [{"path": dirty["path"], "line": 3, "end_line": 3}]
    assert data["summary"] == {
        "files": 2,
        "clean": 1,
        "warn": 0,
        "fail": 1,
        "errors": 0,
        "findings": {"repeat": 1},
    }


def test_output_file_does_not_change_exit_code(runner, batch, tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(main, ["check", "--format", "json", "-o", str(out), str(batch)])
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["fail"] == 1


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_output_file_holds_what_stdout_shows_and_nothing_else_is_left(runner, batch, tmp_path, fmt):
    out = tmp_path / "reports" / f"report.{fmt}"
    out.parent.mkdir()
    shown = runner.invoke(main, ["check", "--format", fmt, str(batch)]).output
    assert runner.invoke(main, ["check", "--format", fmt, "-o", str(out), str(batch)]).output == ""
    assert out.read_text(encoding="utf-8") == shown
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_a_report_interrupted_while_written_leaves_the_old_one(runner, batch, tmp_path):
    out = tmp_path / "reports" / "report.json"
    out.parent.mkdir()
    out.write_text("the previous report", encoding="utf-8")

    def breaks(report, color):
        yield "{"
        raise RuntimeError("interrupted")

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(RENDERERS, "json", breaks)
        result = runner.invoke(main, ["check", "--format", "json", "-o", str(out), str(batch)])
    assert isinstance(result.exception, RuntimeError)
    assert out.read_text(encoding="utf-8") == "the previous report"
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]


def test_fail_on_warn(runner, batch, tmp_path):
    config = tmp_path / "warn.toml"
    config.write_text('[rules.QC102]\nseverity = "warning"\n', encoding="utf-8")
    args = ["check", "-c", str(config), str(batch / "dirty.txt")]
    assert runner.invoke(main, args).exit_code == 0
    assert runner.invoke(main, [*args, "--fail-on", "warn"]).exit_code == 1


def test_disabled_rule_reports_nothing(runner, batch, tmp_path):
    config = tmp_path / "off.toml"
    config.write_text("[rules.repeated-paragraph]\nenabled = false\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "-c", str(config), str(batch / "dirty.txt")])
    assert result.exit_code == 0 and "QC102" not in result.output


def test_bad_files_get_their_own_error_and_the_batch_goes_on(runner, tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "c_gbk.txt").write_bytes(CLEAN.encode("gbk"))
    (tmp_path / "d_utf16.txt").write_bytes(CLEAN.encode("utf-16"))
    (tmp_path / "e_crlf.txt").write_bytes(DIRTY.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "f_blank.txt").write_text("\n \n\u3000\n", encoding="utf-8")
    result = runner.invoke(
        main, ["check", "--format", "json", str(tmp_path), str(tmp_path / "missing.txt")]
    )
    assert result.exit_code == 1
    files = {Path(f["path"]).name: f for f in json.loads(result.output)["files"]}
    assert files["a_empty.txt"]["error"] == "empty file"
    assert "binary" in files["b_binary.txt"]["error"]
    assert files["c_gbk.txt"]["encoding"] == "gb18030" and files["c_gbk.txt"]["status"] == "clean"
    assert (
        files["d_utf16.txt"]["encoding"] == "utf-16" and files["d_utf16.txt"]["status"] == "clean"
    )
    assert [f["line"] for f in files["e_crlf.txt"]["findings"]] == [7]
    assert files["f_blank.txt"]["error"].startswith("empty file")
    assert files["missing.txt"]["error"] == "no such file"
    assert all(f["status"] == "error" for name, f in files.items() if f["error"])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(runner, tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(CLEAN, encoding="utf-8")
    path.chmod(0)
    result = runner.invoke(main, ["check", str(path)])
    assert "permission denied" in result.output and result.exit_code == 1


def test_file_over_size_limit(runner, tmp_path):
    config = tmp_path / "small.toml"
    config.write_text("[input]\nmax_file_mb = 0.001\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("正文内容。" * 1000, encoding="utf-8")
    result = runner.invoke(main, ["check", "-c", str(config), str(big)])
    assert "file too large" in result.output and result.exit_code == 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_that_never_ends_is_cut_at_the_size_limit():
    with pytest.raises(InputError, match="input too large"):
        read_bytes(Source("/dev/zero"), 10_000)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_file_whose_size_says_zero_is_read_to_its_end():
    # Files in /proc report size 0 and still hold text: the size is a hint, not the end.
    data = read_bytes(Source("/proc/self/status"), 1_000_000)
    assert data.startswith(b"Name:") and data.endswith(b"\n")


def test_a_large_file_is_read_whole(tmp_path):
    path = tmp_path / "large.txt"
    data = CLEAN.encode("utf-8") * 20_000  # several MB: more than one read's chunk
    path.write_bytes(data)
    assert read_bytes(Source(str(path)), len(data)) == data
    with pytest.raises(InputError, match="file too large"):
        read_bytes(Source(str(path)), len(data) - 1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_read_to_its_end(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    data = CLEAN.encode("utf-8") * 600  # more than one pipe buffer (64 KB), so several reads

    def write() -> None:
        with pipe.open("wb") as handle:
            handle.write(data)

    writer = threading.Thread(target=write)
    writer.start()
    assert read_bytes(Source(str(pipe)), len(data) + 10) == data
    writer.join()


def test_stdin(runner):
    result = runner.invoke(main, ["check", "-"], input=DIRTY.encode("utf-8"))
    assert result.exit_code == 1
    assert "-:7: error QC102" in result.output


def test_include_and_exclude(runner, batch):
    (batch / "sub").mkdir()
    (batch / "sub" / "more.md").write_text(CLEAN, encoding="utf-8")
    data = json.loads(runner.invoke(main, ["check", "--format", "json", str(batch)]).output)
    assert sorted(Path(f["path"]).name for f in data["files"]) == [
        "clean.txt",
        "dirty.txt",
        "more.md",
    ]
    data = json.loads(
        runner.invoke(
            main,
            ["check", "--format", "json", "--include", "*.json", "--exclude", "sub", str(batch)],
        ).output
    )
    assert [Path(f["path"]).name for f in data["files"]] == ["notes.json"]


def test_input_files_are_never_modified(runner, batch):
    before = {p: p.read_bytes() for p in batch.iterdir()}
    runner.invoke(main, ["check", str(batch)])
    assert {p: p.read_bytes() for p in batch.iterdir()} == before


def test_usage_and_config_errors_exit_2(runner, tmp_path):
    assert runner.invoke(main, ["check"]).exit_code == 2
    assert runner.invoke(main, ["check", "--format", "xml", "x"]).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[repeat]\nngramm = 3\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "-c", str(bad), "x"])
    assert result.exit_code == 2 and "unknown key 'repeat.ngramm'" in result.output


def test_config_command_shows_source_and_round_trips(runner, tmp_path):
    custom = tmp_path / "custom.toml"
    custom.write_text("[repeat]\nmin_chars = 33\n", encoding="utf-8")
    result = runner.invoke(main, ["config", "-c", str(custom)])
    assert result.exit_code == 0
    assert result.output.startswith(f"# source: {custom}")
    assert "min_chars = 33" in result.output
    again = tmp_path / "again.toml"
    again.write_text(result.output, encoding="utf-8")
    assert (
        runner.invoke(main, ["config", "-c", str(again)]).output.split("\n", 1)[1]
        == (result.output.split("\n", 1)[1])
    )


def test_colour_only_on_terminal_and_honours_no_color(monkeypatch):
    from qc import cli

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._use_color(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._use_color(Tty())


def test_every_command_has_help(runner):
    for command in main.commands:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_seeds_run(runner):
    result = runner.invoke(main, ["check", str(SEEDS)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("5 files:")


def test_jobs_give_the_same_report_as_one_process(tmp_path, monkeypatch):
    import qc.api

    for number in range(12):
        text = DIRTY if number % 3 == 0 else CLEAN
        (tmp_path / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(qc.api, "PARALLEL_MIN_BYTES", 0)  # a pool even for this small batch
    runner = CliRunner()
    one = runner.invoke(main, ["check", "--format", "json", "-j", "1", str(tmp_path)])
    two = runner.invoke(main, ["check", "--format", "json", "-j", "2", str(tmp_path)])
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output


def test_timings_go_to_stderr(runner, batch):
    result = runner.invoke(main, ["check", "--timings", str(batch)])
    assert "repeat:" in result.stderr and "render:" in result.stderr
    assert "repeat:" not in result.stdout


def test_excerpts_are_capped(runner, tmp_path):
    line = "这一段很长的文字被原样重复。" * 2000
    (tmp_path / "long.txt").write_text(f"标题\n\n{line}\n\n{line}\n", encoding="utf-8")
    data = json.loads(runner.invoke(main, ["check", "--format", "json", str(tmp_path)]).output)
    (finding,) = data["files"][0]["findings"]
    assert len(finding["excerpt"]) <= 201
