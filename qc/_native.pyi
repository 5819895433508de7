# Types of the C passes in qc/_native.c; see qc/native.py.
from typing import Any

def fold(text: str, table: bytes) -> tuple[str, bytearray]: ...
def keys(text: str, table: bytes) -> tuple[str, bool]: ...
def sentences(
    text: str, table: bytes
) -> tuple[bytearray, bytearray, bytearray, bytearray, bytearray, int]: ...
def news_counts(
    texts: list[str], ranks: Any, width: int, known_bits: Any
) -> tuple[bytearray, bytearray]: ...
def shared_windows(
    text: str, lengths: Any, ngram: int, scopes: Any, units: list[Any], sizes: list[int]
) -> list[bytearray]: ...
def containing(
    texts: list[str], sets: list[tuple[list[str], list[tuple[int, int]]]]
) -> bytearray: ...
def documents(
    raw: str, normal: str, keys: str, line_counts: list[int], edge: str, paragraph_type: type
) -> list[tuple[tuple[str, ...], tuple[Any, ...]]]: ...
def signatures(texts: list[str], ngram: int, a: bytes, b: bytes) -> bytearray: ...
def vectors(
    texts: list[str],
    sizes: list[int],
    ranks: Any,
    cells: Any,
    width: int,
    idf: Any,
    unknown_idf: float,
) -> list[tuple[bytearray, bytearray, bytearray, int]]: ...
