"""Bytes to text, text to lines and paragraphs, and the comparison form detectors match on.

Decoding never guesses silently: it returns the encoding it used, and raises `InputError` with
a message an editor understands for binary, empty or undecodable input.
"""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from itertools import pairwise
from typing import NamedTuple, overload

import numpy as np

from qc.arrays import distinct
from qc.model import Document, Paragraph
from qc.native import native


class InputError(ValueError):
    """A file that qc cannot check: unreadable, binary, empty, too large or undecodable."""


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_REPORTED_NAME = {
    "utf-8-sig": "utf-8-sig",
    "utf-16-le": "utf-16",
    "utf-16-be": "utf-16",
    "utf-32-le": "utf-32",
    "utf-32-be": "utf-32",
}
_LEGACY_CJK = ("gb18030", "big5")


@cache
def _common_chars() -> frozenset[str]:
    data = resources.files("qc").joinpath("data/common_chars.txt").read_text(encoding="utf-8")
    return frozenset(
        ch for line in data.splitlines() if not line.startswith("#") for ch in line.split()
    )


def _plausibility(text: str) -> float:
    """Share of Han characters that are common in news copy: high for the right decoding."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\ue000" <= ch <= "\uf8ff"]
    if not han:
        return 0.0
    common = _common_chars()
    return sum(ch in common for ch in han) / len(han)


# Control bytes that do not occur in text (tab, newlines, form feed and escape do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


_SNIFFED = 8192  # bytes looked at to tell binary from text


def _looks_binary(data: bytes) -> bool:
    if native is not None:  # one pass, no copy: bytes.translate took ~10 µs of every file
        nuls, controls = native.control_bytes(data, _SNIFFED)
    else:
        head = data[:_SNIFFED]
        nuls = head.count(0)
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return nuls > 0 or controls > min(len(data), _SNIFFED) * 0.05


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """Decode file contents; return the text and the name of the encoding used."""
    if not data:
        raise InputError("empty file")
    if encoding != "auto":
        try:
            return data.decode(encoding), encoding
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid {encoding} at byte {exc.start}") from exc
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"has a {_REPORTED_NAME[name]} byte-order mark but is not "
                    f"valid {_REPORTED_NAME[name]} at byte {exc.start}"
                ) from exc
            return text, _REPORTED_NAME[name]
    if _looks_binary(data):
        raise InputError("binary file (contains NUL or control bytes); not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for name in _LEGACY_CJK:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), -_LEGACY_CJK.index(name), text, name))
    if not candidates:
        raise InputError(
            "cannot decode: not UTF-8, UTF-16/32 with BOM, GB18030 or Big5 "
            "(use --encoding to force one)"
        )
    _, _, text, name = max(candidates)
    return text, name


# Characters that are invisible on screen: a line of only these is blank.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# What surrounds a line and is not part of it: whitespace (as `str.isspace`, which is also
# what `\\s` means in a pattern) and the invisible characters.
_EDGE_CHARS = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + _INVISIBLE


def is_wide(text: str) -> bool:
    """Does the text hold a character beyond the BMP (an emoji, a rare ideograph)? CPython
    then stores it, and any text it is joined with, four bytes a character."""
    if native is not None:
        return native.wide(text)
    return len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)


def _unify_breaks(text: str) -> str:
    """\\r\\n and lone \\r become \\n (a lone \\r is a line break to every editor)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: \\n, \\r\\n and lone \\r all end a line."""
    lines = _unify_breaks(text).split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


# Full-width ASCII forms and the ideographic space: what NFKC changes most in Chinese copy.
_WIDE_TO_NARROW = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_WIDE_FIRST, _WIDE_COUNT, _WIDE_SHIFT = np.uint32(0xFF01), np.uint32(0x5E), np.uint32(0xFEE0)
_IDEOGRAPHIC_SPACE = 0x3000
# Characters NFKC leaves alone whatever surrounds them (after width folding): ASCII, the CJK
# ideographs and the CJK punctuation news uses. Runs of anything else get exact NFKC, with the
# character before each run taken along so that combining marks compose with their base.
_STABLE_RANGES = (
    (0x00, 0x7F), (0x4E00, 0x9FFF), (0x3001, 0x3002), (0x2014, 0x2014), (0x2018, 0x2019),
    (0x201C, 0x201D), (0x3008, 0x3011), (0x00B7, 0x00B7),
)  # fmt: skip
# Blocks where news copy finds its other symbols (Latin-1 and Latin letters, punctuation,
# letterlike forms, number forms, arrows, maths, shapes, dingbats, CJK symbols, kana): once
# met (`_learn`), a starter in them that NFKC leaves alone is stable too (none of them
# composes with the character before it: a test holds them to Unicode's decompositions), and
# a starter whose NFKC is stable text (…, Ⅱ, ①, an en space) is expanded in C.
_SYMBOL_BLOCKS = ((0x0080, 0x024F), (0x2000, 0x2BFF), (0x3000, 0x30FF), (0x3200, 0x32FF))
# Bits of the per-character table (EXPANDED: see `_learn`).
_STABLE, _WORD, _CASED, _FINAL_BIT, _CLOSING_BIT, _ALNUM_BIT, _EXPANDED = 1, 2, 4, 8, 16, 32, 64
# A sentence ends at a run of final punctuation, or at a half-width full stop (NFKC turns the
# full-width one into it) that is not inside a number or a Latin word (8.4%, U.S.), together
# with any closing quotes or brackets right after it. (As a pattern:
# `(?:[。！？!?；;…]+|(?<![0-9A-Za-z])\.(?![0-9A-Za-z]))[”’」』）)\]"']*`, scanned left to
# right; `_sentence_ends` finds the same ends with array operations.)
_FINAL = "。！？!?；;…"
_CLOSING = "”’」』）)]\"'"
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_BMP = 0x10000


@cache
def _char_table() -> np.ndarray:
    """Flags for every BMP character: NFKC-stable, a word character (what `\\w` matches but
    `_`: `str.isalnum`), changed by case folding. Characters beyond the BMP are looked up
    one by one (they are rare in news: emoji, rare ideographs). The one table of the process:
    `_learn` adds stable and expanded bits to it as symbols are met, and C reads it as it is."""
    table = np.zeros(_BMP, dtype=np.uint8)
    for low, high in _STABLE_RANGES:
        table[low : high + 1] |= _STABLE
    for chars, bit in ((_FINAL, _FINAL_BIT), (_CLOSING, _CLOSING_BIT), (_ALNUM, _ALNUM_BIT)):
        table[[ord(c) for c in chars]] |= bit
    for low in range(0, _BMP, _TABLE_BLOCK):
        _word_and_cased(table, low)
    return table


_TABLE_BLOCK = 256


def _is_starter(char: str) -> bool:
    """Assigned, not a surrogate, and of combining class 0 (it never reorders)."""
    return unicodedata.category(char) not in ("Cn", "Cs") and unicodedata.combining(char) == 0


# What C writes in place of each EXPANDED character: its NFKC, which is stable text.
_EXPANSIONS: dict[int, str] = {}


def _learn(chars: Iterable[str]) -> None:
    """Mark the characters of `_SYMBOL_BLOCKS` met in unstable runs: stable if NFKC leaves
    them alone, EXPANDED if it turns them into stable text (… into ..., Ⅱ into II, ① into 1,
    an en space into a space). The runs they were in still get exact NFKC; later texts need
    none for them, and a batch without runs skips the join of its whole text that exact NFKC
    costs. Learnt as met, not at start-up: classifying the blocks costs ~10 ms."""
    table = _char_table()
    for char in chars:
        point = ord(char)
        if point >= _BMP or table[point] & (_STABLE | _EXPANDED) or not _is_symbol(point):
            continue
        if not _is_starter(char):
            continue
        normal = unicodedata.normalize("NFKC", char)
        if normal == char:
            table[point] |= _STABLE
            continue
        _learn(normal)  # its characters first (⁄ in ½'s 1⁄2)
        if normal and all(ord(c) < _BMP and table[ord(c)] & _STABLE for c in normal):
            _EXPANSIONS[point] = normal
            table[point] |= _EXPANDED


def _is_symbol(point: int) -> bool:
    return any(low <= point <= high for low, high in _SYMBOL_BLOCKS)


def _word_and_cased(table: np.ndarray, low: int) -> None:
    """The word and case bits of one block of `_TABLE_BLOCK` characters. A block whose
    characters are all word characters, or which case folding leaves as it is (both true of
    the CJK blocks), is settled by one call on the whole block: a table built character by
    character took ~25 ms of every start-up."""
    block = "".join(map(chr, range(low, low + _TABLE_BLOCK)))
    cells = table[low : low + _TABLE_BLOCK]
    if block.isalnum():
        cells |= _WORD
    else:
        cells[np.fromiter(map(str.isalnum, block), dtype=bool, count=len(block))] |= _WORD
    if block.casefold() != block:  # folding is per character and never empties one
        changed = map(operator.ne, map(str.casefold, block), block)
        cells[np.fromiter(changed, dtype=bool, count=len(block))] |= _CASED


def _flags(points: np.ndarray) -> np.ndarray:
    table = _char_table()
    flags: np.ndarray = table[np.minimum(points, _BMP - 1)]
    beyond = points >= _BMP
    if beyond.any():
        flags = flags.copy()
        distinct, which = np.unique(points[beyond], return_inverse=True)
        bits = [_astral_flags(chr(point)) for point in distinct.tolist()]
        flags[beyond] = np.asarray(bits, dtype=np.uint8)[which]
    return flags


def _astral_flags(char: str) -> int:
    return (_WORD if char.isalnum() else 0) | (_CASED if char.casefold() != char else 0)


def _points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def _text(points: np.ndarray) -> str:
    return points.tobytes().decode("utf-32-le")


def _folded(points: np.ndarray) -> np.ndarray | None:
    """The code points with full-width forms folded, or None if there are none."""
    wide = (points - _WIDE_FIRST) < _WIDE_COUNT
    space = points == _IDEOGRAPHIC_SPACE
    if not (wide.any() or space.any()):
        return None
    folded = points.copy()
    folded[wide] -= _WIDE_SHIFT
    folded[space] = 0x20
    return folded


def fold_width(text: str) -> str:
    """Full-width forms to ASCII: one str.replace per distinct wide character present (found
    with numpy, which is several times faster than a regex scan)."""
    points = _points(text)
    wide = points[((points - _WIDE_FIRST) < _WIDE_COUNT) | (points == _IDEOGRAPHIC_SPACE)]
    for point in distinct(wide).tolist():
        text = text.replace(chr(point), _WIDE_TO_NARROW[chr(point)])
    return text


def _nfkc_points(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """NFKC of `text`, its code points and their flags, computed the cheap way: width folding
    on the code points, then exact NFKC only on the runs of characters it can still change
    (a whole-text `unicodedata.normalize` is five times slower)."""
    points = _points(text)
    folded = _folded(points)
    if folded is not None:
        points = folded
    flags = _flags(points)
    unstable = np.flatnonzero((flags & _STABLE) == 0)
    if len(unstable) == 0:
        return (text if folded is None else _text(points)), points, flags
    text = _text(points) if folded is not None else text
    # Runs of unstable characters: [start, end) in code-point offsets.
    breaks = np.flatnonzero(np.diff(unstable) > 1)
    starts = unstable[np.concatenate(([0], breaks + 1))].tolist()
    ends = (unstable[np.append(breaks, len(unstable) - 1)] + 1).tolist()
    normal = _normalise_runs(text, starts, ends)
    points = _points(normal)
    return normal, points, _flags(points)


def _normalise_runs(text: str, starts: list[int], ends: list[int]) -> str:
    """`text` with exact NFKC applied to each run [start, end) of unstable characters, from
    one character before it (a stable base that a combining mark may compose with)."""
    if not starts:
        return text
    _learn({char for start, end in zip(starts, ends, strict=True) for char in text[start:end]})
    pieces, done = [], 0
    for start, end in zip(starts, ends, strict=True):
        start = max(start - 1, done)
        pieces += [text[done:start], unicodedata.normalize("NFKC", text[start:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _normal_and_keys(text: str) -> tuple[str, str]:
    """NFKC of `text` and its comparison keys (line breaks kept): in C when built."""
    if native is None:
        normal, points, flags = _nfkc_points(text)
        return normal, _keys(points, flags)
    normal = nfkc(text)
    return normal, _keys_of(normal)


def _keys_of(normal: str) -> str:
    """The comparison form of NFKC text, keeping its line breaks."""
    if native is None:
        return _keys(_points(normal))
    key, casefold = native.keys(normal, _char_table())
    return key.casefold() if casefold else key


def nfkc(text: str) -> str:
    """Exactly `unicodedata.normalize("NFKC", text)`, several times faster on CJK copy."""
    if native is None:
        return _nfkc_points(text)[0]
    folded, runs = native.fold(text, _char_table(), _EXPANSIONS)
    bounds = np.frombuffer(runs, dtype=np.int64)
    return _normalise_runs(folded, bounds[0::2].tolist(), bounds[1::2].tolist())


_UPPER_A, _UPPER_Z, _TO_LOWER = np.uint32(ord("A")), np.uint32(ord("Z")), np.uint32(32)


def _keys(points: np.ndarray, flags: np.ndarray | None = None) -> str:
    """The comparison form of NFKC text given as code points, keeping its line breaks."""
    flags = _flags(points) if flags is None else flags
    keep = ((flags & _WORD) != 0) | (points == 0x0A)
    kept, cased = points[keep], (flags[keep] & _CASED) != 0
    if not cased.any():
        return _text(kept)
    upper = (kept >= _UPPER_A) & (kept <= _UPPER_Z)
    if (upper == cased).all():  # only A-Z to fold: do it on the code points
        return _text(np.where(upper, kept + _TO_LOWER, kept))
    return _text(kept).casefold()


def line_keys(lines: Sequence[str]) -> list[str]:
    """`key_of_normal` of each of many NFKC texts (without line breaks), in one pass."""
    return _keys_of("\n".join(lines)).split("\n")


def comparison_key(text: str) -> str:
    """The form texts are compared in: NFKC (folds full/half width), case-folded, and with
    whitespace, zero-width characters, punctuation and symbols removed."""
    return key_of_normal(nfkc(text))


def key_of_normal(norm: str) -> str:
    """The comparison form of text that is already NFKC."""
    return _keys_of(norm).replace("\n", "")


def clean_line(line: str) -> str:
    """The line without surrounding whitespace or invisible characters, in any mix."""
    return line.strip(_EDGE_CHARS)


@dataclass(frozen=True)
class Decoded:
    """A file's text, where it came from and how it was decoded."""

    text: str
    path: str = "<text>"
    encoding: str = "utf-8"


