"""``held9/stream.jsonl``, the ninth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held9/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). The build stops on a title or URL that the main
set or an earlier part (check, dev, fresh, held3-held8) already has, on a development in one
language, and on two versions of one development from one outlet. Held out (README.md,
"Held-out part 9"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3, held4, held5, held6, held7 and held8 parts.
OTHER_PARTS = held_part.files_through("held8")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["devdiscourse-3697287", "ria-2054937646"],
     "event"),  # drones on Novorossiysk's port and the Sheskharis oil depot, a state of emergency, night of 14 Nov 2025
    (["oulla-cy-putin-residence-lies", "inforos-189242"],
     "event"),  # Lavrov claims 91 Ukrainian drones attacked Putin's Novgorod residence, 29 Dec 2025
    (["komersant-ua-en-budanov-offer", "report-az-ru-budanov-offer"],
     "event"),  # Zelensky offers Budanov the head of the President's Office, afternoon of 2 Jan 2026
    (["racurs-211238", "lenta-2026-01-02-ukkr"],
     "event"),  # Zelensky's decree appoints Budanov head of the President's Office, evening of 2 Jan 2026
    (["regionews-1767370706", "charter97-668656"],
     "event"),  # Zelensky announces the border guard chief Deineko will be replaced, 2 Jan 2026
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("inforos-189430", "event"),  # Medvedev on Budanov's offer, 2 Jan 2026 (a reaction, hours after the offer and before the decree)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held8", DEVELOPMENTS, DISTRACTORS, "hd9")

if __name__ == "__main__":
    raise SystemExit(main())
