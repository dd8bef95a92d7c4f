"""``held24/stream.jsonl``, the twenty-fourth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held24/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows or, for a few rows
named in ``provenance.time_from``, a weaker source of the time: the creation stamp in its
address, the printed time of its other-language twin, the outlet's own list of its headlines, a
time printed without a year or date), grouped by reading into the developments and distractors
below with the editor rule of ../README.md ("Dev part"). All of it is the war in Ukraine, 18
October to 26 December 2025, most of it Russian strikes on Ukrainian cities and their steps,
with a repatriation, notices of suspicion, and a court's custody among them.
Its developments are two attacks of 22-23 November (Dnipro by night, Kharkiv in the evening;
xheld32b's) and eight added by xheld32c: a guided bomb on Lozova (18 October), the Skhid
grouping's word of 2 November that soldiers were among the killed of a strike on an award
ceremony, the court's custody of the battalion commander who held it (8 November), the Balakliia
missile strike (17 November), the repatriation of 1,000 bodies (20 November), the notices of
suspicion over the Kryvyi Rih playground strike (24 November), the strikes on a heat and power
plant near Kharkiv (24 December) and a guided bomb on a Kharkiv road (26 December). Its
distractors are other attacks of the same days on the same and other cities and other steps of
the same affairs: the Kharkiv attack's toll rising to five on its third day (a development until
the audit took out its Russian version, whose time was only its address stamp), the ceremony
affair's toll, its brigade's statement and the commander's notice of suspicion the morning
before the custody; a drone on a Kharkiv playground the day before Balakliia. The build stops on
a title or URL that the main set or an earlier part already has, on a development in one
language, and on two versions of one development from one outlet. Held out (README.md, "Held-out
part 24"): scored by the lead once per frozen linker, never tuned on.
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
    (["interfax-ua-uk-1117461", "regionews-ru-1762093817"],
     "event"),  # the Skhid grouping: soldiers among the killed and hurt of the strike on Dnipropetrovsk region of 1 Nov, orders being checked, 2 Nov 2025
    (["novyny-live-uk-292788", "life-ru-1808068"],
     "event"),  # a Dnipro court remands in custody the battalion commander who held the award ceremony the strike of 1 Nov hit, 8 Nov 2025
    (["interfax-ua-uk-1113643", "objectiv-ru-2025-10-18-lozovaya-kab"],
     "event"),  # a guided bomb on Lozova, Kharkiv region, at about 17:35 on 18 Oct 2025: a house on fire, six hurt
    (["interfax-ua-uk-1121018", "objectiv-ru-2025-11-17-balakleya", "rbc-ua-en-1763362901"],
     "event"),  # a Russian missile strike on Balakliia, Kharkiv region, the night of 17 Nov 2025: three killed, 13-15 hurt
    (["sud-ua-ru-346664", "interfax-ua-en-1122170"],
     "event"),  # the repatriation of 20 Nov 2025: 1,000 bodies returned to Ukraine (the Coordination Headquarters)
    (["regionews-uk-1763981443", "sud-ua-ru-346977"],
     "event"),  # in-absentia notices of suspicion to four Russian officers over the Kryvyi Rih playground strike of 4 Apr, 24 Nov 2025
    (["regionews-uk-1766576241", "haqqin-az-ru-370025"],
     "event"),  # Russian strikes on a heat and power plant near Kharkiv, one killed, 11-13 hurt, voltage drop in the city, 24 Dec 2025
    (["interfax-ua-uk-1131579", "report-az-ru-rf-atakovala-odnu-iz-samyh-ozhivlennyh-trass-harkova"],
     "event"),  # a guided bomb on Klochkivska street in Kharkiv at about 16:00 on 26 Dec 2025: two killed, 5-8 hurt
]  # fmt: skip

# Real reports of other developments, one row each: other attacks of the same days (on the
# same cities and others), other acts of the days, and other steps of the developments' affairs.
DISTRACTORS: list[tuple[str, str]] = [
    ("comments-ua-ru-787289", "event"),  # a night drone attack on Kharkiv's Slobidskyi and Osnovianskyi districts, 19 Nov 2025 00:28 Kyiv time (the same city four days before the attack of 23 Nov)
    ("objectiv-ru-2025-11-21-dron-terehov", "event"),  # a Gerbera drone on Kharkiv's Slobidskyi district at about 01:00, no one hurt, 21 Nov 2025 07:20 Kyiv time
    ("regionews-uk-1763704799", "event"),  # a night drone attack on Odesa, houses and a car service station on fire, five hurt, 21 Nov 2025 07:46 Kyiv time
    ("blitz-if-uk-zaporizhzhia-kab-20-lystopada", "event"),  # a guided bomb on a Zaporizhzhia market at 22:10 on 20 Nov 2025, five killed, filed 21 Nov 08:09 Kyiv time
    ("novyny-live-uk-296218", "event"),  # Zelensky's evening address of 25 Nov 2025 on the night's strike and the work on peace, 21:29 Kyiv time (the day before the Kharkiv toll rose)
    ("novyny-live-uk-296235", "event"),  # a drone attack on Zaporizhzhia from about 22:20 on 25 Nov 2025, high-rises, a dormitory and a filling station hit, 23:40 Kyiv time
    ("interfax-ua-uk-1123681", "event"),  # a man hurt in the Kharkiv attack of 23 Nov dies in hospital, its toll rises to five, 26 Nov 2025 11:53 Kyiv time (the attack's later step, on its third day)
    ("rbc-ua-uk-1764176167", "event"),  # Ukrenergo's outage schedules for 27 Nov in every region, 26 Nov 2025 18:57 Kyiv time (the day the Kharkiv toll rose)
    ("novyny-live-ru-296988", "event"),  # Klitschko's toll of the night attack on Kyiv, 29 Nov 2025 11:50 Kyiv time
    ("regionews-uk-1762368780", "event"),  # Suspilne's toll of the strike of 1 Nov on the 35th marine brigade's ceremony (8 killed, 40 hurt, 6 missing), 5 Nov 2025 20:52 Kyiv time
    ("regionews-ru-1762408322", "event"),  # the 35th marine brigade's statement on the strike of 1 Nov, 6 Nov 2025 07:28 Kyiv time
    ("sud-ua-uk-345656", "event"),  # the State Bureau of Investigation's notice of suspicion to the battalion commander, 8 Nov 2025 11:39 Kyiv time (the morning before the custody)
    ("rbc-ua-uk-1763295682", "event"),  # a Molniya drone on a Kharkiv playground, no one hurt, 16 Nov 2025 14:21 Kyiv time (the day before the Balakliia strike)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held22", DEVELOPMENTS, DISTRACTORS, "hd24")

if __name__ == "__main__":
    raise SystemExit(main())
