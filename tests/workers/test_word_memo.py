"""workers.word_memo: a bounded memo of a pure function of one word."""

from __future__ import annotations

from workers.word_memo import WordMemo


def test_each_word_is_read_once_while_held() -> None:
    calls: list[str] = []

    def read(word: str) -> str:
        calls.append(word)
        return word.upper()

    memo = WordMemo(read, 10)
    assert list(map(memo.__getitem__, ["kyiv", "odesa", "kyiv"])) == ["KYIV", "ODESA", "KYIV"]
    assert memo["odesa"] == "ODESA"
    assert calls == ["kyiv", "odesa"]


def test_past_its_size_the_older_half_is_dropped_and_read_again() -> None:
    calls: list[str] = []

    def read(word: str) -> int:
        calls.append(word)
        return len(word)

    memo = WordMemo(read, 4)
    words = ["a", "bb", "ccc", "dddd", "eeeee"]
    assert [memo[w] for w in words] == [1, 2, 3, 4, 5]
    assert list(memo) == ["ccc", "dddd", "eeeee"]  # "a" and "bb" dropped for "eeeee"
    assert len(memo) <= 4
    assert memo["a"] == 1  # read again, the same value
    assert calls == [*words, "a"]