NO_CHARACTER = 0x110000  # past the last code point


@dataclass(frozen=True)
class Joined:
    """Many texts joined by line breaks, with each one's length: how a batch pass takes tens
    of thousands of paragraphs at once, without a list of them to walk."""

    text: str
    lengths: np.ndarray  # int64, one per text

    @classmethod
    def of(cls, texts: Sequence[str]) -> Joined:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        return cls("\n".join(texts), lengths)

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each text starts in `text`."""
        starts: np.ndarray = np.cumsum(self.lengths + 1) - self.lengths - 1
        return starts


@dataclass(frozen=True)
class Columns:
    """Every paragraph of many documents laid end to end: their NFKC forms joined by line
    breaks, their comparison keys joined without, each one's length in both, and how many
    paragraphs each document has. What the passes that screen a whole batch read."""

    norms: str
    keys: str
    norm_lengths: np.ndarray
    key_lengths: np.ndarray
    counts: list[int]

    def points_at(self, offsets: np.ndarray) -> np.ndarray:
        """The code points of `norms` at the offsets; `NO_CHARACTER` where an offset is not
        inside it (the start of an empty last paragraph)."""
        offsets = np.ascontiguousarray(offsets, dtype=np.int64)
        if native is not None:
            return np.frombuffer(native.points_at(self.norms, offsets), dtype=np.uint32)
        inside = (offsets >= 0) & (offsets < len(self.norms))
        found: np.ndarray = self._padded_points[np.where(inside, offsets, len(self.norms))]
        return found

    @cached_property
    def _padded_points(self) -> np.ndarray:
        return np.append(_points(self.norms), np.uint32(NO_CHARACTER))

    @cached_property
    def joined_norms(self) -> Joined:
        return Joined(self.norms, self.norm_lengths)

    @property
    def starts(self) -> np.ndarray:
        """Where each paragraph's NFKC form starts in `norms`."""
        return self.joined_norms.starts


