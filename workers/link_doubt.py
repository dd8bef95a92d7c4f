"""General doubts about a link check's candidate of two timed stories (pure).

The check's bands (workers/link_evidence.py ``linked``) accept a candidate on its cosine,
its hours and a shared place, count or name. Two timed stories of one affair's
neighbouring steps (an attack, then the blackout it caused; a call, then the next call of
one leader) score as high as versions and begin within hours of each other. The rules here
ask more of a timed candidate short of ``sure_cosine`` without reading any words:

``timed_margin``
    its cosine beats every other compared candidate's by this much, or the texts share a
    place, a count or a name (``LinkEvidence.shared``): a version stands out of the
    check's candidates, one of several steps of an affair does not (with
    ``margin_shared`` False, whatever the texts share). A check with one compared
    candidate has nothing to beat.
``sole_cosine``
    the check's only compared candidate needs this cosine: nothing it stands out of.
``young_reports`` / ``young_cosine``
    when both stories hold at most ``young_reports`` reports (neither has gathered the
    reports that would tell its development), a cosine of ``young_cosine`` or (with
    ``young_shared``) a shared place, count or name.
``timed_same_cosine``
    a cosine of ``timed_same_cosine``, or a shared place, count or name.
``timed_hours_cost``
    every hour between the two stories' beginnings lowers the cosine the bands read by
    this much: versions are filed within the hour, an affair's next step hours later.

Each is off (None) by default: none passed the leave-one-timed-part-out test
(docs/design.md, "General doubts over the evidence").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workers.link_evidence import LinkEvidence, linked

if TYPE_CHECKING:
    from workers.story_linking import LinkConfig


def doubted(
    evidence: Sequence[LinkEvidence | None], sizes: Sequence[int], own_size: int,
    config: LinkConfig,
) -> list[bool]:  # fmt: skip
    """Per candidate of a check (its evidence, None: nothing compared; ``sizes`` its
    story's reports; ``own_size`` the check's story's), whether a rule of this module
    refuses it."""
    return [
        e is not None and _doubt(e, at, evidence, size, own_size, config)
        for at, (e, size) in enumerate(zip(evidence, sizes, strict=True))
    ]


def _doubt(
    e: LinkEvidence, at: int, evidence: Sequence[LinkEvidence | None], size: int,
    own_size: int, config: LinkConfig,
) -> bool:  # fmt: skip
    sure = config.sure_cosine
    if not e.timed or (sure is not None and e.cosine >= sure):
        return False
    margin = config.timed_margin
    rivals = [r.cosine for k, r in enumerate(evidence) if r is not None and k != at]
    exempt = config.margin_shared and e.shared
    if margin is not None and not exempt and rivals and e.cosine - max(rivals) < margin:
        return True
    sole = config.sole_cosine
    if sole is not None and not rivals and e.cosine < sole:
        return True
    young = config.young_reports
    spared = config.young_shared and e.shared
    if (young is not None and size <= young and own_size <= young
            and e.cosine < config.young_cosine and not spared):  # fmt: skip
        return True
    same = config.timed_same_cosine
    if same is not None and e.cosine < same and not e.shared:
        return True
    cost = config.timed_hours_cost
    if cost is not None:
        return not linked(dataclasses.replace(e, cosine=e.cosine - cost * e.hours), config)
    return False
