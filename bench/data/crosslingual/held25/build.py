"""``held25/stream.jsonl``, the twenty-fifth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held25/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows or, for the two rows
named in ``provenance.time_from``, a weaker source of the time: a stamp in the address), grouped
by reading into the developments and distractors below with the editor rule of ../README.md ("Dev
part"). News in general that is not the war in Ukraine, 1 January 2024 to 23 April 2025 (months
the earlier timed parts, built on later 2025, did not reach): disasters, accidents, attacks and
Turkish and Syrian politics. Its fourteen developments, each in two languages, are the Noto
earthquake (1 January 2024), the Baltimore bridge brought down by the Dali (26 March 2024), the
Hualien earthquake (3 April 2024), Raisi's helicopter hard landing (19 May 2024), the Butler rally
shooting (13 July 2024), the fall of Damascus (8 December 2024), the Magdeburg market attack (20
December 2024), the Kartalkaya ski-resort hotel fire (21 January 2025), the Potomac midair
collision (29-30 January), the Kocani nightclub fire (16 March), the detention of Istanbul's mayor
Imamoglu (19 March), the 343 protesters detained over it (22 March), the interior ministry's
suspension of the arrested mayor (23 March) and the Myanmar earthquake (28 March). Its thirteen
distractors are other steps of the same affairs a day or less on (Erdogan at a funeral of the
fire's victims, the mayor's questioning, Ankara's mayor at his side, the prosecutor's request and
the court's custody before the suspension, a Ukrainian among the Magdeburg hurt, the port of
Baltimore stopped), reactions (Zelensky on Magdeburg and on the Butler shooting, Ukraine's foreign
minister on the Pahalgam attack, Serbia's day of mourning for Kocani), the Tonga earthquake two
days after Myanmar's and the Istanbul earthquake of 23 April 2025 (a development until the audit
took out its Ukrainian version, whose headline was a cut address slug and whose time was an
address stamp). Built by xheld33a (21 January-23 April 2025) and extended by xheld33d (the 2024
developments, the Potomac and Kocani versions, four distractors); audited by aud33a (every row
re-found; README.md, "Audit (aud33a, ...)"). The build stops on a title or URL that the main
set or an earlier part already has, on a development in one language, and on two versions of one
development from one outlet. Held out (README.md, "Held-out part 25"): scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held24 parts (held26, built beside it on the war, is ordered by the lead).
OTHER_PARTS = held_part.files_through("held24")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["inforos-ru-176067", "interfax-ua-uk-1042262"],
     "event"),  # the Grand Kartal hotel fire at the Kartalkaya ski resort, Turkey, night of 21 Jan 2025: 66 killed by afternoon
    (["hindustantimes-101743153309785", "belta-ru-705553"],
     "event"),  # the M7.7 earthquake in central Myanmar at midday of 28 Mar 2025: a Bangkok high-rise collapses, 20 killed in Myanmar by afternoon
    (["baku-ws-en-imamoglu-detained", "kentron-am-ru-319238"],
     "event"),  # Turkish police detain Istanbul's mayor Ekrem Imamoglu in a corruption probe, morning of 19 Mar 2025
    (["interfax-ua-uk-1057930", "en-axar-az-958127"],
     "event"),  # 343 protesters detained in nine Turkish cities over the mayor's arrest, reported 22 Mar 2025 (both at about 12:50 UTC)
    (["rbc-ru-67e00b389a79476e70c59a71", "bianet-en-305760"],
     "event"),  # Turkey's interior ministry suspends the arrested Imamoglu as Istanbul's mayor, afternoon of 23 Mar 2025
    (["interfax-ua-uk-1044292", "devdiscourse-3246202"],
     "event"),  # the midair collision of an American Eagle jet and an Army Black Hawk over the Potomac, evening of 29 Jan 2025 (Washington time)
    (["interfax-ua-uk-1056091", "devdiscourse-3309284"],
     "event"),  # the Pulse nightclub fire in Kocani, North Macedonia, night of 15-16 Mar 2025
    (["interfax-ua-uk-976041", "govoritmoskva-404011"],
     "event"),  # the container ship Dali brings down Baltimore's Francis Scott Key Bridge, night of 26 Mar 2024
    (["interfax-ua-uk-1035684", "devdiscourse-3202747"],
     "event"),  # a car driven into the Magdeburg Christmas market, evening of 20 Dec 2024
    (["pjmedia-n4930650", "interfax-ua-ru-1000150"],
     "event"),  # the shooting at Trump's rally in Butler, Pennsylvania, evening of 13 Jul 2024 (Washington time)
    (["lokmattimes-raisi-hard-landing-a475", "oilcapital-5086100"],
     "event"),  # the helicopter carrying Iran's president Raisi makes a hard landing in East Azerbaijan province, 19 May 2024
    (["japannews-yomiuri-20240101-159082", "sud-ua-ru-289518"],
     "event"),  # the M7.4-7.6 earthquake in the Noto region of Ishikawa, Japan, and the tsunami warning, afternoon of 1 Jan 2024
    (["argumenti-ru-892097", "vchaspik-ua-567410"],
     "event"),  # the M7.2-7.5 earthquake off Hualien, Taiwan, morning of 3 Apr 2024 (local time), four dead by morning
    (["devdiscourse-3186077", "vesti-ua-uk-259697"],
     "event"),  # Syria's rebels take Damascus and Assad's rule ends, early on 8 Dec 2024
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the developments' affairs,
# another earthquake of the same week, and reactions.
DISTRACTORS: list[tuple[str, str]] = [
    ("nsn-fm-ru-erdogan-ne-smog-sderzhat-slez", "event"),  # Erdogan in tears at a funeral of the Kartalkaya fire's victims, 22 Jan 2025 16:31 Moscow time (the fire's next-day step)
    ("regnum-ru-3953640", "event"),  # Serbia declares 18 Mar a day of mourning over the Kocani fire, 16 Mar 2025 15:07 Moscow time (another country's decision the same day)
    ("zakon-kz-ru-6472036", "event"),  # an M7.1 earthquake off Tonga and a tsunami warning, 30 Mar 2025 19:04 Almaty time (two days after Myanmar's)
    ("artsakh-news-ru-319474", "event"),  # Ankara's mayor Yavas comes to Istanbul to back the detained Imamoglu, 21 Mar 2025 10:50 Yerevan time (the affair's later step)
    ("interfax-ua-ru-1065906", "event"),  # Ukraine's foreign minister condemns the Pahalgam attack on tourists in Kashmir, 23 Apr 2025 01:17 Kyiv time (the night before the Istanbul earthquake)
    ("vesti-az-ru-540828", "event"),  # the prosecutor asks the court to arrest Imamoglu, 23 Mar 2025 05:45 Baku time (the step before the custody)
    ("1tv-ru-504855", "event"),  # the court remands Imamoglu in custody, 23 Mar 2025 12:08 Moscow time (the step before the suspension)
    ("en-axar-az-957577", "event"),  # the detained Imamoglu's questioning begins, 20 Mar 2025 16:10 Baku time (the affair's next step)
    ("interfax-ua-uk-1035818", "event"),  # a Ukrainian woman among the badly hurt of the Magdeburg attack, 21 Dec 2024 21:16 Kyiv time (the attack's next-day step)
    ("interfax-ua-ru-1035760", "event"),  # Zelensky on the Magdeburg attack, 21 Dec 2024 13:06 Kyiv time (a reaction)
    ("ukraina-info-zelenskyy-trump", "event"),  # Zelensky wishes Trump a quick recovery, 14 Jul 2024 10:51 Kyiv time (a reaction to the Butler shooting)
    ("smotrim-video-2782069", "event"),  # the port of Baltimore stops work, 27 Mar 2024 17:42 Moscow time (the collapse's next-day step)
    ("belnovosti-ru-magnituda-62-stambul", "event"),  # an M6.2 earthquake off Silivri shakes Istanbul at 12:49 local time on 23 Apr 2025, 14:27 Minsk time (its Ukrainian version was taken out by the audit)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held24", DEVELOPMENTS, DISTRACTORS, "hd25")

if __name__ == "__main__":
    raise SystemExit(main())
