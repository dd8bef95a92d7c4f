"""``held24/stream.jsonl``, the twenty-fourth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held24/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, or for one row the
creation stamp in its address and for one row the printed time of its other-language twin,
quoted in ``provenance.time_from``), grouped by reading into the developments and distractors
below with the editor rule of ../README.md ("Dev part"). All of it is the war in Ukraine, one
cluster of eleven days, 19-29 November 2025: Russian drone attacks on Ukrainian cities by night
and their tolls. It is SMALL (3 developments): timed pages in a second language from a second
outlet were rare.
Its developments are two attacks of one day on two cities (Dnipro in the night of 22-23
November, Kharkiv in the evening of 23 November) and the Kharkiv attack's toll rising to five
three days later; its distractors are other attacks of the same days on the same and other
cities (a night attack on Kharkiv four days before, a Gerbera drone on Kharkiv two days before,
Odesa and Zaporizhzhia the night and morning of 21 November, Zaporizhzhia the evening of 25
November, Kyiv the night of 29 November) and other acts of the days (Zelensky's evening address
of 25 November, Ukrenergo's outage schedules for 27 November). The build stops on a title or URL
that the main set or an earlier part already has, on a development in one language, and on two
versions of one development from one outlet. Held out (README.md, "Held-out part 24"): scored
by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held22 parts (held23, built beside it on other subjects, is ordered by the lead).
OTHER_PARTS = held_part.files_through("held22")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["comments-ua-ru-787800", "rbc-ua-uk-1763854095", "nikvesti-uk-311488"],
     "event"),  # a Russian drone attack on Dnipro the night of 22-23 Nov 2025: a high-rise and a house on fire, 14 hurt by morning
    (["comments-ua-ru-787850", "report-az-ru-rossiya-udarila-po-zhilym-rajonam-harkova",
      "objectiv-uk-2025-11-24-do-chotiroh-zrosla"],
     "event"),  # a Russian drone attack on Kharkiv from about 21:30 on 23 Nov 2025: four killed, 13-17 hurt
    (["regionews-ru-1764143787", "interfax-ua-uk-1123681"],
     "event"),  # a man hurt in the Kharkiv attack of 23 Nov dies in hospital: its toll rises to five, 26 Nov 2025
]  # fmt: skip

# Real reports of other developments, one row each: other attacks of the same days (on the
# same cities and others) and other acts of the days.
DISTRACTORS: list[tuple[str, str]] = [
    ("comments-ua-ru-787289", "event"),  # a night drone attack on Kharkiv's Slobidskyi and Osnovianskyi districts, 19 Nov 2025 00:28 Kyiv time (the same city four days before the attack of 23 Nov)
    ("objectiv-ru-2025-11-21-dron-terehov", "event"),  # a Gerbera drone on Kharkiv's Slobidskyi district at about 01:00, no one hurt, 21 Nov 2025 07:20 Kyiv time
    ("regionews-uk-1763704799", "event"),  # a night drone attack on Odesa, houses and a car service station on fire, five hurt, 21 Nov 2025 07:46 Kyiv time
    ("blitz-if-uk-zaporizhzhia-kab-20-lystopada", "event"),  # a guided bomb on a Zaporizhzhia market at 22:10 on 20 Nov 2025, five killed, filed 21 Nov 08:09 Kyiv time
    ("novyny-live-uk-296218", "event"),  # Zelensky's evening address of 25 Nov 2025 on the night's strike and the work on peace, 21:29 Kyiv time (the day before the Kharkiv toll rose)
    ("novyny-live-uk-296235", "event"),  # a drone attack on Zaporizhzhia from about 22:20 on 25 Nov 2025, high-rises, a dormitory and a filling station hit, 23:40 Kyiv time
    ("rbc-ua-uk-1764176167", "event"),  # Ukrenergo's outage schedules for 27 Nov in every region, 26 Nov 2025 18:57 Kyiv time (the day the Kharkiv toll rose)
    ("novyny-live-ru-296988", "event"),  # Klitschko's toll of the night attack on Kyiv, 29 Nov 2025 11:50 Kyiv time
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held22", DEVELOPMENTS, DISTRACTORS, "hd24")

if __name__ == "__main__":
    raise SystemExit(main())
