"""The array helpers equal what numpy's own (np.unique, np.isin) would give."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qc.arrays import distinct, first_occurrence, points_in, true_positions_by_part

VALUES = st.lists(st.integers(0, 40), max_size=300).map(lambda v: np.array(v, dtype=np.int64))


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_distinct_is_np_unique(values: np.ndarray):
    assert np.array_equal(distinct(values), np.unique(values))


@settings(max_examples=200, deadline=None)
@given(VALUES)
def test_first_occurrence_points_at_the_earliest_equal_value(values: np.ndarray):
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    assert np.array_equal(first_occurrence(values), first[inverse])
    for position, earliest in enumerate(first_occurrence(values).tolist()):
        assert values[earliest] == values[position]
        assert values[position] not in values[:earliest]


def test_uint64_keys_and_empty_input():
    keys = np.array([2**63 + 5, 7, 2**63 + 5, 7, 1], dtype=np.uint64)
    assert first_occurrence(keys).tolist() == [0, 1, 0, 1, 4]
    assert distinct(keys).tolist() == [1, 7, 2**63 + 5]
    assert first_occurrence(np.zeros(0, dtype=np.uint64)).tolist() == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.integers(0, 0x20), st.integers(0, 0x110000)), max_size=200),
    st.text(max_size=12),
)
def test_points_in_is_np_isin(points: list[int], chars: str):
    values = np.array(points, dtype=np.uint32)  # 0x110000: past the last code point
    wanted = np.array([ord(c) for c in chars], dtype=np.uint32)
    assert np.array_equal(points_in(values, chars), np.isin(values, wanted))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.booleans(), max_size=12), max_size=20))
def test_true_positions_by_part_counts_from_each_parts_start(parts: list[list[bool]]):
    flat = np.array([flag for part in parts for flag in part], dtype=bool)
    expected = [[i for i, flag in enumerate(part) if flag] for part in parts]
    assert true_positions_by_part(flat, [len(part) for part in parts]) == expected
