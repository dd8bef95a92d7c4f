"""Build ``held3/stream.jsonl``: the third held-out part of the cross-lingual set.

    .venv/bin/python bench/data/crosslingual/held3/build.py

Reads the real headlines in captured.jsonl (found in stored public news pages, with
provenance and, where the stored text shows one, the filing time), groups them into the
developments and distractors listed below (judged by reading, with the editor rule of
../README.md, "Dev part"), and writes one JSON object a line sorted by ``published``, in the
format of ``../fresh/stream.jsonl`` with ``"part": "held3"``. Every row is a real report: no
translations, and no two versions of a development from one outlet's language editions.
Deterministic. Refuses to build when an item's title or URL is already in the main set, the
check, dev or fresh part, when a development has one language only, or when two of its
versions share an outlet (README.md, "Held-out part 3"). The part is held out: it is scored
once, after the linker is frozen, and never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev and
# fresh parts.
OTHER_PARTS = held_part.files_through("fresh")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["kyivindependent-mykolaiv-oda-0329", "anews-2022-03-30-mykolaiv", "pravda-uk-7335431",
      "strana-383850"],
     "event"),  # a missile through the Mykolaiv regional administration building, 29 Mar 2022
    (["kyivindependent-odesa-0423", "goloskarpat-62641b90d5e60"],
     "event"),  # missiles on an Odesa apartment block on Easter Saturday, a baby killed, 23 Apr 2022
    (["businessinsider-kyiv-guterres", "rusjev-2022-04-29-guterrish"],
     "event"),  # missiles on Kyiv's Shevchenkivskyi district during Guterres' visit, 28 Apr 2022
    (["kyivindependent-robotyne-0828", "dailybeast-robotyne", "novayagazeta-ee-2023-08-28-rabotino"],
     "event"),  # Ukraine's deputy defence minister: Robotyne liberated, 28 Aug 2023
    (["dailybeast-kyivstar", "sq-2023-12-12-kyivstar"],
     "event"),  # the cyberattack that shut down Kyivstar's network, 12 Dec 2023
    (["pravdaru-en-158656", "essanews-6984934520931969a", "apostrophe-ru-312178",
      "spektr-2024-01-15-a50"],
     "event"),  # an A-50 shot down and an Il-22 hit over the Sea of Azov, 14 Jan 2024 (confirmed the next day)
    (["newindianexpress-navalny", "obozrevatel-en-navalny", "mogilevonline-290959"],
     "event"),  # Alexei Navalny dies in the Kharp prison colony, 16 Feb 2024
    (["meduza-en-2024-08-26-strikes", "myua-ru-2024-08-26-obstrel"],
     "event"),  # Russia's missile and drone attack on 15 regions' energy, 26 Aug 2024
    (["wionews-8610796", "polskieradio-uk-3469619"],
     "event"),  # Zelensky: two North Korean soldiers captured in Kursk region, 11 Jan 2025
    (["kyivindependent-dobropillia-0307", "myua-2025-03-08-dobropillia"],
     "event"),  # the Iskander, rocket and drone strike on Dobropillia's centre, evening of 7 Mar 2025
    (["euromaidanpress-2025-05-17-bilopillia", "censor-ru-3552757", "interfax-uk-1072582"],
     "event"),  # a Lancet drone on an evacuation bus near Bilopillia, nine killed, 17 May 2025
    (["pravda-eng-7531620", "err-1609806336", "strana-491777", "reportaz-ru-estonia-mig31",
      "suspilne-1119302"],
     "event"),  # three Russian MiG-31s in Estonian airspace for 12 minutes, 19 Sep 2025
    (["guardian-azov-swap-video", "telegraf-ru-5717165", "ternopoliany-74144"],
     "event"),  # 215 defenders, Azovstal's commanders among them, swapped for Medvedchuk and 55 Russians, 21 Sep 2022
    (["pravdaru-en-154634", "babel-en-86360", "apostrophe-uk-282846", "fakty-20221031-udar"],
     "event"),  # missiles on energy in ten regions, 80 % of Kyiv without water, 31 Oct 2022
    (["sbs-putin-mariupol", "yahoo-up-putin-mariupol", "rg-2023-03-19-mariupol"],
     "event"),  # Putin's night visit to occupied Mariupol, 18-19 Mar 2023
    (["trtworld-video-17857427", "leopolis-104554"],
     "event"),  # the US House passes the $61 billion aid package for Ukraine, 20 Apr 2024
    (["kyivindependent-putin-kursk-0312", "mehrnews-229558", "lenta-2025-03-12-kamuflyazh"],
     "event"),  # Putin in uniform at a command post in Kursk region, 12 Mar 2025
    (["kyivindependent-dnipro-0624", "dawn-1919776", "nv-ru-50524552", "vidomo-ru-1750849422"],
     "event"),  # ballistic missiles on Dnipro by day, a passenger train hit, 24 Jun 2025 (tolls the next day)
    (["tbsnews-537690", "spokesman-2022-nov-23-kyiv", "ftimes-491027"],
     "event"),  # about 70 missiles on the grid: Kyiv and Lviv dark, nuclear plants disconnected, Moldova blacked out, 23 Nov 2022
    (["interfax-com-102063", "kalingatv-putin-fifth-term", "abbv-putin-inauguratsiya", "dyvys-2024-05-07-inavhuratsiya"],
     "event"),  # Putin's fifth inauguration in the Kremlin, 7 May 2024
    (["jang-en-28360", "japannews-20250102-230980", "greenpost-i81909"],
     "event"),  # Russian gas transit through Ukraine stops as the contract expires, 1 Jan 2025
    (["whec-nbc-aid-pause", "bnonews-2025-03-aid-pause", "sud-uk-324712", "regionews-uk-1741065169", "aroundprague-tramp-pomoshh"],
     "event"),  # Trump pauses all US military aid to Ukraine after the Oval Office clash, 3-4 Mar 2025
    (["euromaidanpress-2025-03-06-kryvyi-rih", "unn-en-kryvyi-rih-hotel", "pik-2025-03-06-kryvyi-rih", "informsumy-788698800"],
     "event"),  # a ballistic missile on a Kryvyi Rih hotel where foreign volunteers had just checked in, evening of 5 Mar 2025
    (["independent-b2774877", "moscowtimes-a89527", "nv-ru-50524173"],
     "event"),  # missiles and drones on Kyiv, a five-storey block collapses in the Shevchenkivskyi district, night of 23 Jun 2025
    (["freedombunker-2024-06-23-crimean-beach", "townhall-2024-06-24-russia-blames-us", "rg-2024-06-23-sevastopol"],
     "event"),  # an ATACMS with cluster warheads over a Sevastopol beach; Russia blames the US, 23 Jun 2024
    (["pravdaru-en-162156", "republicworld-moskalik", "klops-355447"],
     "event"),  # Lt Gen Yaroslav Moskalik killed by a car bomb in Balashikha, 25 Apr 2025
    (["azon-en-kazan-drone-attack", "pravda-uk-7490106", "sfera-2024-12-21-kazan"],
     "event"),  # drones fly into high-rise blocks in Kazan, morning of 21 Dec 2024
    (["rbc-en-1725026300", "menafn-1108620449", "regionews-uk-1725023843"],
     "event"),  # guided bombs on Kharkiv: a 12-storey block hit, a girl killed on a playground, 30 Aug 2024
    (["interfax-en-958342", "vesti-ua-243483"],
     "event"),  # the largest prisoner exchange so far: 230 Ukrainians home, 248 Russians returned, 3 Jan 2024
    (["greenwatchbd-80629", "novynarnia-2025-07-09-lutsk", "nv-ru-50528270"],
     "event"),  # a record 728 drones and 13 missiles, Lutsk hit hardest, night of 9 Jul 2025
    (["kyivindependent-odesa-0131", "pravda-eng-7496221", "fakty-ru-20250131-odessa"],
     "event"),  # ballistic missiles on Odesa's historic centre, the Bristol hotel hit, evening of 31 Jan 2025
    (["umoloda-173424", "interfax-com-88228"],
     "event"),  # China publishes its 12-point position paper on the war, 24 Feb 2023
    (["i24news-1684592565-bakhmut", "epochtimes-5280004-bakhmut", "4studio-2023-05-20-bakhmut"],
     "event"),  # Prigozhin claims Wagner has taken all of Bakhmut; Kyiv: fighting goes on, 20 May 2023
    (["uawire-moscow-drone-attack", "aroundprague-2023-05-30-moskva", "vzglyad-uz-2023-05-30-moskva"],
     "event"),  # drones hit apartment blocks in Moscow, morning of 30 May 2023
    (["dailymoscow-putin-kim-vostochny", "pledgetimes-putin-met-kim"],
     "event"),  # Putin and Kim Jong Un meet at the Vostochny cosmodrome, 13 Sep 2023
    (["ctvnews-1-6704235", "dailytruth-2023-12-29-udar"],
     "event"),  # Russia's largest air attack so far: 122 missiles and 36 drones, 29 Dec 2023
    (["sputnikglobe-1116683752", "lenta-2024-02-09-intervyu"],
     "event"),  # Tucker Carlson releases his interview with Putin, night of 8-9 Feb 2024
    (["wionews-701250", "5vlast-2024-03-18-vybory"],
     "event"),  # Putin wins the presidential election with about 87 %, evening of 17 Mar 2024
    (["tbsnews-876976", "urdupoint-1835486", "penzainform-2024-06-14-putin"],
     "event"),  # Putin's ceasefire terms at the Foreign Ministry: leave four regions, drop NATO, 14 Jun 2024
    (["unn-en-victory-plan-kremlin", "interfax-uk-1020873"],
     "event"),  # Zelensky presents the Victory Plan in the Rada, 16 Oct 2024
    (["uanews-sudzha-genshtab", "afn-by-327948"],
     "event"),  # Ukraine's General Staff map shows its troops out of Sudzha, 16 Mar 2025
    (["sputnikglobe-1120925323", "moika78-1042315"],
     "event"),  # Putin signs the revised nuclear doctrine, 19 Nov 2024
    (["newsmax-1208595", "zp-news-478338", "inkorr-262070"],
     "event"),  # Putin declares a three-day Victory Day truce for 8-10 May, 28 Apr 2025
    (["rbc-en-1746919013", "dw-uk-72504104", "censor-ru-3551559"],
     "event"),  # Putin proposes direct talks with Ukraine in Istanbul on 15 May, night of 10-11 May 2025
    (["wunc-2025-07-14-trump-tariffs", "nv-ru-50529853", "aroundprague-tramp-ultimatum-50", "marionetki-2025-07-15-tramp-50"],
     "event"),  # Trump with Rutte: NATO-funded weapons for Ukraine, 100 % tariffs unless a deal in 50 days, 14 Jul 2025
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above (the three NABU rows, 22-24 Jul 2025, to each other).
DISTRACTORS: list[tuple[str, str]] = [
    ("pravda-uk-7416556", "event"),  # troops fight their way into Robotyne, 22 Aug 2023 (six days before it is declared liberated)
    ("empr-nabu-vote", "event"),  # the Rada passes law 12414 on NABU and SAPO, 22 Jul 2025 (the day before Zelensky's new bill)
    ("menafn-1109838941", "event"),  # Zelensky announces a bill restoring NABU's independence, 23 Jul 2025
    ("censor-en-3565107", "event"),  # Zelensky's NABU bill registered in the Rada, 24 Jul 2025
    ("lb-en-13875", "event"),  # Guterres in Borodianka, the day Kyiv was struck during his visit, 28 Apr 2022
    ("bagnet-1353665", "event"),  # drones destroy Il-76s at Pskov airfield, 30 Aug 2023 (two days after Robotyne)
    ("timeskharkiv-2022-11-23-ep", "event"),  # the European Parliament names Russia a state sponsor of terrorism, the day of the 23 Nov 2022 barrage
    ("kyivindependent-grain-resume-1102", "event"),  # Russia rejoins the grain deal, 2 Nov 2022 (two days after the 31 Oct strikes)
    ("rosbalt-2024-05-06-yadernye", "event"),  # Russia announces tactical nuclear drills, the eve of Putin's inauguration, 6 May 2024
    ("thenational-2025-03-13-putin-ceasefire", "event"),  # Putin on the 30-day ceasefire: "nuances", the day after his Kursk visit, 13 Mar 2025
    ("kyivindependent-kyivstar-restoring-1213", "event"),  # Kyivstar begins restoring its network, the day after the cyberattack, 13 Dec 2023
    ("dsnews-494476", "event"),  # an A-50 back over the Sea of Azov, five days after the one shot down, 19 Jan 2024
    ("firstinform-2025-04-26-druha-zustrich", "event"),  # the second Zelensky-Trump meeting in Rome does not happen, the day after Moskalik's killing, 26 Apr 2025
    ("rg-2024-05-15-rabotino", "event"),  # Russia claims Robotyne back, 15 May 2024 (the village Ukraine freed on 28 Aug 2023)
    ("babel-en-112201", "event"),  # another guided bomb on a Kharkiv high-rise, evening of 30 Oct 2024 (two months after 30 Aug)
    ("pledgetimes-putin-sevastopol-0318", "event"),  # Putin in Sevastopol on the annexation anniversary, 18 Mar 2023 (the evening before his Mariupol visit)
    ("unn-ru-karlson-data-vykhoda", "event"),  # Carlson announces when his Putin interview comes out, 8 Feb 2024 (the day before it does)
    ("leopolis-112738", "event"),  # Zelensky on the Victory Plan at a Brussels press conference, 17-18 Oct 2024 (two days after the Rada)
    ("megapolys-2025-04-29-kreml", "event"),  # the Kremlin answers Zelensky's 30-day ceasefire call, 29 Apr 2025 (the day after the Victory Day truce)
    ("interfax-uk-1091237", "event"),  # Trump says he will shorten his 50 days, 28 Jul 2025 (two weeks after setting them)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "fresh", DEVELOPMENTS, DISTRACTORS, "hd3")

if __name__ == "__main__":
    raise SystemExit(main())
