"""workers.link_names: counts two reports in different languages can share."""

from __future__ import annotations

import pytest

from workers.link_names import counts, share_a_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian strike on Kharkiv kills 12, injures 117", {12, 117}),
        ("Удар по Харкову: 12 загиблих", {12}),
        ("Росія атакувала 43 дронами", {43}),
        ("On March 20, 7 killed", {7}),  # the day beside its month is a date
        ("15 ноября ракеты упали на территории Польши", set()),
        ("20 березня загинули 5 людей", {5}),
        ("Strike in 2023 kills 2", set()),  # a year, and a count of one or two
        ("No digits here", set()),
    ],
)
def test_counts_are_specific_numbers_in_digits(text: str, expected: set[int]) -> None:
    assert counts(text) == expected


def test_a_count_is_shared_by_its_digits() -> None:
    assert share_a_count("Удар по Дніпру: 12 загиблих", ["Strike on Dnipro kills 12"])
    assert not share_a_count("Удар по Дніпру: 12 загиблих", ["Strike on Dnipro kills 14"])
    assert not share_a_count("Удар 5 березня", ["Strike on March 5"])  # dates, not counts
    assert not share_a_count("Удар по Дніпру", [])
