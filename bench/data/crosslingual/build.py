"""Build ``stream.jsonl``: the cross-lingual development benchmark (issue 13).

    .venv/bin/python bench/data/crosslingual/build.py [--feeds ../shared/feeds/real]

Reads the real feed documents listed in FEEDS with feedparser and the captured real
headlines in captured.jsonl (headline data found in public repositories, with provenance),
takes the items named in DEVELOPMENTS and DISTRACTORS below (chosen by hand: Russia's war in
Ukraine or its direct consequences only), adds the hand translations from translations_*.py,
and writes one JSON object a line sorted by ``published``. Deterministic: the same feeds and
capture give the same file. See README.md for how the selection and the translations were
made.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parents[2]))  # the repository: the service's feed parser

from workers.parse import parse_feed  # noqa: E402

from translations_en import TR as TR_EN  # noqa: E402
from translations_ru import TR as TR_RU  # noqa: E402
from translations_uk import TR as TR_UK  # noqa: E402

TRANSLATIONS = {**TR_EN, **TR_RU, **TR_UK}
CAPTURE = HERE / "captured.jsonl"
# NewsAPI appends " - <outlet>" to every headline (the outlet's own feed has no such tail),
# and gives a fixed placeholder instead of a summary for some outlets: both are dropped.
NEWSAPI_TAIL = re.compile(r" - (?:УНИАН|Медиазона|Коммерсантъ|Корреспондент|URA\.RU)$")
PLACEHOLDER_LEADS = {"Подробнее на сайте", "Читайте на URA.RU"}

# short name -> (feed file under shared/feeds/real/, outlet name, feed language)
FEEDS = {
    "bbcw": ("kagisearch-fastfeedparser__1796df62c4a287cc", "BBC News", "en"),
    "wapo": ("kagisearch-fastfeedparser__4bf53cb602417030", "The Washington Post", "en"),
    "nyt": ("kagisearch-fastfeedparser__78f77fae2e1ffc14", "The New York Times", "en"),
    "cbs": ("kagisearch-fastfeedparser__0c1cef22da7ddc10", "CBS News", "en"),
    "jt": ("kagisearch-fastfeedparser__18138c717652f678", "Japan Today", "en"),
    "abc": ("kagisearch-fastfeedparser__f9c17f360c71def1", "ABC News", "en"),
    "ndtv": ("kagisearch-fastfeedparser__08f1ee71883dbcde", "NDTV", "en"),
    "time": ("kagisearch-fastfeedparser__9f9555d69283aeda", "TIME", "en"),
    "fp": ("kagisearch-fastfeedparser__d87c1681464979cc", "Foreign Policy", "en"),
    "csm": ("kagisearch-fastfeedparser__4179e7a13df0f120", "The Christian Science Monitor", "en"),
    "econ": ("kagisearch-fastfeedparser__960551eca5b5db81", "The Economist", "en"),
    "week": ("kagisearch-fastfeedparser__16dc10cf98d1ee82", "The Week", "en"),
    "almon": ("kagisearch-fastfeedparser__72fea1ebfd02e90a", "Al-Monitor (Reuters)", "en"),
    "bbcru": ("egfedorov-rss-parser__bbc.xml", "BBC News Русская служба", "ru"),
    "svoboda": ("egfedorov-rss-parser__svoboda.xml", "Радио Свобода", "ru"),
    "theins": ("egfedorov-rss-parser__feed_theins.xml", "The Insider", "ru"),
    "dossier": ("egfedorov-rss-parser__dossier.xml", "Центр «Досье»", "ru"),
    "holod": ("egfedorov-rss-parser__feed_holod.xml", "Холод", "ru"),
    "novaya": ("egfedorov-rss-parser__feed_novaya.xml", "Новая газета Европа", "ru"),
    "texty": ("egfedorov-rss-parser__texty.xml", "Texty.org.ua", "uk"),
    "donbass": ("egfedorov-rss-parser__donbass.xml", "Новости Донбасса", "ru"),
    "verstka": ("egfedorov-rss-parser__verstka.xml", "Верстка", "ru"),
    "idel": ("egfedorov-rss-parser__idel_int.xml", "Idel.Реалии", "ru"),
}
LANGUAGE_OVERRIDE = {"dossier-55": "en"}  # the Dossier Center's English version of item 54
SOURCE_OVERRIDE = {"dossier-55": "Dossier Center"}

# Developments: (real items reporting it, kind). kind "event": a strike, meeting, statement,
# arrest, decision, release of documents; "report": an investigation, feature, interview or
# analysis with its own specific finding. Every real item listed is one version; the
# translations of each (translations_*.py) are the others.
DEVELOPMENTS: list[tuple[list[str], str]] = [
    # English originals (February 2026 unless noted)
    (["jt-4", "bbcw-5", "abc-7", "nyt-11"], "event"),  # Geneva talks, day one (17 Feb)
    (["cbs-28"], "event"),  # third round of talks confirmed (13 Feb)
    (["wapo-8", "jt-16"], "event"),  # Galushchenko detained, then charged (15-16 Feb)
    (["ndtv-2"], "event"),  # Zelensky: Trump's undue pressure (Axios, 18 Feb)
    (["time-59"], "event"),  # Zelensky's Davos speech (22 Jan)
    (["fp-10"], "event"),  # Lindsey Graham in Munich (14 Feb)
    (["bbcw-15"], "event"),  # France releases shadow-fleet tanker (17 Feb)
    (["fp-7"], "event"),  # Munich Security Conference ends (15 Feb)
    (["bbcw-20"], "report"),  # food prices in Russia (18 Feb)
    (["nyt-37"], "report"),  # Sedanka, "village of military valor" (16 Feb)
    (["csm-6"], "report"),  # Ukrainians weigh land for peace (17 Feb)
    (["week-3"], "report"),  # Putin's shadow war (17 Feb)
    (["econ-50"], "event"),  # Putin's visit to India (4 Dec 2025)
    (["econ-285"], "report"),  # North Korean troops (15 Jan 2025)
    # Russian-language originals
    (["holod-18"], "event"),
    (["novaya-0"], "event"),
    (["novaya-6"], "event"),
    (["novaya-8"], "event"),
    (["novaya-11"], "event"),
    (["novaya-19"], "event"),
    (["novaya-27"], "report"),
    (["novaya-41"], "event"),
    (["bbcru-5"], "event"),
    (["bbcru-10"], "report"),
    (["bbcru-14"], "report"),
    (["bbcru-18"], "report"),
    (["bbcru-27"], "report"),
    (["verstka-0"], "report"),
    (["verstka-1"], "report"),
    (["verstka-2"], "report"),
    (["verstka-12"], "report"),
    (["donbass-0"], "report"),
    (["donbass-1"], "report"),
    (["donbass-2"], "event"),
    (["donbass-3"], "report"),
    (["donbass-6"], "report"),
    (["donbass-8"], "report"),
    (["donbass-9"], "report"),
    (["donbass-10"], "report"),
    (["donbass-12"], "report"),
    (["donbass-13"], "report"),
    (["donbass-14"], "report"),
    (["donbass-16"], "report"),
    (["donbass-17"], "report"),
    (["donbass-19"], "event"),
    (["donbass-20"], "report"),
    (["theins-1"], "report"),
    (["theins-2"], "report"),
    (["theins-3"], "report"),
    (["theins-6"], "report"),
    (["theins-7"], "report"),
    (["theins-19"], "report"),
    (["theins-20"], "report"),
    (["theins-22"], "report"),
    (["theins-25"], "report"),
    (["theins-27"], "report"),
    (["theins-28"], "report"),
    (["theins-29"], "report"),
    (["theins-31"], "report"),
    (["theins-34"], "event"),
    (["svoboda-0"], "report"),
    (["svoboda-1"], "report"),
    (["svoboda-3"], "report"),
    (["svoboda-4"], "report"),
    (["svoboda-5"], "report"),
    (["svoboda-8"], "report"),
    (["svoboda-9"], "report"),
    (["svoboda-11"], "report"),
    (["svoboda-13"], "report"),
    (["svoboda-14"], "report"),
    (["svoboda-23"], "report"),
    (["svoboda-27"], "report"),
    (["svoboda-28"], "report"),
    (["idel-1"], "report"),
    (["dossier-20"], "report"),
    (["dossier-22"], "report"),
    (["dossier-41"], "report"),
    (["dossier-50"], "report"),
    (["dossier-54", "dossier-55"], "report"),  # one interview, published in Russian and English
    (["dossier-62"], "report"),
    (["dossier-63"], "report"),
    (["dossier-67"], "report"),
    (["dossier-76"], "report"),
    (["dossier-87"], "report"),
    (["dossier-89"], "report"),
    (["dossier-93"], "report"),
    (["dossier-94"], "report"),
    (["dossier-113"], "report"),
    (["dossier-125"], "report"),
    (["dossier-127"], "report"),
    (["dossier-130"], "report"),
    (["dossier-131"], "report"),
    (["dossier-37"], "report"),
    # Ukrainian originals
    (["texty-1"], "report"),
    (["texty-4"], "report"),
    (["texty-6"], "report"),
    (["texty-9"], "report"),
    # Captured real headlines (captured.jsonl). Ukrinform (uk), 1-7 May 2023: daily losses
    # and regional summaries of consecutive days, the General Staff, the Rada, the SBU,
    # statements of the same day
    (["ukrinform-3702941"], "event"),  # losses: 190,960 (1 May)
    (["ukrinform-3703928"], "event"),  # losses: 191,940 (3 May)
    (["ukrinform-3703012"], "event"),  # regional summary: 11 oblasts (1 May)
    (["ukrinform-3703575"], "event"),  # regional summary: nine oblasts (2 May)
    (["ukrinform-3704026"], "event"),  # regional summary: 11 regions (3 May)
    (["ukrinform-3704553"], "event"),  # regional summary: ten oblasts (4 May)
    (["ukrinform-3705525"], "event"),  # regional summary: nine regions (6 May)
    (["ukrinform-3705879"], "event"),  # regional summary: nine oblasts (7 May)
    (["ukrinform-3702924"], "event"),  # General Staff: 36 attacks repelled (1 May)
    (["ukrinform-3703675"], "event"),  # Rada extends martial law by 90 days (2 May)
    (["ukrinform-3703877"], "event"),  # President awards 63 service members (2 May)
    (["ukrinform-3703640"], "event"),  # SBU: dealers who financed "DPR" (2 May)
    (["ukrinform-3703814"], "event"),  # Rada: ban fish and timber from Russia (2 May)
    (["ukrinform-3704829"], "event"),  # Zelensky and Rutte (4 May)
    (["ukrinform-3702909"], "event"),  # US volunteer killed in Bakhmut (1 May)
    (["ukrinform-3702927"], "event"),  # 18 cruise missiles, Zaluzhnyi (1 May)
    (["ukrinform-3703038"], "report"),  # ISW: no commander appointed (1 May)
    (["ukrinform-3703134"], "event"),  # Reznikov: Leopards and Challengers (1 May)
    (["ukrinform-3703164"], "event"),  # Ukraine asks Japan for EW (1 May)
    (["ukrinform-3703077"], "event"),  # petition on payments (1 May)
    # Ukrinform (uk), Aug-Nov 2023: visits, meetings, an SBU case
    (["ukrinform-3747976"], "event"),  # German finance minister in Kyiv (14 Aug)
    (["ukrinform-3767199"], "event"),  # French defence minister in Kyiv (28 Sep)
    (["ukrinform-3773482"], "event"),  # G7 finance ministers in Morocco (13 Oct)
    (["ukrinform-3793929"], "event"),  # OSCE Ministerial Council (30 Nov)
    (["ukrinform-3793711"], "event"),  # SBU: ex-accountant, "LPR deputy minister" (30 Nov)
    # Ukrinform (en), 2-3 April 2022: Kyiv region after the Russian withdrawal
    (["ukrinform-en-3446903"], "event"),  # Yermak on the Pope's visit
    (["ukrinform-en-3446926"], "event"),  # Kyiv region liberated, Defence Ministry
    (["ukrinform-en-3446994"], "event"),  # 600 explosive items in Irpin
    (["ukrinform-en-3447069"], "event"),  # village head found dead
    (["ukrinform-en-3447075"], "event"),  # women killed near Kyiv
    # a NewsAPI response (ru), 9 October 2022
    (["newsapi-unian-12004665"], "event"),  # UNIAN: 80 occupiers in the south
    (["newsapi-zona-putin"], "event"),  # Putin calls the bridge blast terrorism
    (["newsapi-kommersant-5606453"], "event"),  # Belarus: border bridges blown up
    (["newsapi-korrespondent-4524231"], "event"),  # Zaporizhzhia toll rises
    (["newsapi-ura-1052593630"], "event"),  # Putin-Grossi talks this week
    # stored news pages, 15-16 September 2025: each development reported by real outlets in
    # two or three languages (no translation), updated tolls of one attack in one development
    (
        [
            "unn-uk-kharkiv-0916",
            "unn-ru-kharkiv-0916",
            "unn-en-kharkiv-0916",
            "menafn-1110067444",
            "novyny-live-281239",
        ],
        "event",
    ),  # drone strike on Kharkiv's Slobidskyi district, three injured (16 Sep)
    (
        [
            "interfax-ua-1104859",
            "censor-ua-3574274",
            "unn-uk-zaporizhzhia-0916",
            "zaxid-1619277",
            "pravda-en-7531044",
            "unn-en-zaporizhzhia-0916",
            "interfax-en-1105058",
            "censor-en-3574267",
        ],
        "event",
    ),  # overnight strike on Zaporizhzhia, toll rising from 7 to 20 injured (15-16 Sep)
    (
        [
            "novyny-live-281081",
            "novyny-live-ru-281081",
            "espreso-sirskyi-0915",
            "newdaynews-861236",
            "zaxid-1619273",
        ],
        "event",
    ),  # Syrskyi dismisses two corps commanders, then the General Staff confirms (15 Sep)
    (
        ["unn-uk-kyivregion-0916", "rbc-ua-1758007166", "racurs-n209111"],
        "event",
    ),  # drone attack on Kyiv region, logistics centre warehouses on fire (16 Sep)
]

# Official video addresses of 14-31 March 2022 (Amice13/resistinua, captured.jsonl): each
# video's Ukrainian title and its official English title, both real (ids
# resistinua-<lang>-<video id>); a day's humanitarian-corridor plan and results are one
# development (a follow-up with new details). One tuple of video ids a development.
VIDEO_ADDRESSES: list[tuple[str, ...]] = [
    ("BZ_D0iLdZ6o",),  # Volunteer Day address (14 Mar)
    ("y5ckCSUZ0D0", "5fdT4egZiJU"),  # humanitarian corridors of 14 Mar: plan, then results
    ("TefJF6KLNmY",),  # evening address of 14 Mar: responsibility for war crimes
    ("Qro8cVXj_IU",),  # speech to the Joint Expeditionary Force leaders (15 Mar)
    ("B38hBtaKE3Q",),  # Shmyhal's address of 15 Mar: tax and business measures
    ("5Y7-OrzKydw",),  # humanitarian corridors of 15 Mar
    ("UvzW0Vt6hO0",),  # statement after meeting the Polish, Czech and Slovenian leaders (15 Mar)
    ("HXIPiuXraik",),  # evening address of 15 Mar: resilience of our defenders
    ("k7Kb5KPPoHE", "vnAV9TRna54"),  # humanitarian corridors of 16 Mar: plan, then results
    ("oj6HTztCLM8",),  # address of 16 Mar: an international tribunal
    ("ysM-la0KB0A",),  # conversation with ICC prosecutor Karim Khan (16 Mar)
    ("6viGEEi7JjU",),  # speech to the US Congress (16 Mar)
    ("nLRzT24BvRU",),  # evening address of 16 Mar: Russia a terrorist state
    ("BIN3R0qOAPY", "BoN7iEkAKaw"),  # humanitarian corridors of 17 Mar: plan, then results
    ("YtDifMeMC68",),  # speech to the Bundestag (17 Mar)
    ("AO-Xx36Lkfg",),  # visit to wounded Kyiv-region residents in hospital (17 Mar)
    ("LO9jWcp888M",),  # awards to State Emergency Service staff (17 Mar)
    ("mv65UD6SqK0",),  # evening address of 17 Mar: our tactics
    ("7Bnlef5HWmE", "onOohxdOdEw"),  # humanitarian corridors of 18 Mar: plan, then results
    ("88iUSVVvpB8",),  # address of 18 Mar: Russia will destroy its last 25 years
    ("Tp0YYZdrIY4",),  # Shmyhal on customs procedures (18 Mar)
    ("b58zuFHkVOA",),  # Yermak on military bonds (18 Mar)
    ("xDiT-RaceKo",),  # evening address of 18 Mar: talks Russia's only chance
    ("mac2cQ85wRk",),  # humanitarian corridors agreed for 19 Mar
    ("80qTJOLk1sI",),  # address to the people of Switzerland (19 Mar)
    ("oKW2yOwVvtQ",),  # evening address of 19 Mar: terror's consequences, parties suspended
    ("b551GvdS6Xo", "d00Lmalc-iM"),  # humanitarian corridors of 20 Mar: plan, then results
    ("jt_CPMYawQs",),  # speech in the Knesset (20 Mar)
    ("UYi86RI2sC8",),  # evening address of 20 Mar: the whole world friends of Ukraine
    ("j_azFeQ9o9Y", "rhuMWtP4rOI"),  # humanitarian corridors of 21 Mar: plan, then results
    ("b5FaRe_DOus",),  # address to the citizens of Germany (21 Mar)
    ("K8pi2B8-Djc",),  # address of 21 Mar: Kherson, drive the occupiers out
    ("68ragcCVMH0",),  # evening address of 21 Mar: another day closer to victory
    ("CFyAeJwNIeg",),  # interview to world public broadcasters (22 Mar)
    ("L75CdsEaIO4", "EemItMwcdjU"),  # humanitarian corridors of 22 Mar: plan, then results
    ("I6-OklpB2ac",),  # speech to the Italian Chamber of Deputies (22 Mar)
    ("mIfAeDGjSq8",),  # Yermak at Chatham House (22 Mar)
    ("-K1NlX4TFb0",),  # evening address of 22 Mar: the week of G7, NATO, EU summits
    ("WQeRZUMwZxg",),  # speech in the Japanese Diet (23 Mar)
    ("3XOzz-P3o88", "AZ_ITlqI5ag"),  # humanitarian corridors of 23 Mar: plan, then results
    ("X1X3yB6DTm8", "EE5Z8zAdSTo"),  # humanitarian corridors of 24 Mar: plan, then results
    ("V7BjNEwT5O4", "Z2jSeSznuXs"),  # humanitarian corridors of 25 Mar: plan, then results
    ("oQtm1J4hR-c", "hnY6rWlPmfM"),  # humanitarian corridors of 26 Mar: plan, then results
    ("tGpkFAJAYZE", "JE69OHEb9KY"),  # humanitarian corridors of 27 Mar: plan, then results
    ("pRSweP0DszY",),  # humanitarian corridors of 29 Mar: plan
    ("nCWRSCOqFnQ", "KxMcHXJy2YI"),  # humanitarian corridors of 30 Mar: plan, then results
    ("H61QiZpvDoM", "-fQDQhdyUwY"),  # humanitarian corridors of 31 Mar: plan, then results
    ("HEHKqfhxo6U",),  # speech to the French Senate and National Assembly (23 Mar)
    ("8lPVIYP1ZXE",),  # address to Ukrainians and the world: rallies from 24 Mar
    ("AUUnNToFx18",),  # speech at the NATO summit (24 Mar)
    ("olUWGHVkQF8",),  # speech in the Swedish Riksdag (24 Mar)
    ("02wiWKK8KkE",),  # address to the G7 summit (24 Mar)
    ("uGpZ9jgtZHk",),  # speech at the European Council (24 Mar)
    ("f63-Pj1Ii-g",),  # evening address of 24 Mar: a month of war, four hero cities
    ("NLaiJ2vASlM",),  # evening address of 25 Mar: talk is necessary
    ("RvTkh_9OC1o",),  # Yermak at the Atlantic Council (25 Mar)
    ("eqEWQXbIaC8",),  # Shmyhal's address of 25 Mar
    ("wP_KbDGDGk4",),  # Zelensky at the Doha Forum (26 Mar)
    ("WRTzdG3zKX4",),  # address of 26 Mar: Slavutych, the National Guard
    ("f6A7bKGJpEQ",),  # evening address of 27 Mar: a busy week, Russian censors
    ("-4F3XDkqDhY",),  # evening address of 28 Mar: Irpin liberated
    ("9VznmWF2Tpo",),  # speech in the Danish Folketing (29 Mar)
    ("9oQ_gM0z23I",),  # evening address of 29 Mar: signals from the talks
    ("7l-TXrl48Hw",),  # Yermak's briefing of 29 Mar
    ("wz4yNeabxLg",),  # speech in the Norwegian Storting (30 Mar)
    ("TcrDFyYDL7U",),  # evening address of 30 Mar: every metre of our land
    ("9TJfjJWge8c",),  # speech in the Australian Parliament (31 Mar)
    ("Mmi-T8r2kFU",),  # speech in the Dutch States General (31 Mar)
    ("W3DOirN9beo",),  # Shmyhal's address of 31 Mar
    ("ENHxz0w6Zrs",),  # speech in the Belgian Federal Parliament (31 Mar)
]
VIDEO_INTERVIEWS = {"CFyAeJwNIeg"}  # kind "report"; every other video is an event
DEVELOPMENTS += [
    (
        [f"resistinua-{lang}-{video}" for video in videos for lang in ("uk", "en")],
        "report" if set(videos) & VIDEO_INTERVIEWS else "event",
    )
    for videos in VIDEO_ADDRESSES
]

# Distractors: one version only, each its own development. Real ones stay in their own
# language; "translated" ones appear only in translation (the original is left out), so
# that every language has unpaired items. The comment names the development it is hard
# against, where there is one.
DISTRACTORS_REAL: list[tuple[str, str]] = [
    ("nyt-0", "report"),  # same day as the Geneva talks: a year of Trump's peace effort
    ("almon-1", "report"),  # same day: US envoys juggle Iran and Ukraine talks
    ("econ-95", "report"),  # India and Russian oil (Oct 2025)
    ("econ-128", "report"),  # India and Russian oil (Aug 2025)
    ("novaya-18", "report"),  # Mariupol in Minecraft vs. the Mariupol developments
    ("bbcru-25", "report"),  # video: the front in 2025
    ("verstka-6", "report"),  # prosthetics industry
    ("donbass-15", "report"),  # industry seized in occupied territories
    ("donbass-21", "report"),  # who builds Mariupol (vs. donbass-9, 11 days earlier)
    ("theins-13", "report"),  # Japanese machine tools (vs. theins-2, Austrian ones)
    ("svoboda-16", "report"),  # Cuban recruitment cartel (vs. verstka-0, Cubans fined)
    ("dossier-86", "report"),  # Ivanov's arrested friend (vs. dossier-87, dossier-63)
    ("dossier-115", "report"),  # GRU sabotage guide (vs. dossier-94, GRU in Europe)
    ("texty-7", "report"),  # war and Ukrainians' sleep
    (
        "dossier-21",
        "report",
    ),  # Kremlin manuals for public figures (vs. dossier-20, manuals for schools)
    ("ukrinform-3703896", "event"),  # Kyiv region air danger (3 May 2023)
    ("ukrinform-3766054", "event"),  # Canada's defence minister in Britain (26 Sep 2023)
    ("newsapi-ura-1052593623", "event"),  # West wants concessions, Putin's council member
    ("newsapi-ura-1052593641", "event"),  # EU changes its approach to sanctions
    ("unn-en-rubio-0916", "event"),  # Rubio: Trump may meet Zelensky (16 Sep 2025)
    ("liga-ua-kyivregion-0918", "event"),  # Kyiv region, the night of 18 Sep (vs 16 Sep)
    ("rbc-ua-1758323274", "event"),  # drones over Saratov, refinery on fire (20 Sep 2025)
    ("kyivindependent-roundup-0917", "event"),  # the past day's strikes across Ukraine (17 Sep)
    ("cherkasy-city-0917", "event"),  # Cherkasy region substation hit (17 Sep 2025)
    ("interfax-ua-1104748", "event"),  # Sumy region, five civilians injured (15 Sep 2025)
    ("interfax-ua-1106774", "event"),  # Sumy region, two civilians injured (23 Sep 2025)
    ("resistinua-uk-OUHkL-_aYeA", "event"),  # Zelensky answers Russian media (27 Mar 2022)
    ("resistinua-uk-vKHOIDYvNgg", "event"),  # Arestovych's briefing of 26 Mar 2022
    ("resistinua-en-UhlPX0fXWY8", "event"),  # Arestovych's briefing of 24 Mar 2022
    ("resistinua-uk-cHfl0ivXmN8", "event"),  # speech to the Canadian Parliament (15 Mar 2022)
    ("resistinua-en-XD6AM4UkfNY", "event"),  # Arestovych's briefing of 20 Mar 2022
]
DISTRACTORS_TRANSLATED: list[tuple[str, str, str]] = [
    ("bbcru-4", "uk", "report"),
    ("donbass-22", "uk", "report"),
    ("idel-4", "uk", "report"),
    ("dossier-109", "uk", "report"),  # shadow fleet near Cyprus (vs. dossier-127, bbcw-15)
    ("novaya-25", "en", "report"),
    ("donbass-7", "en", "report"),
    ("theins-14", "en", "report"),  # import bottlenecks (vs. theins-31)
    ("dossier-114", "en", "report"),  # defence industry under sanctions (vs. theins-31)
    ("theins-10", "en", "report"),  # opinion: how China could stop the war
    ("novaya-13", "uk", "report"),  # Russian sport's fourth year in isolation
    ("ukrinform-3704895", "ru", "event"),  # Zaporizhzhia curfew unchanged (4 May 2023)
    ("ukrinform-3760594", "en", "event"),  # UK foreign secretary to Turkey (13 Sep 2023)
    ("ukrinform-3780019", "en", "event"),  # G7 ministers condemn grain attacks (29 Oct 2023)
]

# Outlets a translated version is attributed to (synthetic: marked so in every row).
OUTLETS = {
    "uk": [
        "Укрінформ",
        "Українська правда",
        "BBC News Україна",
        "Суспільне Новини",
        "hromadske",
        "Радіо Свобода",
        "LB.ua",
    ],
    "en": [
        "Kyiv Independent",
        "Ukrinform",
        "Ukrainska Pravda",
        "RFE/RL",
        "Meduza",
        "The Moscow Times",
        "Kyiv Post",
    ],
    "ru": [
        "Медуза",
        "Укринформ",
        "Настоящее время",
        "DW на русском",
        "Новая газета Европа",
        "BBC News Русская служба",
        "Радио Свобода",
    ],
}
MAX_TEXT = 300
WHERE = ("feed_file", "feed_entry", "capture")  # where a real item (or its original) is


def _h(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16)


def clean(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text or "")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def trim(text: str, limit: int = MAX_TEXT) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


def parse_date(entry) -> datetime:
    raw = entry.get("published") or entry.get("updated") or ""
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        value = datetime.fromisoformat(re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", raw))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def load_captured(path: Path = CAPTURE) -> dict[str, dict]:
    """The captured real headlines by id, as the stream shows them: NewsAPI's outlet tail
    and placeholder leads dropped, the lead cut like a feed summary."""
    out: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        lead = clean(item["text"])
        out[item["id"]] = {
            "id": item["id"],
            "title": NEWSAPI_TAIL.sub("", clean(item["title"])),
            "text": "" if lead in PLACEHOLDER_LEADS else trim(lead),
            "published": datetime.fromisoformat(item["published"]),
            "source": item["source"],
            "url": item["url"],
            "language": item["language"],
            "origin": "real",
            "capture": path.name,
            # no filing time: published is 00:00 of that day in the outlet's zone
            **({"date_only": True} if item.get("date_only") else {}),
        }
    return out


def load_real(feeds_dir: Path, wanted: set[str]) -> dict[str, dict]:
    import feedparser

    captured = load_captured()
    out: dict[str, dict] = {rid: captured[rid] for rid in wanted if rid in captured}
    by_feed: dict[str, list[int]] = {}
    for rid in wanted - set(captured):
        short, idx = rid.rsplit("-", 1)
        by_feed.setdefault(short, []).append(int(idx))
    for short, indexes in by_feed.items():
        file_name, outlet, language = FEEDS[short]
        path = feeds_dir / file_name
        if not path.is_file():
            raise SystemExit(f"feed file not found: {path} (pass --feeds)")
        parsed = feedparser.parse(str(path))
        # The service's reading of each date (workers/date_only.py): a feed that stamps
        # every item 00:00, or one placeholder hour (Radio Svoboda's 12:00), gives the day
        # only, and the row says so as a captured one does (the day's 00:00, date_only).
        served = parse_feed(path.read_bytes(), f"https://feeds.example.org/{file_name}").entries
        assert len(served) == len(parsed.entries), f"{file_name}: entries differ"
        for idx in indexes:
            entry = parsed.entries[idx]
            rid = f"{short}-{idx}"
            title = clean(entry.get("title", ""))
            summary = clean(entry.get("summary", ""))
            day = served[idx].published if served[idx].published_date_only else None
            out[rid] = {
                "id": rid,
                "title": title,
                "text": trim(summary),
                "published": parse_date(entry) if day is None else day,
                "source": SOURCE_OVERRIDE.get(rid, outlet),
                "url": entry.get("link", ""),
                "language": LANGUAGE_OVERRIDE.get(rid, language),
                "origin": "real",
                "feed_file": f"real/{file_name}",
                "feed_entry": idx,
                **({"date_only": True} if day is not None else {}),
            }
    return out


def translated_row(real: dict, lang: str, role_seed: str) -> dict:
    title, text = TRANSLATIONS[real["id"]][lang]
    outlets = [o for o in OUTLETS[lang] if o != real["source"]]
    outlet = outlets[_h(real["id"], lang, "outlet") % len(outlets)]
    # other-language outlets report later: 8 minutes to 6 hours after the original
    delay = timedelta(minutes=8 + _h(real["id"], lang, role_seed) % (6 * 60 - 8))
    slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-") or "outlet"
    return {
        "id": f"{real['id']}.{lang}",
        "title": title,
        "text": text,
        "published": (real["published"] + delay).astimezone(UTC),
        "source": outlet,
        "url": f"https://example.org/{lang}/{slug}/{real['id']}",
        "language": lang,
        "origin": "translated",
        "translated_from": real["id"],
        "synthetic": True,
        **{k: real[k] for k in WHERE if k in real},
        # a translation of a report dated by its day only is dated from it: any time of
        # that day, the delay later
        **({"date_only": True} if real.get("date_only") else {}),
    }


def build(feeds_dir: Path) -> list[dict]:
    wanted = {rid for reals, _ in DEVELOPMENTS for rid in reals}
    wanted |= {rid for rid, _ in DISTRACTORS_REAL}
    wanted |= {rid for rid, _, _ in DISTRACTORS_TRANSLATED}
    real = load_real(feeds_dir, wanted)

    groups: list[tuple[str, str, list[dict]]] = []  # (role, kind, rows)
    for reals, kind in DEVELOPMENTS:
        rows = [dict(real[rid]) for rid in reals]
        for rid in reals:
            for lang in TRANSLATIONS.get(rid, {}):
                rows.append(translated_row(real[rid], lang, "dev"))
        groups.append(("development", kind, rows))
    for rid, kind in DISTRACTORS_REAL:
        groups.append(("distractor", kind, [dict(real[rid])]))
    for rid, lang, kind in DISTRACTORS_TRANSLATED:
        row = translated_row(real[rid], lang, "distractor")
        row["original_withheld"] = True
        groups.append(("distractor", kind, [row]))

    # development ids in order of each development's first report, the feed part first and
    # then the captured part, so that adding captured items leaves the earlier ids as they were
    groups.sort(
        key=lambda g: ("capture" in g[2][0], min(r["published"] for r in g[2]), g[2][0]["id"])
    )
    stream: list[dict] = []
    for number, (role, kind, rows) in enumerate(groups, 1):
        for row in rows:
            row["development"] = f"dev-{number:03d}"
            row["role"] = role
            row["kind"] = kind
            stream.append(row)
    stream.sort(key=lambda r: (r["published"], r["id"]))
    order = [
        "id",
        "title",
        "text",
        "published",
        "source",
        "url",
        "language",
        "development",
        "role",
        "kind",
        "origin",
        "translated_from",
        "synthetic",
        "original_withheld",
        "feed_file",
        "feed_entry",
        "capture",
        "date_only",
    ]
    out = []
    for row in stream:
        row["published"] = row["published"].isoformat()
        out.append({k: row[k] for k in order if k in row})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_feeds = HERE.parents[3] / "shared" / "feeds" / "real"  # ../shared beside the repo
    parser.add_argument("--feeds", type=Path, default=default_feeds)
    parser.add_argument("--out", type=Path, default=HERE / "stream.jsonl")
    args = parser.parse_args(argv)
    rows = build(args.feeds)
    with args.out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
