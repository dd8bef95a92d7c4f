"""Hard gates on a verified join, counted on the editor-judged pairs of the real stream.

    .venv/bin/python bench/join_gates.py [--stream FILE --pairs FILE]

Each judged pair is read as the clusterer reads it (bench/fit_verifier.py ``replay``: the
later article against the earlier one, with the IDF of the later one's time). Of the
pairs the verifier puts at or above the join probability, each gate counts those it
would refuse, split by the editors' label: a gate that refuses only "same" pairs costs
recall and buys no precision (docs/design.md, "The same-language joins behind those
pairs").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fit_verifier import PAIRS, STREAM, read_pairs, replay  # noqa: E402
from workers.cluster import ClusterConfig  # noqa: E402
from workers.cluster_eval import read_docs  # noqa: E402
from workers.story_evidence import PairEvidence, compare  # noqa: E402
from workers.story_features import DocFreqs, FeatureReader, Report  # noqa: E402
from workers.story_kinds import OutletMemory  # noqa: E402

Gate = Callable[[PairEvidence, Report, Report], bool]


def _numbers_apart(a: Report, b: Report) -> bool:
    return bool(a.numbers) and bool(b.numbers) and not a.numbers & b.numbers


GATES: dict[str, Gate] = {
    "event cover < 0.2, no number in common": (
        lambda e, a, b: e.event_cover < 0.2 and not e.shared_numbers
    ),
    "event cover < 0.3, no number in common, not every name in common": (
        lambda e, a, b: e.event_cover < 0.3 and not e.shared_numbers and e.names_overlap < 1.0
    ),
    "both carry numbers, none in common": lambda e, a, b: _numbers_apart(a, b),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stream", type=Path, default=STREAM)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args(argv)
    config = ClusterConfig()
    docs = sorted(read_docs(args.stream), key=lambda d: d.published)
    reader = FeatureReader(config, DocFreqs(config.idf_window_days), OutletMemory())
    judged = verified = verified_same = 0
    refused = {name: [0, 0] for name in GATES}
    for _, report, idf, done in replay(docs, read_pairs(args.pairs), reader):
        for pair, earlier in done:
            judged += 1
            evidence = compare(report, earlier, idf)
            if config.verifier.probability(evidence) < config.join_probability:
                continue
            same = pair["label"] == "same"
            verified += 1
            verified_same += same
            for name, gate in GATES.items():
                if gate(evidence, report, earlier):
                    refused[name][0 if same else 1] += 1
    print(f"{judged} judged pairs; {verified} verified at {config.join_probability} or above, "
          f"{verified_same} of them judged the same development\n")  # fmt: skip
    print("| gate | refused, judged same | refused, judged different |\n|---|---|---|")
    for name, (same_refused, other_refused) in refused.items():
        print(f"| {name} | {same_refused} | {other_refused} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
