"""``held30/stream.jsonl``, the thirtieth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held30/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public news
pages, kept with its provenance and the time with zone its page shows or, for the three rows whose
``provenance.time_from`` says WEAKER, an address stamp or a zone read from the outlet's country),
grouped by reading into the developments and distractors below with the editor rule of ../README.md
("Dev part"). All of it is the war in Ukraine from January to May 2023. Its developments are Russian
strikes and their tolls (Zaporizhzhia of 2 March, Khmelnytskyi of 13 May, Kyiv of 16 May, Dnipro's
polyclinic of 26 May), the Zaporizhzhia NPP cut off on 9 March, incidents at sea, in Crimea and
inside Russia (the MQ-9 over the Black Sea on 14 March, the drone near Kolomna of 28 February, the
Sevastopol oil depot fire of 29 April, the Belgorod explosion of 20 April), decisions (the
Challenger 2 pledge of 14 January, Putin's e-summons law of 14 April), Zelensky at the front (the
Bakhmut direction on 22 March, Avdiivka on 18 April), his visit to Poland on 5 April and the
prisoner exchange of 10 April. Its distractors are other strikes of the same days and weeks (Lviv
region and Kyiv the same nights, Zaporizhzhia on another day, Sevastopol's drone attacks of 24 April
and 1 May) and other steps of the same affairs (the NPP's power restored, Austin's call with Shoigu,
the Duma's vote, Danilov's next-day account, Wallace on delivery, Putin's front visit of 18 April,
Zelensky's of 27 March, the Bryansk aircraft of 13 May) (README.md, "Held-out part 30"). The build
stops on a title or URL that the main set or an earlier part already has, on a development in one
language, and on two versions of one development from one outlet. Held out: scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held29 parts.
OTHER_PARTS = held_part.files_through("held29")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["interfax-ua-ru-897481", "wionews-en-572052"],
     "event"),  # a Russian Su-27 hits a US MQ-9 Reaper drone over the Black Sea on the morning of 14 Mar 2023, the drone lost in international waters (US European Command's account that evening)
    (["kyivindependent-en-zaporizhzhia-2-march", "pc-org-ua-uk-zaporizhzhia-2-march"],
     "event"),  # a Russian missile on a five-storey block in Zaporizhzhia at about 01:30 on 2 Mar 2023: two killed by morning, 11 rescued (13 killed by 5 Mar)
    (["regionews-ru-1678348660", "ostro-info-en-8706"],
     "event"),  # the Zaporizhzhia NPP cut from Ukraine's grid by the Russian missile attack the night of 9 Mar 2023, its sixth blackout, diesel generators for 10 days (Energoatom)
    (["rg-ru-v-podmoskove-upal-bespilotnik", "rt-en-572190"],
     "event"),  # a drone falls near Gubastovo, Kolomna district, some 100 km from Moscow, by a Gazprom gas station on 28 Feb 2023, no damage (Vorobyov)
    (["regionews-uk-1685093827", "konkurent-en-117498"],
     "event"),  # a Russian missile on a polyclinic in Dnipro at about 10:30 on 26 May 2023: one killed and 15 hurt by noon, two killed and 23 hurt by the evening (four killed by 28 May)
    (["novosti-n-uk-265602", "mezha-en-100-ukrainians-pow-swap"],
     "event"),  # the prisoner exchange of 10 Apr 2023: 100 Ukrainian servicemen home (Mariupol, Azovstal, Hostomel), 106 Russians handed over (Yermak)
    (["m24-ru-540784", "kyivindependent-en-challenger-14-january"],
     "event"),  # Sunak tells Zelensky in their call of 14 Jan 2023 of the UK's aim to send Challenger 2 tanks and more artillery (Downing Street's readout)
    (["pravda-en-7398375", "argumenti-ru-826146"],
     "event"),  # Zelensky visits front-line positions in Avdiivka on 18 Apr 2023 and presents awards (his office's report)
    (["ntv-ru-2753876", "kyivindependent-en-zelensky-donetsk-oblast-22-march"],
     "event"),  # Zelensky visits front-line positions on the Bakhmut direction on 22 Mar 2023 and presents awards (his office's report)
    (["rbc-ru-64399bbf9a79473c8e25e2ec", "kyivindependent-en-putin-electronic-summonses-14-april"],
     "event"),  # Putin signs the law on electronic draft summonses and a register of those liable for service on 14 Apr 2023
    (["rbc-ru-644197729a7947ebc0c9b2c9", "go31-ru-vzryvnaya-volna-v-belgorode", "rbc-ua-uk-1682024957", "pravda-en-7398832"],
     "event"),  # the explosion in central Belgorod at about 22:15 Moscow time on 20 Apr 2023, a 20 m crater (a Su-34's munition released over the city, the defence ministry said); UP's video report the next morning
    (["sud-ua-uk-270516", "info24-ru-vzryvy-progremeli-v-kieve", "sputnikglobe-en-1110397858"],
     "event"),  # the Russian missile attack on Kyiv the night of 15-16 May 2023: explosions in the Solomianskyi district, debris on the zoo, three hurt; the Russian defence ministry's account that day (a Kinzhal hit a Patriot system), one development by the editor rule (an event and an official's first account the same day)
    (["sud-ua-uk-270281", "kyivindependent-en-khmelnytsky-13-may"],
     "event"),  # a Russian attack hits a critical infrastructure facility outside settlements in Khmelnytskyi district the night of 12-13 May 2023, the blast wave damaging buildings in Khmelnytskyi, people hurt
    (["petrimazepa-uk-sevastopol-naftobaza", "7or-am-ru-253974"],
     "event"),  # a fuel tank on fire at the Kozacha Bay oil depot in occupied Sevastopol the night of 28-29 Apr 2023 after a drone hit, about 1,000 sq m (Razvozhaev's first posts)
    (["rbc-ua-uk-1680674736", "pravda-en-7396494"],
     "event"),  # Zelensky arrives in Poland on the morning of 5 Apr 2023 for his first official visit of the full-scale war, to meet Duda in Warsaw
]  # fmt: skip

# Real reports of other developments, one row each: other strikes on the same cities and other
# steps of the same affairs.
DISTRACTORS: list[tuple[str, str]] = [
    ("pravda-en-7392697", "event"),  # Ukrenergo restores the Zaporizhzhia NPP's power supply on the afternoon of 9 Mar 2023, 15:53 Kyiv time (the next step of the morning's blackout)
    ("kyivindependent-en-lviv-oblast-9-march", "event"),  # a Russian missile on houses in Zolochiv district, Lviv region, at about 04:00 on 9 Mar 2023, four killed by morning, 08:31 Kyiv time (another place hit in the night the NPP was cut off)
    ("kyivindependent-en-zaporizhzhia-22-march", "event"),  # two Russian missiles on two nine-storey blocks in Zaporizhzhia at about noon on 22 Mar 2023, one killed, 13:23 Kyiv time (the same city's strike three weeks after 2 Mar)
    ("pravda-en-7393606", "event"),  # Austin on his call with Shoigu the day after the MQ-9 was lost, 15 Mar 2023 19:38 Kyiv time (the next step of the drone affair)
    ("pravda-en-7398827", "event"),  # Danilov calls the Belgorod explosion a Russian provocation, 21 Apr 2023 10:35 Kyiv time (an account of the event the next morning, not the event)
    ("kyivindependent-en-putin-kherson-luhansk-18-april", "event"),  # the Kremlin's brief on Putin's visit to headquarters in occupied Kherson and Luhansk regions, 18 Apr 2023 10:07 Kyiv time (another leader's front visit the day of Zelensky's in Avdiivka)
    ("pravda-en-7397396", "event"),  # the State Duma passes the electronic summonses bill in three readings, 11 Apr 2023 16:02 Kyiv time (the step three days before Putin signed it)
    ("pravda-en-7403935", "event"),  # Kyiv's air defence downs all targets the night of 25-26 May 2023, 05:55 Kyiv time (another city, hours before Dnipro's polyclinic was hit)
    ("kyivindependent-en-zelensky-zaporizhzhia-oblast-27-march", "event"),  # Zelensky at front-line positions in Zaporizhzhia region, 27 Mar 2023 17:45 Kyiv time (another front visit, five days after the Bakhmut direction's)
    ("pravda-en-7402043", "event"),  # a Su-34 and a Mi-8 down in Bryansk region on 13 May 2023, 14:19 Kyiv time (another incident inside Russia with a Su-34, three weeks after Belgorod)
    ("kyivindependent-en-wallace-challenger-spring", "event"),  # Wallace tells Reuters the Challenger 2 tanks could arrive in spring, 23 Feb 2023 03:56 Kyiv time (a later step of the January pledge)
    ("kyivindependent-en-sevastopol-surface-drones-24-april", "event"),  # surface drones attack Sevastopol's roadstead at about 3:30 on 24 Apr 2023, 05:51 Kyiv time (another attack on the city five days before the oil depot fire)
    ("kyivindependent-en-sevastopol-yevpatoriia-1-may", "event"),  # drones attack Sevastopol and Yevpatoriia on 1 May 2023, one downed, 20:53 Kyiv time (another attack two days after the oil depot fire)
]  # fmt: skip

main = held_part.script(__file__, __doc__, "held29", DEVELOPMENTS, DISTRACTORS, "hd30")

if __name__ == "__main__":
    raise SystemExit(main())