def columns_of(documents: Sequence[Sequence[Paragraph]]) -> Columns:
    """The columns of documents' paragraphs, gathered from the paragraphs."""
    paragraphs = [p for own in documents for p in own]
    norms, keys = [p.norm for p in paragraphs], [p.key for p in paragraphs]
    return Columns(
        "\n".join(norms),
        "".join(keys),
        np.fromiter(map(len, norms), dtype=np.int64, count=len(norms)),
        np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)),
        [len(own) for own in documents],
    )


class Batch(list[Document]):
    """Documents built together, with their `Columns` made as the paragraphs were cut (in C,
    when built) rather than gathered again by each detector from tens of thousands of
    paragraphs. A list: slicing or copying one gives a plain list of documents."""

    def __init__(self, documents: Sequence[Document], columns: Columns) -> None:
        super().__init__(documents)
        self.columns = columns


def paragraph_columns(docs: Sequence[Document]) -> Columns:
    """The columns of the documents' paragraphs: the batch's own if they are one."""
    if isinstance(docs, Batch):
        return docs.columns
    return columns_of([doc.paragraphs for doc in docs])


def build_documents(batch: Sequence[Decoded]) -> Batch:
    """Lines, and paragraphs with their NFKC and comparison forms, for many texts at once.

    The texts are laid end to end and normalised in a few C and numpy passes over all of
    them, not several per line or per file (and cut into lines and paragraphs in C, when
    built). NFKC never creates or removes a line break, so lines stay aligned; each text
    contributes `count("\\n") + 1` lines to the whole."""
    unified = [_unify_breaks(item.text) for item in batch]
    whole = "\n".join(unified)
    normal, all_keys = _normal_and_keys(whole)
    if native is not None:
        lengths = [len(text) for text in unified]
        built, norms, keys, norm_lengths, key_lengths = native.documents(
            whole, normal, all_keys, lengths, _EDGE_CHARS, Paragraph
        )
        documents = [
            Document(item.path, item.text, line_count, paragraphs, chars, item.encoding)
            for item, (line_count, paragraphs, chars) in zip(batch, built, strict=True)
        ]
        columns = Columns(
            norms,
            keys,
            np.frombuffer(norm_lengths, dtype=np.int64),
            np.frombuffer(key_lengths, dtype=np.int64),
            [len(doc.paragraphs) for doc in documents],
        )
        return Batch(documents, columns)
    raw_lines, normal_lines = whole.split("\n"), normal.split("\n")
    keys = all_keys.split("\n")
    documents, first = [], 0
    for item, text in zip(batch, unified, strict=True):
        last = first + text.count("\n") + 1
        lines = raw_lines[first:last]
        if lines[-1] == "":
            lines.pop()
        paragraphs: list[Paragraph] = []
        for number, line in enumerate(lines, start=1):
            cleaned = line.strip(_EDGE_CHARS)
            if cleaned:
                at = first + number - 1
                norm = normal_lines[at].strip(_EDGE_CHARS)
                paragraphs.append(Paragraph(len(paragraphs), number, cleaned, norm, keys[at]))
        chars = sum(len(p.text) for p in paragraphs)
        documents.append(
            Document(item.path, item.text, len(lines), tuple(paragraphs), chars, item.encoding)
        )
        first = last
    return Batch(documents, columns_of([doc.paragraphs for doc in documents]))


