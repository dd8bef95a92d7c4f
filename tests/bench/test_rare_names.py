"""bench/rare_names.py: the settings it sweeps."""

from __future__ import annotations

from bench.rare_names import STREAMS, settings


def test_the_sweep_runs_names_off_and_each_share_at_each_floor() -> None:
    runs = settings(["off", "0.01", "0.1"], [0, 20])
    assert [name for name, _ in runs] == [
        "off (default)", "share 0.01, window 0", "share 0.01, window 20",
        "share 0.1, window 0", "share 0.1, window 20",
    ]  # fmt: skip
    links = [config.link for _, config in runs]
    assert links[0] is not None and links[0].rare_name_share is None
    assert links[2] is not None and (links[2].rare_name_share, links[2].rare_name_window) == (
        0.01, 20)  # fmt: skip


def test_the_sweep_reads_no_held_out_part() -> None:
    parts = {path.parent.name for _, path in STREAMS}
    assert parts == {"crosslingual", "dev", "fresh"}
