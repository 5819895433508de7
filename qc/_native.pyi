# Types of the C passes in qc/_native.c; see qc/native.py.
from typing import Any

def fold(text: str, table: Any, expansions: dict[int, str]) -> tuple[str, bytearray]: ...
def keys(text: str, table: Any) -> tuple[str, bool]: ...
def sentences(
    text: str, table: Any
) -> tuple[bytearray, bytearray, bytearray, bytearray, bytearray, int]: ...
def news_counts(
    text: str, lengths: Any, ranks: Any, width: int, known_bits: Any
) -> tuple[bytearray, bytearray]: ...
def shared_windows(
    text: str,
    lengths: Any,
    ngram: int,
    scopes: Any,
    units: list[Any],
    sizes: list[int],
    classes: list[tuple[Any, Any] | None] | None = None,
) -> list[bytearray]: ...
def opening_windows(
    text: str,
    starts: Any,
    lengths: Any,
    earlier: Any,
    later: Any,
    ngram: int,
    anywhere: bool = False,
    at_least: Any = None,
) -> bytearray: ...
def containing(
    text: str, lengths: Any, sets: list[tuple[list[str], list[tuple[int, int]]]]
) -> bytearray: ...
def documents(
    raw: str, normal: str, keys: str, lengths: list[int], edge: str, paragraph_type: type
) -> tuple[list[tuple[int, tuple[Any, ...], int]], str, str, bytearray, bytearray]: ...
def signatures(texts: list[str], ngram: int, a: bytes, b: bytes) -> bytearray: ...
def span_signatures(
    text: str, starts: Any, lengths: Any, ngram: int, a: bytes, b: bytes
) -> bytearray: ...
def first_identical(text: str, starts: Any, lengths: Any, keys: Any) -> bytearray: ...
def vectors(
    texts: list[str],
    sizes: list[int],
    vocabulary: tuple[Any, int, Any, Any, Any, Any],
) -> list[tuple[bytearray, bytearray, bytearray, int]]: ...
def topic(
    rows: Any, columns: Any, weights: Any, paragraphs: int, vocabulary: int, outside: Any
) -> tuple[bytearray, bytearray, float]: ...
def block_cosine(
    rows: Any, columns: Any, weights: Any, first: int, last: int, document: Any, document2: float
) -> float: ...
def rest_cosine_floors(
    texts: list[str],
    sizes: list[int],
    spans: Any,
    span_counts: list[int],
    vocabulary: tuple[Any, int, Any, Any, Any, Any],
) -> bytearray: ...
def band_firsts(
    signatures: Any, perms: int, bands: int, rows: int, weights: Any, groups: Any
) -> bytearray: ...
def wide(text: str) -> bool: ...
def control_bytes(data: bytes, limit: int) -> tuple[int, int]: ...
def points_at(text: str, offsets: Any) -> bytearray: ...
