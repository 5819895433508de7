"""Bytes to text, text to lines and paragraphs, and the comparison form detectors match on.

Decoding never guesses silently: it returns the encoding it used, and raises `InputError` with
a message an editor understands for binary, empty or undecodable input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from qc.model import Document, Paragraph


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


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


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


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Characters that are invisible on screen: a line of only these is blank.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_NON_WORD = re.compile(r"[\W_]+")


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: \\n, \\r\\n and lone \\r all end a line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# Full-width ASCII forms and the ideographic space: what NFKC changes most in Chinese copy.
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_WIDE_TO_NARROW = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
# Runs of characters NFKC may still change after that: anything outside ASCII, the CJK
# ideographs and the CJK punctuation NFKC leaves alone. The character before a run is taken
# along so that combining marks compose with their base.
_STABLE = "\x00-\x7f\u4e00-\u9fff\u3001-\u3002\u2014\u2018\u2019\u201c\u201d\u3008-\u3011\u00b7"
_MAY_CHANGE = re.compile(f"(?s:.)?[^{_STABLE}]+")


def fold_width(text: str) -> str:
    """Full-width forms to ASCII: one str.replace per distinct wide character present."""
    for wide in set(_WIDE.findall(text)):
        text = text.replace(wide, _WIDE_TO_NARROW[wide])
    return text


def nfkc(text: str) -> str:
    """NFKC, computed the cheap way: width folding by replacement, then exact NFKC only on
    the runs of characters it can still change (the whole-text call is five times slower)."""
    text = fold_width(text)
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return _MAY_CHANGE.sub(lambda run: unicodedata.normalize("NFKC", run.group()), text)


def comparison_key(text: str) -> str:
    """The form texts are compared in: NFKC (folds full/half width), case-folded, and with
    whitespace, zero-width characters, punctuation and symbols removed."""
    return key_of_normal(nfkc(text))


def key_of_normal(norm: str) -> str:
    """The comparison form of text that is already NFKC."""
    return _NON_WORD.sub("", norm).casefold()


_EDGES = re.compile(f"^[\\s{_INVISIBLE}]+|[\\s{_INVISIBLE}]+$")


def clean_line(line: str) -> str:
    """The line without surrounding whitespace or invisible characters, in any mix."""
    return _EDGES.sub("", line)


def build_document(text: str, path: str = "<text>", encoding: str = "utf-8") -> Document:
    lines = split_lines(text)
    # Normalise the whole text at once (a few C-level passes instead of several per line).
    # NFKC never creates or removes a line break, so the lines stay aligned.
    normal_lines = split_lines(nfkc(text))
    if len(normal_lines) != len(lines):  # pragma: no cover - defensive
        normal_lines = [nfkc(line) for line in lines]
    paragraphs: list[Paragraph] = []
    for number, (line, normal) in enumerate(zip(lines, normal_lines, strict=True), start=1):
        cleaned = clean_line(line)
        if cleaned:
            norm = clean_line(normal)
            key = key_of_normal(norm)
            paragraphs.append(Paragraph(len(paragraphs), number, cleaned, norm, key))
    return Document(path, text, tuple(lines), tuple(paragraphs), encoding)


# A sentence ends at final punctuation plus any closing quotes or brackets after it. A half-width
# full stop ends one too (NFKC turns the full-width one into it) unless it sits in a number or
# a Latin word (8.4%, U.S.).
_SENTENCE_END = re.compile(
    r"(?:[。！？!?；;…]+|(?<![0-9A-Za-z])\.(?![0-9A-Za-z]))[”’」』）)\]\"']*"
)


@dataclass(frozen=True)
class Sentence:
    paragraph: int
    text: str
    key: str


def sentences(paragraph: Paragraph) -> list[Sentence]:
    """The sentences of a paragraph (of its NFKC form) with their comparison form."""
    out: list[Sentence] = []
    start = 0
    text = paragraph.norm
    for end in _SENTENCE_END.finditer(text):
        _append_sentence(out, paragraph.index, text[start : end.end()])
        start = end.end()
    _append_sentence(out, paragraph.index, text[start:])
    return out


def _append_sentence(out: list[Sentence], paragraph: int, text: str) -> None:
    key = key_of_normal(text)
    if key:
        out.append(Sentence(paragraph, text, key))
