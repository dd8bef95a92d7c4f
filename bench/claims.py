"""Attributed claims (service/claims.py) on real feed texts, for checking by eye.

    .venv/bin/python bench/claims.py [--feeds ../shared/feeds/real] [--sample 100] [--seed 7]

Every feed document in the folder is parsed and normalized as the service does; each
item's headline and the first ``LEAD_CHARS`` characters of its text (what a story's
summary holds) go through ``claims_in``. Prints how many items and claims there are, then
a random sample of claims, each with the sentence it came from, to be labelled by eye:
is the claimant the one who makes the claim? (docs/api.md, "Who says what", has the
result.)
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from service.claims import claims_in, sentences
from service.models import FeedConfig
from workers.normalize import normalize_document
from workers.parse import parse_feed

LEAD_CHARS = 400  # ClusterConfig.summary_chars: the story summary's length
FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "real"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=Path, default=FEEDS)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    items, found = 0, []
    languages: Counter[str] = Counter()
    for path in sorted(args.feeds.iterdir()):
        url = f"https://feeds.example/{path.name}"
        feed = parse_feed(path.read_bytes(), url)
        now = datetime(2026, 2, 18, tzinfo=UTC)
        for article in normalize_document(feed, FeedConfig(url=url), now=now, text_max_chars=4000):
            items += 1
            languages[article.language] += 1
            for claim in claims_in(article.title, article.language, headline=True):
                found.append(("headline", claim, article.title))
            for sentence in sentences(article.text[:LEAD_CHARS]):
                for claim in claims_in(sentence, article.language):
                    found.append(("lead", claim, sentence))
    print(f"{items} items ({dict(languages.most_common(6))}), {len(found)} claims")
    for n, (where, claim, source) in enumerate(
        random.Random(args.seed).sample(found, min(args.sample, len(found))), 1
    ):
        print(f"{n:3} {where:8} [{claim.claimant}] {claim.text}\n             from: {source}")


if __name__ == "__main__":
    main()
