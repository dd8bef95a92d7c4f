"""``held18/stream.jsonl``, the eighteenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held18/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is news in general, none of it the war
in Ukraine, from July 2025 and from late December 2025 to January 2026: an air force jet on a
school, border clashes and, five months on, a ceasefire between the same two countries, two
deaths of film and fashion icons, a fire in a bar and a church fire on New Year's night, a head
of state captured and, hours later, his photograph in custody, two days on his plea in court and
his deputy sworn in, a tanker seized in the North Atlantic, a withdrawal from 66 international
organisations, tariffs announced over Greenland, a rail crash. Several distractors are other
steps of the same affairs within hours or days (talks opened three days before the ceasefire, an
emergency declared before the capture, supporters demanding proof of life, a plan to run the
country announced after the photograph, a foreign minister's and a president's statements after
the bar fire, the tariff threat the evening before the tariffs, a ministry's statement after the
crash, another derailment two days later) and others are events of the same days (a rock
singer's death, a recognition of a breakaway state, a former prime minister's death). The build
stops on a title or URL that the main set or an earlier part already has, on a development in
one language, and on two versions of one development from one outlet. Held out (README.md,
"Held-out part 18"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held17 parts.
OTHER_PARTS = held_part.files_through("held17")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["karpat-podiji-212259", "xinhua-ru-20250721-bangladesh-crash"],
     "event"),  # an air force training jet crashes into a school and college in Dhaka, 21 Jul 2025 (Dhaka)
    (["nv-ru-50532112", "novyny-live-en-269672"],
     "event"),  # Thailand and Cambodia clash on the disputed border, Thai F-16s strike, 24 Jul 2025
    (["rbc-ua-1766797572", "zakon-kz-6502638", "globaltimes-1351619"],
     "event"),  # Thailand and Cambodia agree and sign a ceasefire at the border talks, 27 Dec 2025
    (["glavnoe-in-ua-pomerla-brizhyt-bardo", "inform-kz-umerla-brizhit-bardo"],
     "event"),  # Brigitte Bardot dies at 91, her foundation announces, 28 Dec 2025
    (["news-ru-ozvucheny-strashnye-posledstviya-pozhara", "interfax-ua-1132971", "adaderana-116650"],
     "event"),  # a fire in a bar at Crans-Montana kills several people on New Year's night, 1 Jan 2026 (Switzerland)
    (["ria-20260101-amsterdam-2065909986", "interfax-ua-1132938"],
     "event"),  # the Vondelkerk church burns in Amsterdam, its tower falls, night of 1 Jan 2026
    (["pukmedia-en-80080", "inform-kz-prezident-venesuely-zahvachen"],
     "event"),  # Trump: US forces captured Maduro and his wife and flew them out of Venezuela, 3 Jan 2026
    (["eurointegration-7228323", "sud-ua-ru-350023", "radaronline-trump-photo-maduro"],
     "event"),  # Trump posts a photograph of Maduro in custody aboard the USS Iwo Jima, 3 Jan 2026
    (["news-ru-ya-delayu-eto-s-bolyu-venesuela", "qazinform-en-delcy-rodriguez-sworn-in-bbf7d5"],
     "event"),  # Delcy Rodriguez is sworn in as Venezuela's acting president, 5 Jan 2026
    (["sputnikglobe-20260105-1123427144", "inforos-189507"],
     "event"),  # Maduro pleads not guilty at his first hearing in a New York federal court, 5 Jan 2026
    (["interfax-ua-en-1134410", "sud-ua-uk-350356"],
     "event"),  # the United States seizes the Russian-flagged tanker Marinera in the North Atlantic, 7 Jan 2026
    (["ria-20260108-ssha-2066816095", "oulla-cy-trump-orders-us-withdrawal-66"],
     "event"),  # Trump signs a memorandum taking the US out of 66 international organisations, 7 Jan 2026
    (["zakon-kz-6504796", "interfax-ua-1137455"],
     "event"),  # two high-speed trains derail and collide near Adamuz, evening of 18 Jan 2026 (Spain)
    (["report-az-ru-tramp-vvodit-poshliny-grenlandiya", "sud-ua-uk-351156"],
     "event"),  # Trump announces tariffs on eight European countries over Greenland, 17 Jan 2026
    (["regionews-ru-1768842922", "24tv-uk-n2992145", "newsmax-1242686"],
     "event"),  # Valentino Garavani dies at 93 in Rome, 19 Jan 2026
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a preview, a later step) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("novyny-live-en-269227", "event"),  # Ozzy Osbourne dies, 22 Jul 2025 22:24 Kyiv time (another event of the crash's and the clashes' days)
    ("report-az-ru-kambodzha-tailand-peregovory", "event"),  # Cambodia and Thailand open four days of border talks, 24 Dec 2025 19:10 Baku time (an earlier step, three days before the ceasefire)
    ("charter97-667956", "event"),  # Israel recognises Somaliland, 26 Dec 2025 20:58 Minsk time (another event of the ceasefire's eve)
    ("lenta-ru-zia-20251230", "event"),  # Khaleda Zia dies, 30 Dec 2025 06:54 Moscow time (another event two days after Bardot's death)
    ("news-ru-v-italii-raskryli-detali-pozhara", "event"),  # Italy's foreign minister on Italians hurt and missing in the Crans-Montana fire, 1 Jan 2026 18:57 Moscow time (a third party's statement)
    ("zakon-kz-6503172", "event"),  # Tokayev sends condolences over the Crans-Montana fire, 1 Jan 2026 21:09 Astana time (a reaction)
    ("zakon-kz-6503272", "event"),  # Maduro declares a state of emergency after the strikes, 3 Jan 2026 13:07 Astana time (an earlier step, before the capture was announced)
    ("ria-20260103-venesuela-2066220366", "event"),  # Maduro's supporters demand proof that he is alive, 3 Jan 2026 16:54 Moscow time (a reaction)
    ("sud-ua-uk-350024", "event"),  # Trump: the US will run Venezuela until a safe transition, 3 Jan 2026 19:01 Kyiv time (a later statement)
    ("inform-kz-tramp-prigrozil-poshlinami-grenlandiya", "event"),  # Trump says he may impose tariffs on countries opposing US control of Greenland, 17 Jan 2026 00:15 Astana time (a threat the day before)
    ("interfax-ua-1137470", "event"),  # Ukraine's foreign ministry: no Ukrainians known among the Adamuz victims, 19 Jan 2026 10:45 Kyiv time (a third party's statement)
    ("zakon-kz-6505082", "event"),  # a commuter train derails near Barcelona, 21 Jan 2026 05:55 Astana time (another event two days after the crash)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held17", DEVELOPMENTS, DISTRACTORS, "hd18")

if __name__ == "__main__":
    raise SystemExit(main())
