"""``held17/stream.jsonl``, the seventeenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held17/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is the war in Ukraine, from September
2024 to October 2025: a Polish court refusing to extradite a Nord Stream suspect to Germany, the
bodies of 1,212 fallen soldiers returned to Ukraine, two stages of the June 2025 prisoner
exchanges agreed in Istanbul (10 and 26 June), each told from Kyiv and from Moscow or by two
Ukrainian outlets, and three steps after two Chinese citizens were captured fighting for Russia
in April 2025 (the foreign ministry summoning China's charge d'affaires, the SBU's first
questioning, Zelenskyy on exchanging them only for Ukrainians), and the end of rescue work at
the Poltava military institute struck on 3 September 2024 (the strike itself is dev's). It is
SMALL (eight developments, below the ten of the earlier parts): timed pages in two languages
from two outlets were rare.
Its distractors are other steps of the same affairs within hours or days (the minerals deal's
committee recommendation, its preview the morning of the vote, its vote's date announced six
days ahead, and the vote itself in one language; the exchange headquarters' statement after the
12 June stage; Zelenskyy on the next step once the exchanges end; Medinsky's offer of more
bodies; the Kharkiv strike's toll three days on; the Poltava toll three days after the rescue
work ended; the capture of the two Chinese soldiers, a new video of their questioning and their
press conference, one language each) and the other exchange stages of the same weeks (14,
19 and 20 June and 4 July, one language each), so several pairs of different developments are
the same kind of event a day or two apart. The build stops on a title or URL that the main set
or an earlier part already has, on a development in one language, and on two versions of one
development from one outlet. Held out (README.md, "Held-out part 17"): scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held16 parts.
OTHER_PARTS = held_part.files_through("held16")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["interfax-ua-en-1113353", "rbc-ua-1760704779"],
     "event"),  # a Warsaw court refuses to extradite Volodymyr Zhuravlyov to Germany in the Nord Stream case, 17 Oct 2025
    (["newsmax-1214433", "interfax-ua-ru-1079059"],
     "event"),  # the bodies of 1,212 fallen Ukrainian soldiers are returned to Ukraine, 11 Jun 2025
    (["kyivindependent-second-prisoner-swap-istanbul", "sila-rf-2025-06-10-vtoraya-gruppa"],
     "event"),  # the second stage of the Istanbul exchange: wounded soldiers swapped, 10 Jun 2025 (Kyiv's and Moscow's accounts)
    (["bastion-tv-n71941", "novyny-live-en-263432"],
     "event"),  # another stage of the Istanbul exchange: soldiers under 25 and wounded returned, 26 Jun 2025
    (["pravda-ua-eng-7506820", "interfax-ua-ru-1062726"],
     "event"),  # Zelenskyy: the two captured Chinese soldiers will be exchanged only for Ukrainians held by Russia, 9 Apr 2025
    (["interfax-ua-uk-1062242", "pravda-ua-eng-7506612"],
     "event"),  # Ukraine's foreign ministry summons China's charge d'affaires over Chinese citizens fighting for Russia, 8 Apr 2025
    (["day-kyiv-050924-poltava-rescue-completed", "pravda-ua-eng-7473641"],
     "event"),  # rescue work at the Poltava military institute struck on 3 September ends: 55 killed, 328 injured, 5 Sep 2024
    (["regionews-uk-1744230779", "interfax-ua-en-1062789"],
     "event"),  # the SBU reports its first questioning of the two Chinese captives, 9-10 Apr 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a preview, a later step, a third party's statement) and other
# events of the same weeks.
DISTRACTORS: list[tuple[str, str]] = [
    ("pravda-ua-eng-7511255", "event"),  # the Rada ratifies the minerals deal with the US, 8 May 2025 14:22 Kyiv time (one language found)
    ("interfax-ua-ru-1069995", "event"),  # Svyrydenko expects the fund to start within weeks if ratified that day, 8 May 2025 09:29 (a preview, five hours before the vote)
    ("interfax-ua-uk-1069519", "event"),  # the Rada's foreign-affairs committee recommends ratification, 6 May 2025 17:19 (an earlier step)
    ("devdiscourse-3367225", "event"),  # the ratification vote set for 8 May, 2 May 2025 14:54 India time (a preview)
    ("pravda-ua-eng-7473999", "event"),  # the Poltava toll rises to 58, 8 Sep 2024 13:54 (a later step, one language found)
    ("interfax-ua-en-1062335", "event"),  # Zelenskyy: two Chinese citizens fighting for Russia captured, 8 Apr 2025 20:35 (one language found)
    ("kyivindependent-chinese-pow-not-return-russia", "event"),  # a new questioning video: one captive wants to go to China, not Russia, 10 Apr 2025 22:28 (a later step, one language found)
    ("interfax-ua-ru-1063897", "event"),  # the two Chinese captives tell a Kyiv press conference they want to be exchanged, 14 Apr 2025 18:56 (a later step, one language found)
    ("nikvesti-uk-305937", "event"),  # the toll of the 7 June strike on Kharkiv rises to four, 10 Jun 2025 09:29 (a later step; hours before the exchange stage)
    ("interfax-ua-en-1079548", "event"),  # the Coordination Headquarters calls on Russia not to delay the exchanges, 12 Jun 2025 18:11 (a statement after that day's stage)
    ("interfax-ua-uk-1080008", "event"),  # Zelenskyy: once the exchanges end the sides will discuss the next step, 14 Jun 2025 13:36 (a statement about the exchanges, hours before that day's stage)
    ("nikvesti-en-306105", "event"),  # the fourth exchange of the week, 14 Jun 2025 15:15 (another exchange stage, one language)
    ("pravda-ua-eng-7517832", "event"),  # another group of soldiers returned from captivity, 19 Jun 2025 14:43 (another exchange stage, one language)
    ("vesti-ua-uk-268764", "event"),  # another group of wounded and sick defenders returned, 20 Jun 2025 20:18 (the next day's stage, one language)
    ("inforos-181762", "event"),  # Medinsky: Moscow ready to hand over about 3,000 more bodies, 20 Jun 2025 20:51 Moscow time (a third party's statement, a later step)
    ("interfax-ua-en-1085118", "event"),  # Zelenskyy reports a group returned from captivity, 4 Jul 2025 13:40 (another exchange stage, one language)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held16", DEVELOPMENTS, DISTRACTORS, "hd17")

if __name__ == "__main__":
    raise SystemExit(main())
