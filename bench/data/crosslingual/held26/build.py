"""``held26/stream.jsonl``, the twenty-sixth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held26/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows or, for three rows
named in ``provenance.time_from``, the creation stamp in its address), grouped by reading into
the developments and distractors below with the editor rule of ../README.md ("Dev part"). All
of it is the war in Ukraine in Kharkiv region and Odesa, 31 May to 14 October 2024 and 5 May to
31 October 2025, months the earlier parts covered least; twelve of the fourteen developments
have an English version. Its developments are Russian strikes and their tolls (the missile on a
Kharkiv five-storey block of 30-31 May 2024, the mine under a family's car near Tsyrkuny of 7
July 2024, the ballistic missiles on Odesa's port of 7 October (the OPTIMA) and 14 October 2024
(the OPTIMA again), the drones on Odesa district of 5 May 2025, the ballistic missiles on
Odesa's port of 23 May 2025, the guided bombs on Kharkiv's children's railway of 7 June 2025,
the drones on Odesa of 17 and 20 June, 8 August and 7 September 2025, the night attack on
Kharkiv of 1 October 2025 and the missile on Balakliia that evening) and one court step (the
bail for Odesa's former military commissar Borysov of 31 October 2025). Its distractors are
other strikes of the same days and weeks on the same cities (the guided bombs on Kharkiv of 22
and 23 June 2024, each in the next morning's summary, Odesa's port between the OPTIMA's two
hits, Kharkiv two days before and four and five days after 7 June 2025, Odesa eight days after
20 June 2025, Kharkiv the evening before 1 October 2025) and three earlier hearings of the
Borysov affair (6, 7 and 10 October 2025). The build stops on a title or URL that the main set
or an earlier part already has, on a development in one language, and on two versions of one
development from one outlet. Held out (README.md, "Held-out part 26"): scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held24 parts (held25, built beside it on other subjects, is ordered by the lead).
OTHER_PARTS = held_part.files_through("held24")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["allkharkov-uk-597725", "rbc-ua-en-1717224792", "fakty-uk-438358", "infocity-uk-kilkist-zahyblykh-6"],
     "event"),  # a Russian missile on a five-storey block in Kharkiv's Novobavarskyi district at 23:50 on 30 May 2024: four killed by morning, six by the afternoon, seven by the next morning
    (["interfax-ua-en-1109043", "rbc-ua-ru-1759339931"],
     "event"),  # a Russian missile beside a five-storey block in Balakliia, Kharkiv region, on the evening of 1 Oct 2025: a woman killed, four hurt
    (["pravda-en-7464561", "dumka-ru-1720425295"],
     "event"),  # a family's car hits a Russian anti-tank mine near Tsyrkuny, Kharkiv district, on the evening of 7 Jul 2024: four killed that evening, six (two children) by the next morning
    (["interfax-ua-ru-1018976", "pravda-en-7478616"],
     "event"),  # a Russian ballistic missile hits the Palau-flagged ship OPTIMA in the port of Odesa on the evening of 7 Oct 2024: a port worker killed, five foreign crew hurt
    (["intent-en-odesa-missile-14-october", "racurs-uk-n200226"],
     "event"),  # a Russian ballistic missile on Odesa's port on the afternoon of 14 Oct 2024: one killed, eight hurt, the NS Moon and the OPTIMA (again) damaged
    (["rbc-ua-ru-1759290501", "novyny-live-en-284566", "objectiv-uk-2025-10-01-barabashovo-zagasili"],
     "event"),  # guided bombs and missiles on Kharkiv, its suburbs and Chuhuiv district the night of 1 Oct 2025: market pavilions (Barabashovo) on fire, a house destroyed, six to nine hurt, the fires out by 12:53
    (["pravda-en-7529687", "rbc-ua-ru-1757214276"],
     "event"),  # a large-scale Russian drone strike on Odesa and Odesa district the night of 6-7 Sep 2025: residential buildings and civilian infrastructure damaged, fires in multi-storey buildings
    (["pravda-en-7516127", "dumka-ru-1749313932"],
     "event"),  # four guided bombs on Kharkiv's Shevchenkivskyi and Kyivskyi districts at about 17:35 on 7 Jun 2025: the children's railway hit, its 30-year-old head killed, more than 40 hurt
    (["regionews-uk-1748006552", "interfax-ua-ru-1074202", "pravda-en-7513730"],
     "event"),  # two Russian ballistic missiles on Odesa's port infrastructure at about 14:00 on 23 May 2025: a port worker killed, eight hurt, a second death in hospital by the evening
    (["intent-en-borisov-pre-trial-restraint-31-october", "rbc-ua-ru-1761928197"],
     "event"),  # the Prymorskyi District Court of Odesa sets bail of UAH 20 million for the former Odesa regional military commissar Borysov in the AWOL case on 31 Oct 2025
    (["interfax-ua-en-1080539", "novosti-n-uk-317435"],
     "event"),  # Russian drones on Odesa at dawn on 17 Jun 2025: a woman killed, 13 to 17 hurt, the historical centre, a kindergarten and an inclusive centre hit
    (["pravda-en-7517947", "regionews-uk-1750401705", "intent-uk-odesa-10-mists-vluchan-20-june"],
     "event"),  # at least 10 Russian drones on Odesa the night of 19-20 Jun 2025: one killed, 14 hurt including three firefighters, a four-storey block burnt out, a 23-storey building on fire
    (["interfax-ua-ru-1094321", "pravda-uk-7525250"],
     "event"),  # Russian drones on Odesa district the night of 7-8 Aug 2025: a sewage pumping station damaged, a petrol station guard hurt
    (["interfax-ua-uk-1069327", "rbc-ua-uk-1746479547", "regionews-ru-1746516388"],
     "event"),  # Russian drones on Odesa district on the evening of 5 May 2025: a man killed (burns from a damaged power line), a 19-year-old hospitalised, houses and a school damaged
]  # fmt: skip

# Real reports of other developments, one row each: other attacks of the same days (on the
# same cities and others), other acts of the days, and other steps of the developments' affairs.
DISTRACTORS: list[tuple[str, str]] = [
    ("regionews-uk-1719126549", "event"),  # Syniehubov's summary of the guided bombs on Kharkiv of about 15:15 on 22 Jun 2024 (a five-storey block on Haharin Avenue hit), three killed, 56 hurt, filed 23 Jun 09:15 Kyiv time (no timed version of that strike in another language is here)
    ("interfax-ua-uk-995448", "event"),  # guided bombs on Kharkiv on Sunday 23 Jun 2024 (an educational building, private houses): one killed, 12 hurt, filed 24 Jun 08:36 Kyiv time (the day after the strike of 22 Jun)
    ("intent-uk-odesa-port-9-october", "event"),  # Russian ballistic missiles on the port infrastructure of Odesa region on the evening of 9 Oct 2024, five killed, the Panama-flagged Shui Spirit damaged, 22:44 Kyiv time (between the OPTIMA's two hits)
    ("interfax-ua-uk-1108683", "event"),  # the second drone attack of 30 Sep 2025 on Kharkiv (Kholodnohirskyi district), no one hurt, 18:26 Kyiv time (the evening before the night attack of 1 Oct)
    ("realist-uk-kharkiv-19-postrazhdalykh-5-june", "event"),  # Russian drones on Kharkiv's apartment blocks the night of 5 Jun 2025, 19 hurt, 09:17 Kyiv time (two days before the guided bombs of 7 Jun)
    ("pravda-en-7516582", "event"),  # 17 Shahed drones on Kharkiv's Slobidskyi and Osnovianskyi districts the night of 11 Jun 2025, two killed, 57 hurt, 03:59 Kyiv time (four days after the guided bombs of 7 Jun)
    ("rbc-ua-en-1749731121", "event"),  # drones on Kharkiv the next night, 12 Jun 2025, 18 hurt, 15:25 Kyiv time by its address stamp
    ("novyny-live-uk-285891", "event"),  # the hearing on Borysov's preventive measure of 6 Oct 2025 interrupted when he is taken to hospital, filed 7 Oct 12:11 Kyiv time
    ("intent-ru-borisov-zasedanie-snova-perenesli-7-october", "event"),  # the hearing on custody for Borysov of 7 Oct 2025 ends with a break again, 18:13 Kyiv time (three weeks before the bail of 31 Oct)
    ("novyny-live-uk-286712", "event"),  # Borysov does not come to the hearing of 10 Oct 2025, 15:00 Kyiv time (three weeks before the bail of 31 Oct)
    ("intent-uk-naslidki-vluchannia-dronu-28-june", "event"),  # a Russian drone on a 21-storey block in Odesa the night of 28 Jun 2025, a couple killed, 11:44 Kyiv time (eight days after the attack of 20 Jun)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held24", DEVELOPMENTS, DISTRACTORS, "hd26")

if __name__ == "__main__":
    raise SystemExit(main())
