"""``held32/stream.jsonl``, the thirty-second held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held32/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public news
pages, kept with its provenance and the time with zone its page shows or, for the row whose
``provenance.time_from`` says WEAKER, the creation stamp in its address), grouped by reading into
the developments and distractors below with the editor rule of ../README.md ("Dev part"). All of it
is news in general beside the war, of 2023 and 2024. Its 9 developments are disasters and their
tolls (Morocco's earthquake of 8 September 2023, Derna's flood of 10-11 September 2023, the
snowstorm in southern Ukraine of 26-27 November 2023, the Herat earthquakes of 7 October 2023, the
train collision near Balasore, Odisha, of 2 June 2023), an election (Slovakia's of 30 September
2023), a summit (the G20's New Delhi declaration of 9 September 2023), an attack (the bomb at
Turkey's interior ministry in Ankara on 1 October 2023) and a moon landing (Chandrayaan-3's of 23
August 2023). Its 9 distractors are other stories of the developments' days and affairs: the Titan
submersible found lost near the Titanic on 22 June 2023, Fico's shooting of 15 May 2024, Lavrov on
the G20's consensus, Hong Kong's record rain, Rubiales' resignation, the Gaza truce's extension,
Musk's visit to Kfar Aza, Kissinger's death and Luna-25's crash (README.md, "Held-out part 32",
with its audit), below both aims (15 and 12). The build stops on a title or URL that the main set or an earlier part already has, on
a development in one language, and on two versions of one development from one outlet. Held out:
scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held31 parts.
OTHER_PARTS = held_part.files_through("held31")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["78ru-ru-morocco-9-september", "6262-uk-3657700", "rbc-ua-en-1694266054", "sputnikglobe-en-1113242216", "life-ru-1606740"],
     "event"),  # the M6.8-6.9 earthquake in Morocco's High Atlas late on 8 Sep 2023 and its toll: the first report, over 600 killed the next noon, over 1,000 and 1,300 that afternoon and evening, 2,681 by 11 Sep
    (["pravda-uk-7419398", "livemint-en-11694738257524", "aroundprague-ru-11300-libya"],
     "event"),  # the dams above Derna, Libya, burst in Storm Daniel's rains the night of 10-11 Sep 2023: at least 2,000 killed by 12 Sep, 11,300 by 15 Sep
    (["pravda-en-7430633", "infocity-uk-odeshchyna-28-november"],
     "event"),  # the snowstorm of 26-27 Nov 2023 in southern Ukraine: five dead in Odesa region by Zelensky's evening address, ten across Ukraine by the next morning
    (["sputnikglobe-en-1113833071", "rubryka-uk-slovachchyna-1-zhovtnia"],
     "event"),  # Fico's Smer wins Slovakia's early parliamentary election of 30 Sep 2023: the count of the night (23.58% with 95.75% counted) and the next morning's (23.29% with over 99%)
    (["osnmedia-ru-1408414", "typical-if-uk-g20-deklaratsiya"],
     "event"),  # the G20 summit in New Delhi adopts its leaders' declaration on 9 Sep 2023, Modi announcing the consensus at the second session
    (["wz-lviv-uk-498932", "tass-ru-18946091"],
     "event"),  # the M6.3 earthquakes near Herat, Afghanistan, of 7 Oct 2023: over 2,000 killed by the next morning, 2,445 the morning after
    (["sputnikglobe-en-1113835926", "belta-ru-591286"],
     "event"),  # the bomb attack at the gate of Turkey's interior ministry in Ankara at 09:30 on 1 Oct 2023: the first report of the explosion, then the minister's account (one attacker blew himself up, the other neutralised)
    (["lokmattimes-en-coromandel-233-dead", "1tv-ru-454360"],
     "event"),  # the collision of the Coromandel Express, another express and a goods train near Balasore, Odisha, on the evening of 2 Jun 2023: 233 dead by the next morning, almost 300 by its noon
    (["newindianexpress-en-2608069", "smotrim-ru-2670223"],
     "event"),  # India's Chandrayaan-3 lander soft-lands near the Moon's south pole at 18:04 India time on 23 Aug 2023
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs and other
# disasters, courts and elections of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("rg-ru-titan-22-june", "event"),  # the Titan submersible's debris found near the Titanic on 22 Jun 2023, all five aboard dead (one row: the English version found, Zee News' video page, prints only an update time and is not kept)
    ("republicworld-en-fico-shooting", "event"),  # Slovakia's prime minister Fico shot and injured in Handlova on 15 May 2024, 16 May 08:15 India time (the same man's other development, seven months after his party's election win)
    ("livemint-en-11694348916668", "event"),  # Lavrov at the G20's close on 10 Sep 2023: the declaration's consensus was unexpected (the same summit's next step, the day after the adoption)
    ("siasat-en-2921143", "event"),  # the Gaza truce extended by two days, Qatar announces on 27 Nov 2023 (a world story of the snowstorm's day)
    ("kolanews-ru-49403", "event"),  # Kissinger dies at 100 on 29 Nov 2023, 30 Nov 08:25 Moscow time (a world story of the days after the snowstorm)
    ("tribuna-ru-1000000094449", "event"),  # Rubiales resigns as Spain's football federation president, confirmed on 11 Sep 2023 (a story of Morocco's and Derna's days)
    ("livemint-en-11694135049741", "event"),  # Hong Kong's record rain and floods of the night of 7-8 Sep 2023 (another flood, the day before Morocco's earthquake)
    ("justearthnews-en-6882", "event"),  # Musk tours Kfar Aza with Netanyahu on 27 Nov 2023 (a world story of the snowstorm's day)
    ("livemint-en-11692545525600", "event"),  # Russia's Luna-25 crashes into the Moon, Roscosmos says on 20 Aug 2023 (another moon mission, three days before Chandrayaan-3's landing)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held31", DEVELOPMENTS, DISTRACTORS, "hd32")

if __name__ == "__main__":
    raise SystemExit(main())