def build_document(text: str, path: str = "<text>", encoding: str = "utf-8") -> Document:
    return build_documents([Decoded(text, path, encoding)])[0]


def _sentence_ends(points: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Offsets just after each sentence end in NFKC text given as code points (and flags)."""
    size = len(points)
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    final = (flags & _FINAL_BIT) != 0
    dot = points == ord(".")
    if dot.any():
        alnum = (flags & _ALNUM_BIT) != 0
        before = np.concatenate(([False], alnum[:-1]))
        after = np.concatenate((alnum[1:], [False]))
        dot &= ~before & ~after
    # The last character of each punctuation token: a run of final punctuation, or one dot.
    final_next = np.concatenate((final[1:], [False]))
    last = np.flatnonzero((final & ~final_next) | dot)
    if len(last) == 0:
        return last
    # Then past any closing quotes or brackets: to the next character that is not one.
    not_closing = np.flatnonzero((flags & _CLOSING_BIT) == 0)
    after_closers = np.searchsorted(not_closing, last + 1)
    ends: np.ndarray = np.append(not_closing, size)[after_closers]
    return ends


class Slices(Sequence[str]):
    """Pieces [starts[i], ends[i]) of one text, cut when asked for: a batch has a hundred
    thousand sentence keys, of which the detectors read a few."""

    __slots__ = ("_ends", "_starts", "_text")

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
        self._text, self._starts, self._ends = text, starts, ends

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, at: int) -> str: ...
    @overload
    def __getitem__(self, at: slice) -> list[str]: ...
    def __getitem__(self, at: int | slice) -> str | list[str]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        return self._text[self._starts[at] : self._ends[at]]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def __repr__(self) -> str:
        return f"Slices({list(self)!r})"


@dataclass(frozen=True)
class Sentences:
    """The sentences of a document's paragraphs (of their NFKC forms), as parallel
    sequences: one object per document, not one per sentence. Their texts and keys are cut
    from `source` and the keys laid end to end only when asked for (detectors need few), and
    the numbers are memoryviews of the batch's arrays, turned into ints only when read."""

    keys: Sequence[str]  # comparison forms, never empty (sentences without one are left out)
    paragraphs: Sequence[int]  # the index of the paragraph each sentence is in
    source: str
    starts: Sequence[int]
    ends: Sequence[int]

    def text(self, number: int) -> str:
        return self.source[self.starts[number] : self.ends[number]]

    @property
    def texts(self) -> list[str]:
        return [self.text(number) for number in range(len(self.keys))]


class _Spans(NamedTuple):
    """Sentences of paragraphs joined by line breaks, as arrays: each one's [start, end), the
    count of word characters before its start and end, and its line; and the total count."""

    starts: np.ndarray
    ends: np.ndarray
    word_starts: np.ndarray
    word_ends: np.ndarray
    lines: np.ndarray
    words: int


def _sentence_spans(joined: str) -> _Spans:
    """Cut at every sentence end and around every line break (which belongs to no sentence);
    keep the pieces with a word character. In C when built."""
    if native is not None:
        *arrays, words = native.sentences(joined, _char_table())
        starts, ends, word_starts, word_ends, lines = (
            np.frombuffer(a, dtype=np.int64) for a in arrays
        )
        return _Spans(starts, ends, word_starts, word_ends, lines, words)
    points = _points(joined)
    flags = _flags(points)
    breaks = np.flatnonzero(points == 0x0A)
    ends = _sentence_ends(points, flags)
    cuts = distinct(np.concatenate((ends, breaks, breaks + 1, [len(points)])))
    starts = np.concatenate(([0], cuts[:-1]))
    counts = np.concatenate(([0], np.cumsum((flags & _WORD) != 0)))
    keyed = counts[cuts] > counts[starts]  # empty and line-break pieces have no key
    starts, cuts = starts[keyed], cuts[keyed]
    lines = np.searchsorted(breaks, starts, side="right")
    return _Spans(starts, cuts, counts[starts], counts[cuts], lines, int(counts[-1]))


@dataclass(frozen=True)
class SentenceBatch:
    """The sentences of many documents' paragraphs: each document's, and for the whole batch
    their comparison keys laid end to end, with each one's length and the paragraph it is in
    (counted over all documents), as arrays for the passes that screen the whole batch."""

    documents: list[Sentences]
    joined_keys: str
    key_lengths: np.ndarray
    paragraph_of: np.ndarray


def int_view(values: np.ndarray) -> Sequence[int]:
    """An int64 array as a memoryview: slicing one costs less than a numpy view, and reading
    an element gives an int at the cost of reading a list."""
    view: Sequence[int] = np.ascontiguousarray(values, dtype=np.int64).data
    return view


def sentences_of_batch(columns: Columns) -> SentenceBatch:
    """Every paragraph's sentences, for many documents' paragraphs (as columns) in one pass."""
    joined = columns.norms
    spans = _sentence_spans(joined)
    # A sentence's comparison form is a slice of its paragraph's: the keys laid end to end,
    # at the count of word characters before its start and end.
    all_keys = columns.keys
    begin, end = spans.starts, spans.ends
    if len(all_keys) == spans.words:  # case folding lengthened nothing (it never shortens)
        # Sentences cover every word character, so their keys laid end to end are all_keys.
        joined_keys, key_lengths = all_keys, spans.word_ends - spans.word_starts
        low, high = spans.word_starts, spans.word_ends
    else:
        keys = line_keys([joined[a:b] for a, b in zip(begin.tolist(), end.tolist(), strict=True)])
        joined_keys = "".join(keys)
        key_lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        high = np.cumsum(key_lengths)
        low = high - key_lengths
    # The paragraph (counted over all documents) each sentence is in, and where each
    # document's paragraphs and sentences begin.
    owners = spans.lines
    sizes = np.asarray(columns.counts, dtype=np.int64)
    first_paragraph = np.cumsum(sizes) - sizes
    paragraphs = len(columns.key_lengths)
    bounds = np.searchsorted(owners, np.append(first_paragraph, paragraphs)).tolist()
    local = owners - np.repeat(first_paragraph, np.diff(bounds))
    sentence_begin, sentence_end, key_begin, key_end, paragraph = map(
        int_view, (begin, end, low, high, local)
    )
    found = [
        Sentences(
            Slices(joined_keys, key_begin[a:b], key_end[a:b]),
            paragraph[a:b],
            joined,
            sentence_begin[a:b],
            sentence_end[a:b],
        )
        for a, b in pairwise(bounds)
    ]
    return SentenceBatch(found, joined_keys, key_lengths, owners)


def split_sentences_of(documents: Sequence[Sequence[Paragraph]]) -> list[Sentences]:
    """Every paragraph's sentences, for many documents' paragraphs in one pass."""
    return sentences_of_batch(columns_of(documents)).documents


def split_sentences(paragraphs: Sequence[Paragraph]) -> Sentences:
    """The sentences of one document's paragraphs."""
    return split_sentences_of([paragraphs])[0]
