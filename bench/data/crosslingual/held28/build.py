"""``held28/stream.jsonl``, the twenty-eighth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held28/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows or, for four rows named
in ``provenance.time_from``, the creation stamp in its address), grouped by reading into the
developments and distractors below with the editor rule of ../README.md ("Dev part"). All of it
is the war in Ukraine in June-December 2023, months the earlier parts covered least; six of the
seventeen developments are in three languages and fifteen have an English version. Its
developments are Russian strikes and their tolls (the warehouse in Odesa of 14 June, the missile
debris on a Kyiv high-rise of 24 June, the Security Service building and a new block in Dnipro of
28 July, the block and university in Kryvyi Rih of 31 July, a church's grounds in Zaporizhzhia of
9 August and the Reikartz hotel there of 10 August, the enterprise in Lutsk and the blocks and
kindergarten in Lviv of the night of 15 August, the warehouses in Lviv of 19 September, the hotel
in Cherkasy of 21 September, a block in Zaporizhzhia and houses in Obukhivka by Dnipro of 18
October, the art museum in Odesa of 5-6 November, the rescuers in Zaporizhzhia district of 15
November, the drone attack on Kyiv of 25 November, Pavlohrad district of 8 December) and one
exchange of prisoners (7 August). Its distractors are other strikes of the same days and weeks
(Odesa four days before 14 June, the foresters in Sumy region the same night, Kyiv three weeks
before 24 June, Kherson the morning of Kryvyi Rih, Dnipro the night of Lutsk and Lviv, Kryvyi Rih
three weeks after 31 July, Kyiv the morning of Cherkasy, Kharkiv the day of Zaporizhzhia and
Obukhivka, Nikopol five days later, a ship in a port of Odesa region two days after the museum,
Kyiv's ballistic missiles eighteen days after the drones, Kharkiv the night before Pavlohrad in
the next morning's summary) and the exchange before 7 August (6 July). The build stops on a
title or URL that the main set or an earlier part already has, on a development in one language,
and on two versions of one development from one outlet. Held out (README.md, "Held-out part 28",
its "Audit"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held27 parts (held27 was built beside it on other subjects and ordered before it).
OTHER_PARTS = held_part.files_through("held27")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["interfax-ua-en-916665", "0352-uk-3612227"],
     "event"),  # four Kalibr missiles on Odesa the night of 14 Jun 2023: a retail chain's warehouse hit, three employees killed, 13 hurt
    (["ua-news-uk-kryvyi-rih-31-july", "interfax-ua-ru-926124", "mediacenter-en-kryvyi-rih-32-apartments"],
     "event"),  # two Russian missiles on Kryvyi Rih at about 09:00 on 31 Jul 2023, a nine-storey block and a university building hit: two killed and 31 hurt by midday, six killed and about 80 hurt by the next day
    (["ua-news-uk-zaporizhzhia-10-august", "glavred-ru-10492399"],
     "event"),  # an Iskander-K missile by the Reikartz hotel in Zaporizhzhia at about 19:20 on 10 Aug 2023: one killed, 11 to 16 hurt
    (["pravda-en-7413311", "fakty-uk-423547", "dialog-ru-1690571381"],
     "event"),  # two Iskander missiles on Dnipro at about 20:30 on 28 Jul 2023, a new residential complex and the empty Security Service building hit: three sought help by 21:30, nine hurt by the next morning
    (["lvnews-uk-1695105958", "pravda-en-7420427", "korrespondent-ru-4624693"],
     "event"),  # Shahed drones on three industrial warehouses in Lviv the night of 19 Sep 2023: a fire over about 10,000 m2, a man hurt, a worker found dead under the rubble by 09:56
    (["pravda-en-7414515", "realist-uk-22-voiniv-7-august"],
     "event"),  # 22 Ukrainian soldiers (two officers) returned from Russian captivity on 7 Aug 2023
    (["interfax-ua-en-928842", "regionews-ru-1692076564"],
     "event"),  # two Russian cruise missiles on an industrial enterprise in Lutsk in the morning of 15 Aug 2023: three killed, three hurt
    (["ogo-uk-134490", "pravda-en-7415592"],
     "event"),  # Russian missiles on Lviv at about 05:00-05:30 on 15 Aug 2023 (the same night as Lutsk, another city): residential buildings on Patona and Kakhovska streets on fire, a kindergarten destroyed, more than 100 flats damaged, four hurt
    (["interfax-ua-uk-918675", "pravda-en-7408316", "nv-ru-50334352"],
     "event"),  # the wreckage of a downed Russian missile on a 24-storey building in Kyiv's Solomianskyi district the night of 24 Jun 2023: seven hurt and no dead found by 06:23, three killed by 11:11, five by the next morning
    (["bagnet-uk-1354711", "nikvesti-ru-276549", "pravda-en-7420773"],
     "event"),  # the wreckage (warhead) of a Russian missile on a hotel by the central market of Cherkasy at about 05:40 on 21 Sep 2023: five hurt at first, nine by 09:00
    (["pravda-en-7424585", "061-uk-3676600"],
     "event"),  # six Russian missiles on Zaporizhzhia between 01:33 and 01:48 on 18 Oct 2023, one on a five-storey block in the centre: one then two killed, three missing by 04:30
    (["ilikenews-uk-odesa-6-november", "vesti-ru-240611", "pravda-en-7427362"],
     "event"),  # Russian missiles and drones on Odesa the night of 6 Nov 2023 (the evening of 5 Nov): the centre hit, the National Art Museum damaged on its 124th birthday, five to eight hurt
    (["pravda-en-7424622", "dnipro-tv-uk-obukhivka-maty-dvokh-ditei"],
     "event"),  # Russian missiles on private houses in Obukhivka by Dnipro at about 09:45 on 18 Oct 2023 (the morning after the Zaporizhzhia block, another city): a 31-year-old woman killed, four hurt
    (["ua-news-uk-kyiv-25-november", "regionews-ru-1700904274"],
     "event"),  # the largest Russian drone attack on Kyiv the night of 25 Nov 2023 (Holodomor Remembrance Day): more than 60 drones downed over Kyiv, debris on several districts, five hurt including a child
    (["pravda-en-7414921", "rbc-ua-ru-1691605658"],
     "event"),  # Iskander missiles on a residential area of Zaporizhzhia (a church's grounds) on the evening of 9 Aug 2023 (the evening before the Reikartz hotel): two (first three) killed, seven or eight hurt
    (["interfax-ua-uk-952779", "rbc-ua-en-1702037604"],
     "event"),  # a Russian missile strike on Pavlohrad district in the morning of 8 Dec 2023: one killed, four hurt at first, eight by the afternoon, more than 20 houses and a gymnasium damaged
    (["pravda-en-7428877", "regionews-uk-1700052202"],
     "event"),  # three Russian missiles on a settlement of Zaporizhzhia district between 09:50 and 10:18 on 15 Nov 2023, a second strike on the rescuers: two State Emergency Service workers killed, seven hurt
]  # fmt: skip

# Real reports of other developments, one row each: other attacks of the same days and weeks on
# the same cities.
DISTRACTORS: list[tuple[str, str]] = [
    ("sud-ua-ru-272911", "event"),  # Shahed drones on Odesa the night of 10 Jun 2023, debris on a multi-storey block, three killed, 26 hurt, 08:17 Kyiv time (four days before the warehouse strike of 14 Jun)
    ("pravda-en-7406738", "event"),  # Russian artillery on a forestry vehicle in Sumy region's Seredyna-Buda hromada on 13 Jun 2023, seven (later six) killed, 00:58 Kyiv time on 14 Jun (the night of the warehouse strike on Odesa, another region)
    ("rbc-ua-en-1690789626", "event"),  # Grad rockets on the centre of Kherson at about 08:20 on 31 Jul 2023, a municipal worker killed, 10:47 Kyiv time by its address stamp (the morning of the Kryvyi Rih strike, another city)
    ("pravda-en-7420767", "event"),  # missile debris on an infrastructure facility and a service station in Kyiv's Darnytskyi district in the morning of 21 Sep 2023, seven hurt, 09:46 Kyiv time (the morning of the Cherkasy hotel, another city)
    ("interfax-ua-en-921243", "event"),  # 45 soldiers and two civilians returned from Russian captivity on 6 Jul 2023, 16:19 Kyiv time (the exchange before the one of 7 Aug)
    ("regionews-uk-1692681671", "event"),  # a Russian missile on Kryvyi Rih at dawn on 22 Aug 2023, one hurt, 20 houses damaged, 08:21 Kyiv time (three weeks after the strike of 31 Jul)
    ("ostannipodii-uk-100030246", "event"),  # a Russian strike on an enterprise in Dnipro at 04:20 on 15 Aug 2023, a fire, one hurt, 06:37 Kyiv time (the same night as Lutsk, another city)
    ("pc-org-uk-raketna-ataka-po-kyievu-1-june", "event"),  # missile debris on Kyiv's Desnianskyi district the night of 1 Jun 2023, three killed (two children), 08:06 Kyiv time (three weeks before the debris on Solomianskyi district of 24 Jun)
    ("pravda-en-7424630", "event"),  # a Russian strike on Kharkiv's Industrial district around midday of 18 Oct 2023, the power grid damaged, a woman hurt, 11:56 Kyiv time (the day of Zaporizhzhia and Obukhivka, a third city)
    ("interfax-ua-uk-946325", "event"),  # a Russian Kh-31P missile on a Liberian-flagged civilian ship entering a port of Odesa region on the evening of 8 Nov 2023, the pilot killed, four hurt, 19:14 Kyiv time (two days after the art museum, another target of the same region)
    ("sud-ua-uk-288009", "event"),  # ten Russian ballistic missiles downed over Kyiv at about 03:00 on 13 Dec 2023, debris on a hospital and houses, 53 hurt, 08:39 Kyiv time (eighteen days after the drone attack of 25 Nov)
    ("dniprotoday-en-973", "event"),  # about eighteen Russian artillery shells on the Nikopol area on 23 Oct 2023, a cafe on fire, ten homes damaged, 20:40 Kyiv time (five days after Obukhivka, the same region)
    ("dumka-uk-1702016866", "event"),  # six Russian S-300 strikes on Kharkiv at about 03:00 on 8 Dec 2023, two hurt, houses and cars damaged (Syniehubov's morning summary, with three hurt in Podoly), 08:27 Kyiv time (the night before the Pavlohrad strike, another city)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held27", DEVELOPMENTS, DISTRACTORS, "hd28")

if __name__ == "__main__":
    raise SystemExit(main())
