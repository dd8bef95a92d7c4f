"""``held27/stream.jsonl``, the twenty-seventh held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held27/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows or, for the rows
named in ``provenance.time_from``, a stamp in its address or the Unix stamp it prints), grouped
by reading into the developments and distractors below with the editor rule of ../README.md
("Dev part"). All of it is news in general beside the war in Ukraine, most of it July 2022 to
May 2023, months no earlier timed part reaches, the rest September 2023 to January 2025:
disasters, an assassination, deaths of a monarch, a pope, a Soviet leader and a footballer, a
World Cup final, elections and resignations, a plane crash and two attacks on crowds (xheld34a's
build, extended by xheld34c: README.md, "Extension"; audited by aud34a, every row re-found with
its printed time or stamp: README.md, "Audit"; extended again by xheld34e: README.md, "Extension
(xheld34e ...)", whose rows aud34c audited: README.md, "Audit of the extension (aud34c)"). The
build stops on a title or URL that the main set or an earlier part already has, on a development
in one language, and on two versions of one development from one outlet.
Held out (README.md, "Held-out part 27"): scored by the lead once per frozen linker, never
tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held26 parts (held28, built beside it on other subjects, is ordered by the lead).
OTHER_PARTS = held_part.files_through("held26")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["cnn-en-turkey-quake-h65c6cf2e", "m24-ru-548104"],
     "event"),  # the magnitude 7.8 earthquake in southern Turkey and northern Syria at 04:17 local time on 6 Feb 2023: more than 1,500 killed by the afternoon
    (["etvbharat-en-na20220708083206218218496", "regnum-ru-3641321"],
     "event"),  # Shinzo Abe shot from behind during a campaign speech in Nara at about 11:30 local time on 8 Jul 2022, Tetsuya Yamagami held at the scene
    (["surinenglish-en-20220908193605", "tribuna-by-ru-1111748835"],
     "event"),  # Buckingham Palace announces at 18:30 BST on 8 Sep 2022 that Queen Elizabeth II died at Balmoral that afternoon
    (["report-az-en-over-100-killed-floods-spain", "vesti-ua-ru-257982"],
     "event"),  # the floods of 29-30 Oct 2024 in Valencia region (the DANA): 95 to 104 dead by the morning of 31 Oct
    (["b92-en-115278", "info24-ru-napadenie-posolstvo-tegeran"],
     "event"),  # a gunman with a Kalashnikov attacks Azerbaijan's embassy in Tehran at about 08:30 Baku time on 27 Jan 2023: the head of security killed, two guards hurt
    (["artsakhpress-en-171278", "octagon-ru-trass-pokidaet-post"],
     "event"),  # Liz Truss announces outside Downing Street at about 13:35 BST on 20 Oct 2022 that she resigns as Conservative leader after 45 days, staying PM until a successor is chosen
    (["pravda-uk-7365447", "novoeizdanie-ru-umer-gorbachyov", "artsakhpress-en-168605"],
     "event"),  # Moscow's Central Clinical Hospital says on the evening of 30 Aug 2022 that Mikhail Gorbachev has died aged 91
    (["newsam-sport-en-137142", "sportsdaily-ru-umer-legendarnyy-pele"],
     "event"),  # Pele dies in Sao Paulo on 29 Dec 2022 aged 82, announced by his family and agent at about 19:10 UTC
    (["rbc-ru-63b002639a794753fd2bbee1", "ktbb-en-1190486"],
     "event"),  # the Holy See announces that Pope Emeritus Benedict XVI died at 09:34 CET on 31 Dec 2022 at the Mater Ecclesiae monastery, aged 95
    (["sputniknews-en-1105571579", "ktkz-ru-2022-1377944517"],
     "event"),  # Argentina beat France 4-2 on penalties after 3-3 in the World Cup final at Lusail on 18 Dec 2022 (Mbappe's hat-trick, Messi's two goals)
    (["smotrim-ru-article-3376009", "pia-ge-en-erdogan-wins"],
     "event"),  # Erdogan wins Turkey's presidential runoff of 28 May 2023 with about 52%: his victory speech in Istanbul that evening and the election board's count
    (["armenpress-en-1120489", "alphanews-am-ru-silyniy-vzriv-stepanakert"],
     "event"),  # the fuel depot blast near the Stepanakert-Askeran road on the evening of 25 Sep 2023 as Karabakh's Armenians queued for fuel to leave: deaths and many burned
    (["pravda-en-7466762", "vstime-ru-dzho-bajden-vyshel"],
     "event"),  # Joe Biden announces in a letter on X at 13:46 EDT on 21 Jul 2024 that he withdraws from the presidential race and will serve out his term
    (["kyivindependent-en-trump-wins-wisconsin", "life-ru-1700595"],
     "event"),  # Donald Trump wins the US presidential election of 5 Nov 2024: his victory speech in Florida on the morning of 6 Nov (Moscow and Kyiv time) and the networks' projection past 270 votes
    (["devdiscourse-3209398", "interfax-ua-ru-1037235"],
     "event"),  # the Jeju Air Boeing 737-800 from Bangkok overruns the runway at Muan and burns at 09:07 KST on 29 Dec 2024: 28 dead by the first count
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs and other
# events of the same days on the same subjects.
DISTRACTORS: list[tuple[str, str]] = [
    ("ua-news-uk-zelenskyj-dopomoha-turechchyni", "event"),  # Zelensky offers Turkey help after the earthquakes, 6 Feb 2023 12:45 Kyiv time (a reaction, not the earthquake's toll)
    ("caliber-az-ru-posolstva-v-irane-zakryvayutsya", "event"),  # other states' embassies consider leaving Iran after Azerbaijan's evacuation, 30 Jan 2023 12:43 Baku time (three days after the attack)
    ("interfax-ua-uk-907751", "event"),  # a seventh-grader's shooting at a Belgrade school on the morning of 3 May 2023, at least eight dead, 12:42 Kyiv time (no timed version in another language found)
    ("tanjug-en-28208", "event"),  # Serbia's government declares three days of national mourning after the school shooting, 3 May 2023 14:26 Belgrade time (a decision after the shooting, the same day)
    ("smotrim-ru-2504330", "event"),  # the Itaewon crush in Seoul of the night of 29 Oct 2022, 151 dead including two Russian women, 30 Oct 06:05 Moscow time (no timed version in another language found)
    ("hindustantimes-en-101735112356387", "event"),  # the AZAL Embraer crash near Aktau on the morning of 25 Dec 2024, by its address stamp 07:39 UTC (no timed Russian or Ukrainian report of the crash found)
    ("govoritmoskva-ru-436609", "event"),  # Aliyev declares 26 Dec 2024 a day of mourning after the crash near Aktau, 14:51 Moscow time (a decision after the crash, the same day)
    ("uafootball-ru-1672733204", "event"),  # Pele's public farewell at Santos' stadium and the family's closed funeral of 3 Jan 2023, by its address stamp 08:06 UTC (five days after his death)
    ("newsam-sport-ru-136774", "event"),  # Buenos Aires celebrates the World Cup semi-final win over Croatia, 14 Dec 2022 15:42 Yerevan time (four days before the final)
    ("pravda-en-7404267", "event"),  # Zelensky congratulates Erdogan on his re-election, 28 May 2023 22:43 Kyiv time (a reaction to the result)
    ("argumenti-ru-787278", "event"),  # Peskov says on the morning of 31 Aug 2022, 11:36 Moscow time, that there is no information yet on Putin attending Gorbachev's funeral (the morning after the death)
    ("ntv-ru-2729652", "event"),  # the morning of 25 Oct 2022, 09:18 Moscow time: the King to accept Truss's resignation and ask Rishi Sunak to form a government (five days after her announcement)
    ("newspn-uk-320105", "event"),  # a pickup driven into the New Year crowd on Bourbon Street, New Orleans, at about 03:15 CST on 1 Jan 2025: at least 10 dead, about 30 hurt, 12:16 Kyiv time (no timed version in another language found)
    ("devdiscourse-3062294", "event"),  # a man stabs people at random at Solingen's 650th-anniversary festival at about 21:40 CEST on 23 Aug 2024: at least three dead, the attacker at large, 03:47 India time on 24 Aug (no timed version in another language found)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held26", DEVELOPMENTS, DISTRACTORS, "hd27")

if __name__ == "__main__":
    raise SystemExit(main())
