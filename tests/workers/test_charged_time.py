"""workers/charged_time.py: a call is charged its wall time less its waits for a CPU,
counted or still going on; where the waits cannot be read, its wall time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workers import charged_time
from workers.charged_time import MIN_CHECK, CallTime, Reading

SLEEPING = Reading(0.0, 1.0, (100, 5), runnable=False)


def clocks(*readings: Reading) -> CallTime:
    time = CallTime.starting(readings[0])
    for reading in readings[1:]:
        time = time.at(reading)
    return time


@pytest.mark.parametrize(
    ("name", "readings", "charged", "past_one_second"),
    [
        (
            "asleep: the wall time",
            [SLEEPING, Reading(2.0, 1.0, (100, 5), runnable=False)],
            2.0,
            True,
        ),
        (
            "counted waits are not charged",
            [SLEEPING, Reading(2.0, 2.5, (200, 9), runnable=False)],
            0.5,
            False,
        ),
        (
            "runnable and not run since the last reading: waiting since, uncounted (and "
            "unsure before)",
            [
                SLEEPING,
                Reading(1.0, 1.0, (200, 6), runnable=True),
                Reading(2.0, 1.0, (200, 6), runnable=True),
                Reading(3.0, 1.0, (200, 6), runnable=True),
            ],
            1.0,
            False,
        ),
        (
            "the wait counted once it ends is not taken off twice",
            [
                SLEEPING,
                Reading(1.0, 1.0, (200, 6), runnable=True),
                Reading(2.0, 1.0, (200, 6), runnable=True),
                Reading(3.0, 3.0, (300, 7), runnable=False),
            ],
            1.0,
            True,
        ),
        (
            "runnable and ran since the last reading: that stretch is unsure",
            [SLEEPING, Reading(1.2, 1.0, (900, 6), runnable=True)],
            1.2,
            False,
        ),
        (
            "a short unsure stretch past the deadline: past it",
            [
                SLEEPING,
                Reading(1.2, 1.0, (900, 6), runnable=True),
                Reading(1.25, 1.0, (950, 6), runnable=True),
            ],
            1.25,
            True,
        ),
        (
            "no waits to read: the wall time",
            [Reading(0.0, None), Reading(1.5, None)],
            1.5,
            True,
        ),
        (
            "the waits unreadable at a later reading (the process ended): the time since "
            "they were last read charged whole",
            [SLEEPING, Reading(1.0, 1.8, (100, 6)), Reading(1.5, None)],
            0.7,
            False,
        ),
    ],
)
def test_what_a_call_is_charged(
    name: str, readings: list[Reading], charged: float, past_one_second: bool
) -> None:
    time = clocks(*readings)
    assert time.charged == pytest.approx(charged), name
    assert time.past(1.0) is past_one_second, name


@pytest.mark.parametrize(
    ("name", "readings", "wait"),
    [
        ("at the start: the deadline", [SLEEPING], 1.0),
        ("what is left of the deadline", [SLEEPING, Reading(0.4, 1.0, (100, 5))], 0.6),
        (
            "waited: the deadline's rest, however long by the clock",
            [SLEEPING, Reading(9.0, 10.0, (100, 6))],
            1.0,
        ),
        ("what is left of the wall cap", [SLEEPING, Reading(9.8, 10.6, (100, 6))], 0.2),
        ("the wall cap reached", [SLEEPING, Reading(10.0, 10.9, (100, 6))], 0.0),
        ("the deadline reached", [SLEEPING, Reading(1.0, 1.0, (100, 5))], 0.0),
        (
            "charged the deadline, unsure of the last stretch: soon again",
            [SLEEPING, Reading(1.2, 1.0, (900, 6), runnable=True)],
            MIN_CHECK,
        ),
        (
            "near the deadline: not sooner than MIN_CHECK",
            [SLEEPING, Reading(0.99, 1.0, (100, 5))],
            MIN_CHECK,
        ),
    ],
)
def test_when_a_call_is_read_again(name: str, readings: list[Reading], wait: float) -> None:
    assert clocks(*readings).next_check(1.0, 10.0) == pytest.approx(wait), name


def test_a_running_process_is_read() -> None:
    reading = charged_time.read(os.getpid(), 5.0)
    if not Path(f"/proc/{os.getpid()}/schedstat").exists():
        pytest.skip("no /proc/<pid>/schedstat on this kernel")
    assert reading.wall == 5.0 and reading.run_delay is not None and reading.run_delay >= 0
    assert reading.runnable  # this process, reading
    assert reading.ran is not None


def test_a_sleeping_process_is_charged_its_sleep() -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.5)  # past its start
        first = charged_time.read(sleeper.pid, time.monotonic())
        time.sleep(0.3)
        later = CallTime.starting(first).at(charged_time.read(sleeper.pid, time.monotonic()))
    finally:
        sleeper.kill()
        sleeper.wait()
    assert not later.last.runnable
    assert later.charged == pytest.approx(later.wall)
    assert later.past(0.3 * 0.9)


def test_without_proc_the_waits_are_unknown_and_the_wall_time_is_charged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(charged_time, "PROC", tmp_path / "no-proc")
    reading = charged_time.read(os.getpid(), 1.0)
    assert reading == Reading(1.0, None)
    assert CallTime.starting(reading).at(Reading(3.0, None)).charged == 2.0


def test_a_process_gone_has_no_waits_to_read() -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert charged_time.read(int(ended.stdout), 1.0).run_delay is None
