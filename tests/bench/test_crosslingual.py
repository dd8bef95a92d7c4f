"""bench/crosslingual.py: ``--parts`` runs the tuning parts only, never a held-out one."""

from __future__ import annotations

from bench.crosslingual import OWN_STREAMS
from bench.monolingual import HELD_OUT


def test_parts_run_no_held_out_part() -> None:
    assert [name for name, _ in OWN_STREAMS] == [
        "dev", "fresh", "held3", "held4", "held5", "held9", "held10", "held11", "held12",
        "held13", "held14", "held15", "held16", "held17", "held18", "held19", "held20",
        "held21", "held22", "held23", "held24", "held25", "held26",
    ]  # fmt: skip
    assert not [path for _, path in OWN_STREAMS if path.parent.name in HELD_OUT]
    held_out = {
        "check", "held6", "held7", "held8", "held27", "held28", "held29", "held30", "held31",
        "held32",
    }  # fmt: skip
    assert held_out <= set(HELD_OUT)
