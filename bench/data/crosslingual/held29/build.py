"""``held29/stream.jsonl``, the twenty-ninth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held29/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public news
pages, kept with its provenance and the time with zone its page shows or, for two rows named in
``provenance.time_from``, the creation stamp in its address; rows the audit changed or ruled on say
so in ``provenance.audit``), grouped by reading into the developments and distractors below with the
editor rule of ../README.md ("Dev part"). All of it is of 2022 (March to December), the war's first
year and news of the world beside it. Its developments are Russian strikes and their tolls (Lviv of
18 April, Chortkiv of 11 June, Kyiv of 26 June, Mykolaiv of 29 June, Kropyvnytskyi's flight academy
of 28 July, Kharkiv's dormitories the night of 17-18 August, a block in Kryvyi Rih of 16 December),
the civilian convoy shot near Kupiansk and found on 1 October, the front (Kupiansk entered on 10
September, Zelensky in Kherson on 14 November) and the world (the Armenian-Azerbaijani border war of
13 September, the Nobel Peace Prize of 7 October, the Istiklal bombing in Istanbul of 13 November).
Its distractors are other strikes of the same weeks on the same cities and regions (Zhytomyr,
Vinnytsia's airport, the Yavoriv range, Dnipro's airport twice and a transport company, Kyiv's
Darnytsia plant and its three districts of 16 December, Kropyvnytskyi's airfield, Kharkiv's power
plant, Kryvyi Rih of 15 September), Zelensky's visit to Izium and the Istiklal arrest (README.md,
"Held-out part 29"). The build stops on a title or URL that the main set or an earlier part already
has, on a development in one language, and on two versions of one development from one outlet. Held
out: scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held28 parts.
OTHER_PARTS = held_part.files_through("held28")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["life-ru-1523330", "eurointegration-uk-7146670"],
     "event"),  # fighting on the Armenian-Azerbaijani border the night of 12-13 Sep 2022: Baku's accusation of 'large-scale sabotage' and Pashinyan's first toll (49 Armenian servicemen killed) that morning
    (["vchaspik-uk-532065", "kyivindependent-en-kindergarten-26-june"],
     "event"),  # Russian missiles on Kyiv's Shevchenkivskyi district the morning of 26 Jun 2022: a nine-storey block hit and on fire, one killed, a kindergarten's yard hit
    (["zaxid-uk-n1548157", "interfax-ua-en-852970"],
     "event"),  # Russian missiles on Kharkiv the night of 17-18 Aug 2022 (a Saltivskyi dormitory at 21:30, seven killed; a Slobidskyi dormitory at 04:30, two killed, 18 hurt), one night in Synehubov's summary
    (["kyivindependent-en-mykolaiv-high-rise-29-june", "dynamomania-ru-639325"],
     "event"),  # a Russian missile on a multi-storey residential building in Mykolaiv the morning of 29 Jun 2022: two killed, three hurt
    (["dailylviv-uk-98806", "interfax-ua-ru-825056"],
     "event"),  # Russian cruise missiles on Lviv at about 08:30 on 18 Apr 2022: military warehouses and a car service station hit, seven killed, 11 hurt
    (["korrespondent-uk-4500077", "interfax-ua-ru-849147"],
     "event"),  # two Russian missiles on the Flight Academy's hangars in Kropyvnytskyi at about 12:20 on 28 Jul 2022: five killed, 25 then 26 hurt
    (["kyivindependent-en-nobel-peace-prize-7-october", "interfax-ua-uk-863789"],
     "event"),  # the 2022 Nobel Peace Prize to Ukraine's Center for Civil Liberties, Russia's Memorial and Ales Bialiatski, announced in Oslo on 7 Oct 2022
    (["shafaq-en-istiklal-13-november", "rosbalt-ru-1978872", "fakty-uk-410708"],
     "event"),  # the bomb on Istanbul's Istiklal Street at about 16:20 on 13 Nov 2022: six killed, 53 then 81 hurt, Erdogan's 'bomb attack', Oktay: a woman set it off
    (["day-kyiv-uk-141122-kherson", "nv-en-50283893"],
     "event"),  # Zelensky's unannounced visit to Kherson on 14 Nov 2022, three days after Ukrainian forces entered the city
    (["kyivindependent-en-kryvyi-rih-16-december", "regionews-uk-1671181011"],
     "event"),  # a Russian missile on a residential building in Kryvyi Rih during the mass strike the morning of 16 Dec 2022: a stairwell destroyed, two killed, five hurt
    (["kyivindependent-en-kupiansk-convoy-1-october", "interfax-ua-en-862484", "realist-uk-kupiansk-convoy-1-october"],
     "event"),  # the civilian evacuation convoy shot by Russian troops near Kurylivka, Kupiansk district, on 25 Sep 2022, found on 1 Oct: 20, then 22, then 24 killed
    (["kyivindependent-en-kupiansk-city-center-10-september", "rbc-ua-uk-1662794198"],
     "event"),  # Ukrainian forces reach Kupiansk's centre and raise the flag on 10 Sep 2022, during the Kharkiv counteroffensive
    (["racurs-uk-n171622", "pravda-en-7352010"],
     "event"),  # four Russian missiles on Chortkiv, Ternopil region, the evening of 11 Jun 2022: blocks hit, 22 then 23 hurt, no one killed (the next day's accounts)
]  # fmt: skip

# Real reports of other developments, one row each: other strikes on the same cities and other
# steps of the same affairs.
DISTRACTORS: list[tuple[str, str]] = [
    ("epravda-uk-687831", "event"),  # four Russian missiles on Kyiv's Darnytsia railcar repair plant the morning of 5 Jun 2022, one hurt, 14:50 Kyiv time (three weeks before the strike of 26 Jun)
    ("ostannipodii-ru-110025913", "event"),  # two bodies found under a Dnipro transport company hit by a Kalibr the day before, 29 Jun 2022 07:20 Kyiv time (another city's strike, reported the same morning as Mykolaiv's of 29 Jun)
    ("kyivindependent-en-blackouts-11-september", "event"),  # Russian strikes on Kharkiv's TPP-5 the evening of 11 Sep 2022, blackouts in Kharkiv and neighbouring regions, 21:23 Kyiv time
    ("pravda-en-7367576", "event"),  # another Russian missile strike on Kryvyi Rih at about 13:00 on 15 Sep 2022, 13:08 Kyiv time (the day after the dam strike of 14 Sep, which the fresh part has; three months before the strike of 16 Dec)
    ("apa-ru-500234", "event"),  # the person believed to have left the Istiklal bomb detained the night of 13-14 Nov 2022, 05:22 Baku time (the next step of the bombing)
    ("volynnews-uk-zelenskyy-izium-14-september", "event"),  # Zelensky at the flag-raising in de-occupied Izium on 14 Sep 2022, 15:10 Kyiv time (his visit to another liberated city, two months before Kherson's)
    ("interfax-ua-ru-812506", "event"),  # the Russian missile strike on the Yavoriv range, Lviv region, the morning of 13 Mar 2022: 35 killed, 134 hurt, 12:50 Kyiv time (five weeks before Lviv's strike of 18 Apr)
    ("ua-news-uk-kyiv-16-december", "event"),  # Russian missiles on three districts of Kyiv the same morning of 16 Dec 2022, 10:00 Kyiv time (the same mass strike's hits on another city)
    ("segodnya-uk-1608948", "event"),  # two Russian missiles on Dnipro's airport the night of 14-15 Mar 2022, the runway destroyed, 12:03 Kyiv time (the airport's first strike, four weeks before 10 Apr)
    ("pravda-en-7327349", "event"),  # the Russian air strike on Zhytomyr's houses near a hospital late on 1 Mar 2022, two killed, 16 hurt, 06:56 Kyiv time the next morning (another city's strike, five days before Vinnytsia's airport)
    ("interfax-ua-uk-847973", "event"),  # 13 Russian cruise missiles on Kropyvnytskyi's airfield and a railway site the morning of 23 Jul 2022, 09:03 Kyiv time (five days before the strike of 28 Jul)
    ("realist-ru-dnipro-airport-10-april", "event"),  # a repeated Russian missile attack destroys Dnipro's airport and nearby infrastructure on 10 Apr 2022, 15:25 Kyiv time (four weeks after the runway strike of 15 Mar)
    ("realist-uk-vinnytsia-airport-6-march", "event"),  # eight Russian missiles destroy Vinnytsia's airport on 6 Mar 2022, 14:44 Kyiv time (five days after Zhytomyr's strike)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held28", DEVELOPMENTS, DISTRACTORS, "hd29")

if __name__ == "__main__":
    raise SystemExit(main())
