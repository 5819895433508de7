"""Which files a run checks: the folder walk against the plain `Path` definition."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qc.config import InputConfig
from qc.inputs import discover


def _by_paths(raw: str, config: InputConfig) -> list[str]:
    """The definition: every admitted file under `raw` as a `Path`, sorted as paths sort."""
    root = Path(raw)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(folder) / name
            if not any(fnmatch.fnmatch(name, p) for p in config.include):
                continue
            parts = (path.as_posix(), path.name, *path.parts)
            if any(fnmatch.fnmatch(part, p) for p in config.exclude for part in parts):
                continue
            found.append(path)
    return [str(path) for path in sorted(found)]


# Names whose order as strings and as paths differ ("a-b" sorts before "a/..." as a string,
# after "a" as a path part), cases, dots, and Chinese.
_NAMES = st.sampled_from(["a", "a-b", "a.b", "A", "b", "ab", "z", "新闻", "a b", ".hidden"])
_TREES = st.lists(
    st.tuples(st.lists(_NAMES, max_size=3), _NAMES, st.sampled_from([".txt", ".md", ".json"])),
    max_size=25,
)


def _make(root: Path, tree: list[tuple[list[str], str, str]]) -> None:
    for folders, name, suffix in tree:
        folder = root.joinpath(*folders)  # no folder name ends like a file's: no clash
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (name + suffix)
        if not target.exists():
            target.write_text("x", encoding="utf-8")


@settings(max_examples=60, deadline=None)
@given(tree=_TREES, exclude=st.sampled_from([(), ("a",), ("*.md",), ("a-b/*",)]))
def test_the_walk_finds_and_orders_what_paths_would(tmp_path_factory, tree, exclude):
    root = tmp_path_factory.mktemp("tree")
    _make(root, tree)
    config = InputConfig(exclude=exclude)
    for raw in (str(root), str(root) + "/", str(root) + "//."):
        assert [s.path for s in discover([raw], config)] == _by_paths(raw, config)


def test_a_walk_from_the_current_folder_names_files_without_dot_slash(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    for path in (tmp_path / "b.txt", tmp_path / "sub" / "a.txt", tmp_path / "a-b.txt"):
        path.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for raw in (".", "./"):
        found = [s.path for s in discover([raw], InputConfig())]
        assert found == _by_paths(raw, InputConfig())
        assert found == ["a-b.txt", "b.txt", str(Path("sub", "a.txt"))]


@pytest.mark.parametrize("named", ["x.json", "missing.txt"])
def test_a_named_file_is_taken_whatever_include_says(tmp_path, named):
    path = tmp_path / named
    if named != "missing.txt":
        path.write_text("x", encoding="utf-8")
    assert [s.path for s in discover([str(path)], InputConfig())] == [str(path)]


def test_a_file_reached_twice_is_checked_once(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    paths = [str(tmp_path), str(tmp_path / "a.txt"), str(tmp_path) + "/./a.txt"]
    assert [s.path for s in discover(paths, InputConfig())] == [str(tmp_path / "a.txt")]
