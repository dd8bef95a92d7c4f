"""Build ``held4/stream.jsonl``: the fourth held-out part of the cross-lingual set.

    .venv/bin/python bench/data/crosslingual/held4/build.py

Reads the real headlines in captured.jsonl (found in stored public news pages, with
provenance and, where the stored text shows one, the filing time), groups them into the
developments and distractors listed below (judged by reading, with the editor rule of
../README.md, "Dev part"), and writes one JSON object a line sorted by ``published``, in the
format of ``../held3/stream.jsonl`` with ``"part": "held4"``. Every row is a real report: no
translations, and no two versions of a development from one outlet's language editions.
Deterministic. Refuses to build when an item's title or URL is already in the main set, the
check, dev, fresh or held3 part, when a development has one language only, or when two of
its versions share an outlet (README.md, "Held-out part 4"). The part is held out: it is
scored once per frozen linker by the lead, and never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh
# and held3 parts.
OTHER_PARTS = held_part.files_through("held3")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["kyivindependent-gerasimov-0111", "meduza-2023-01-11-gerasimov", "autoparus-119384"],
     "event"),  # Gerasimov replaces Surovikin as commander of Russia's forces in Ukraine, 11 Jan 2023
    (["moscowtimes-a80856", "24tv-n2296091", "rbc-uk-1681722707"],
     "event"),  # Vladimir Kara-Murza sentenced to 25 years for treason, 17 Apr 2023
    (["kyivindependent-kniaziev-0515", "rycckienovosti-736629"],
     "event"),  # Supreme Court chairman Kniazev caught taking a $2.7 million bribe, evening of 15 May 2023
    (["euromaidanpress-2023-05-22-belgorod", "pravda-uk-7403336"],
     "event"),  # the Freedom of Russia Legion and the RDK cross into Belgorod region at Graivoron, 22 May 2023
    (["pravda-eng-7407958", "hromadske-radio-2023-06-22-chonhar", "520baby-8965-chongar"],
     "event"),  # missiles on the Chonhar road bridge between Kherson region and Crimea, night of 22 Jun 2023
    (["guardian-video-2023-jul-07-cluster", "ua-news-kasetni-2023-07-07"],
     "event"),  # Biden approves sending cluster munitions to Ukraine, announced by Sullivan, 7 Jul 2023
    (["jpost-749312", "wz-lviv-493498"],
     "event"),  # Zelensky brings five Azovstal commanders home from Turkey, 8 Jul 2023
    (["censor-en-3432605", "novayagazeta-ee-2023-07-21-strelkov"],
     "event"),  # Igor Girkin (Strelkov) detained in Moscow on extremism charges, 21 Jul 2023
    (["sputnikglobe-1109038959", "secretmag-2023-04-01-lavra"],
     "event"),  # a Kyiv court puts Metropolitan Pavel, the Lavra's abbot, under house arrest, 1 Apr 2023
    (["scotsman-4138649", "tve24-2023-05-11-podtverdil"],
     "event"),  # Wallace confirms in the Commons that the UK is sending Storm Shadow missiles, 11 May 2023
    (["kyivindependent-kryvyi-rih-0613", "polskieradio-en-3188013", "shpalta-2023-06-13-kryvyi-rih"],
     "event"),  # missiles on a five-storey block and a warehouse in Kryvyi Rih, night of 13 Jun 2023
    (["interfax-com-94303", "rg-2023-09-06-umerov"],
     "event"),  # the Rada appoints Rustem Umerov defence minister, 6 Sep 2023
    (["dunyanews-777735", "smotrim-3706587", "0564-3705316"],
     "event"),  # EU leaders decide to open accession talks with Ukraine while Orban leaves the room, 14 Dec 2023
    (["ksltv-618943", "dniprotv-2024-01-31-obmin", "moscow-baku-2024-01-31-obmen"],
     "event"),  # the first prisoner exchange since the Il-76 crash: 207 Ukrainians home, 195 Russians back, 31 Jan 2024
    (["devdiscourse-2606975", "newsru-il-25sep2023-abrams", "on-od-240959"],
     "event"),  # Zelensky: the first Abrams tanks are in Ukraine, 25 Sep 2023
    (["lb-en-26028", "kasparov-65ACD32CA1590", "lenta-2024-01-21-ust-luga"],
     "event"),  # drones set Novatek's terminal in the Baltic port of Ust-Luga on fire, 21 Jan 2024
    (["urdupoint-1792019", "rbc-ru-65bf947b9a794746ee73b047", "zaxid-n1579331"],
     "event"),  # a strike brings down a bakery in occupied Lysychansk, 28 dead, 3-4 Feb 2024
    (["wionews-697349", "censor-uk-3477285"],
     "event"),  # a ballistic missile on Odesa's port during Zelensky's visit with Mitsotakis, 6 Mar 2024
    (["bnnbreaking-crocus-2024-03-22", "alfa-news-3582", "ostro-i466113"],
     "event"),  # gunmen and fire at Crocus City Hall in Krasnogorsk before a Picnic concert, evening of 22 Mar 2024
    (["pravda-eng-7448225", "trud-1602341", "hromadske-radio-2024-03-26-danilov"],
     "event"),  # Zelensky dismisses Security Council secretary Danilov, appoints Lytvynenko, 26 Mar 2024
    (["babel-en-105549", "prokazan-alabuga-2024-04-02", "lb-ua-606432"],
     "event"),  # drones on the Alabuga zone's Shahed plant and dormitories in Yelabuga, Tatarstan, 2 Apr 2024
    (["pravda-eng-7454933", "smotrim-3942708"],
     "event"),  # the Rada dismisses deputy prime minister for restoration Kubrakov, 9 May 2024
    (["brecorder-40303339", "interfax-ua-986567", "daily-com-ua-20241217147"],
     "event"),  # Blinken's unannounced visit to Kyiv, morning of 14 May 2024
    (["jang-en-13949", "rusnewshub-2024-06-12-g7"],
     "event"),  # the G7 agrees a $50 billion loan for Ukraine from frozen Russian assets' profits, 12-13 Jun 2024
    (["infobalkans-2024-06-15-peace-summit", "novynarnia-2024-06-15-samit"],
     "event"),  # the Summit on Peace in Ukraine opens at Bürgenstock, 15 Jun 2024
    (["espreso-global-orban-kyiv", "fakty-ru-20240702-orban"],
     "event"),  # Orban's first visit to Kyiv since the invasion, proposing a ceasefire, 2 Jul 2024
    (["sputnikglobe-1119251599", "yamal-media-orban-moskva"],
     "event"),  # Orban lands in Moscow to meet Putin on his "peace mission", 5 Jul 2024 (three days after Kyiv)
    (["naija247-2024-07-19-gershkovich", "pravilamag-728289"],
     "event"),  # Evan Gershkovich sentenced to 16 years for espionage in Yekaterinburg, 19 Jul 2024
    (["citynews-2024-08-22-icc", "wz-lviv-518379", "topnews-odessa-350215"],
     "event"),  # the Rada ratifies the Rome Statute of the International Criminal Court, 21 Aug 2024
    (["kyivindependent-wsj-f16-crash-0829", "blitz-if-f16-0829", "day-kyiv-290824-f16",
      "smotrim-4117990"],
     "event"),  # the first F-16 lost and its pilot Oleksii Mes killed, announced 29 Aug 2024
    (["pravda-eng-7485139", "moscowtimes-a87041", "regionews-uk-1731888472"],
     "event"),  # a ballistic missile on a nine-storey block in Sumy, evening of 17 Nov 2024 (tolls the next day)
    (["moscowtimes-a87424", "repost-guru-75622", "partner-112-ua-50047"],
     "event"),  # Slovak prime minister Fico's unannounced talks with Putin in the Kremlin, 22 Dec 2024
    (["dunyanews-892606", "m24-810829"],
     "event"),  # Maj Gen Mikhail Gudkov, deputy commander of Russia's navy, killed in Kursk region, reported 3 Jul 2025
    (["pravda-eng-7522160", "1news-az-20250717125936415", "apostrophe-uk-346778"],
     "event"),  # the Rada appoints Yuliia Svyrydenko prime minister, 17 Jul 2025
    (["globalnews-11446961", "report-az-ru-tramp-territorii-2025-09-23", "zbruc-122475"],
     "event"),  # after meeting Zelensky at the UN, Trump writes Ukraine can win back all its land, 23 Sep 2025
    (["rbc-en-1760759602", "irtafax-2025-10-17-zustrich", "novynylive-288250",
      "tsn-ru-2936990"],
     "event"),  # Zelensky and Trump meet at the White House over Tomahawks, 17 Oct 2025
    (["1tv-2025-10-26-524309", "glavnoe-burevestnik-2025-10-26",
      "namibiadailynews-2025-10-26-burevestnik"],
     "event"),  # Putin announces the Burevestnik's tests complete, 26 Oct 2025
    (["interfax-en-1119453", "radiosvoboda-33586397"],
     "event"),  # NABU's operation Midas: the Energoatom kickback scheme, searches at Mindich's, 10 Nov 2025
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("wishtv-2023-09-25-sokolov", "event"),  # Ukraine claims the Black Sea Fleet's commander Sokolov was killed, 25 Sep 2023 (the day the Abrams arrived)
    ("euromaidanpress-2023-09-05-reznikov", "event"),  # the Rada dismisses defence minister Reznikov, 5 Sep 2023 (the day before Umerov's appointment)
    ("pravda-eng-7433163", "event"),  # Orban blocks the EU's 50 billion euros for Ukraine, night of 15 Dec 2023 (hours after the accession decision)
    ("novinite-225781", "event"),  # the US Senate passes the $95 billion aid package, 23-24 Apr 2024
    ("devdiscourse-2980807", "event"),  # a ballistic missile on Kryvyi Rih, 12 Jun 2024 (the same city a year after 13 Jun 2023)
    ("msk-news-522456", "event"),  # Putin orders the treaty with North Korea signed, 18 Jun 2024 (the preview of the Pyongyang treaty)
    ("novosti-n-276547", "event"),  # Biden: the first Abrams will arrive next week, 22 Sep 2023 (the announcement, three days before)
    ("aljazeera-2024-7-22-kurmasheva", "event"),  # Alsu Kurmasheva's 6.5-year sentence made public, 22 Jul 2024 (passed the day of Gershkovich's)
    ("pravda-eng-7472748", "event"),  # Zelensky dismisses Air Force commander Oleshchuk, 30 Aug 2024 (the day after the F-16 loss)
    ("unn-en-svyrydenko-submission-0716", "event"),  # Zelensky submits Svyrydenko's nomination to the Rada, 16 Jul 2025 (the day before the vote)
    ("liga-en-shmyhals-government-resigns", "event"),  # the Rada dismisses Shmyhal's government, 16 Jul 2025 (the day before Svyrydenko)
    ("newindianexpress-2025-oct-16-trump-putin", "event"),  # the Trump-Putin call agreeing on Budapest, 16 Oct 2025 (the eve of the White House meeting)
    ("realnoevremya-361318", "event"),  # Trump confirms he will receive Zelensky on 17 Oct, 14 Oct 2025 (the preview)
    ("babel-en-112696", "event"),  # Scholz's first call with Putin in two years, 15 Nov 2024 (two days before the Sumy strike)
    ("online-ua-en-888772", "event"),  # Vucic says Fico will meet Putin on Monday, 21 Dec 2024 (the preview; the talks came on Sunday)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held3", DEVELOPMENTS, DISTRACTORS, "hd4")

if __name__ == "__main__":
    raise SystemExit(main())
