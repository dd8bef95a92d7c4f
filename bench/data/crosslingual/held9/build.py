"""``held9/stream.jsonl``, the ninth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held9/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). The build stops on a title or URL that the main
set or an earlier part (check, dev, fresh, held3-held8) already has, on a development in one
language, and on two versions of one development from one outlet. Held out (README.md,
"Held-out part 9"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3, held4, held5, held6, held7 and held8 parts.
OTHER_PARTS = held_part.files_through("held8")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["antikor-781751", "osnmedia-2025-07-23-delegatsiya"],
     "event"),  # the Ukrainian and Russian delegations arrive in Istanbul for the third round, afternoon of 23 Jul 2025
    (["1tv-2025-08-06-517265", "pravda-eng-7524962", "newsru-com-2025-08-06-ushakov"],
     "event"),  # Putin receives Witkoff in the Kremlin for about three hours, 6 Aug 2025
    (["semafor-2025-08-07-trump-putin", "1prime-860417982", "pravda-eng-7525105"],
     "event"),  # Ushakov: a Putin-Trump meeting agreed for the coming days, the venue chosen, morning of 7 Aug 2025
    (["ria-2049887637", "novosti-dn-uk-408309"],
     "event"),  # Kristersson and Zelensky sign a letter of intent for 100-150 Gripen E in Linköping, 22 Oct 2025
    (["m24-846894", "ria-2054937646", "devdiscourse-3697287"],
     "event"),  # drones on Novorossiysk's port and the Sheskharis oil depot, a state of emergency, night of 14 Nov 2025
    (["newsru-co-il-17nov2025-rafale", "firstpost-13951510"],
     "event"),  # Zelensky and Macron sign a letter of intent for up to 100 Rafale jets at Villacoublay, 17 Nov 2025
    (["eurointegration-rus-7225254", "interfax-en-1121947"],
     "event"),  # Zelensky and Erdogan hold talks in Ankara, 19 Nov 2025
    (["amic-573705", "novyny-live-en-297658"],
     "event"),  # Putin's five-hour talks with Witkoff and Kushner end without a compromise, night of 2-3 Dec 2025
    (["charter97-665908", "24tv-ru-n2967164", "indianexpress-10409851"],
     "event"),  # Zelensky meets Starmer, Macron and Merz at Downing Street, 8 Dec 2025
    (["objectiv-2025-12-19-90-mlrd", "turkiyetoday-3211587"],
     "event"),  # EU leaders agree a 90 billion euro loan to Ukraine for 2026-27, frozen Russian assets left aside, night of 18-19 Dec 2025
    (["oulla-cy-putin-residence-lies", "inforos-189242"],
     "event"),  # Lavrov claims 91 Ukrainian drones attacked Putin's Novgorod residence, 29 Dec 2025
    (["report-az-ru-budanov-offer", "komersant-ua-en-budanov-offer"],
     "event"),  # Zelensky offers Budanov the head of the President's Office, afternoon of 2 Jan 2026
    (["regionews-1767370706", "charter97-668656"],
     "event"),  # Zelensky announces the border guard chief Deineko will be replaced, 2 Jan 2026
    (["racurs-211238", "lenta-2026-01-02-ukkr"],
     "event"),  # Zelensky's decree appoints Budanov head of the President's Office, evening of 2 Jan 2026
    (["devdiscourse-3764351", "interfax-en-1134959", "nikvesti-ru-313126"],
     "event"),  # Russia strikes Lviv region with an Oreshnik, its defence ministry calls it a reply to the Valdai claim, night of 8-9 Jan 2026
    (["ua-news-2025-06-02-stambul", "m24-802438", "interfax-en-1076687"],
     "event"),  # the second Istanbul round between the Ukrainian and Russian delegations starts and ends after about an hour, 2 Jun 2025
    (["pravda-eng-7524462", "press-lv-tramp-podlodki"],
     "event"),  # Trump orders two nuclear submarines positioned after Medvedev's remarks, evening of 1 Aug 2025 (reported the next morning in Riga)
    (["regionews-1755773882", "ria-2036755256"],
     "event"),  # a Ukrainian suspected of coordinating the Nord Stream sabotage is arrested near Rimini, Italy, 21 Aug 2025
    (["newsru-co-il-13nov2025-zel", "see-news-zelensky-sanctions-mindich"],
     "event"),  # Zelensky's decree imposes sanctions on Mindich and Tsukerman, 13 Nov 2025
    (["komersant-ua-en-kuznietsov-extradited", "eurointegration-rus-7225862"],
     "event"),  # Italy extradites the Nord Stream suspect Kuznietsov to Germany, 27 Nov 2025
    (["sputnikglobe-20251211-1123277816", "donetsk-news-426117"],
     "event"),  # Gerasimov reports Siversk captured to Putin, Peskov confirms the report, 11 Dec 2025
    (["glavnoe-2025-12-23-siversk", "novyny-live-ru-301934", "charter97-667661"],
     "event"),  # Ukraine's General Staff: the defenders have left Siversk, 23 Dec 2025
    (["pravda-eng-7511608", "wz-lviv-532439", "nmosknews-190222"],
     "event"),  # Macron, Merz, Starmer and Tusk arrive in Kyiv for the coalition of the willing, morning of 10 May 2025
    (["interfax-en-1073063", "mia-mk-putin-useful-call", "prufy-168535"],
     "event"),  # Trump and Putin's two-hour call, Putin offers a memorandum on a future peace treaty, evening of 19 May 2025
    (["pravda-eng-7518693", "nv-ru-50524998"],
     "event"),  # Zelensky and Trump meet for about 50 minutes at the NATO summit in The Hague, 25 Jun 2025
    (["ipress-376902", "timeslive-2025-09-28-kyiv", "moneycontrol-13586362"],
     "event"),  # Russia's twelve-hour missile and drone attack on Kyiv kills four, among them a 12-year-old girl, night of 27-28 Sep 2025
    (["comments-ua-775628", "komersant-ua-en-umerov-tasks"],
     "event"),  # Zelensky appoints Umerov secretary of the National Security and Defence Council, 18 Jul 2025
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("amic-566479", "event"),  # Zelensky's call with Trump and European leaders after Witkoff's visit, evening of 6 Aug 2025 (reported the next morning)
    ("nikvesti-uk-307633", "event"),  # Trump: the submarines are already closer to Russia, 2 Aug 2025 (a later remark, the day after the order)
    ("ria-2036424056", "event"),  # Witkoff says he has spent about 25 hours with Putin, 20 Aug 2025 (two weeks after the Kremlin meeting)
    ("ria-2045475470", "event"),  # Trump confirms at Quantico that he sent submarines towards Russia, 30 Sep 2025 (two days after the Kyiv attack)
    ("glavnoe-2025-11-16-hretsiya", "event"),  # Zelensky arrives in Athens, a gas deal announced, 16 Nov 2025 (the day before the Rafale letter)
    ("interfax-en-1121592", "event"),  # Zelensky announces his meeting with Erdogan for Wednesday, evening of 18 Nov 2025 (a preview of the Ankara talks)
    ("sud-ua-ru-346936", "event"),  # Yermak: the first session of the Geneva talks with the US delegation made good progress, 23 Nov 2025
    ("charter97-664979", "event"),  # the Ukrainian and US delegations end their meeting in Florida, 30 Nov 2025
    ("rbc-ua-ru-1764695626", "event"),  # Putin says Russia is ready for war if Europe starts one, evening of 2 Dec 2025 (before the Witkoff talks)
    ("24tv-ru-n2967300", "event"),  # Zelensky arrives in Brussels for NATO and EU meetings, evening of 8 Dec 2025 (after the London meeting)
    ("interfax-en-1127078", "event"),  # Zelensky's audience with Pope Leo XIV, an invitation to Ukraine, 9 Dec 2025 (the day after London)
    ("tatar-inform-6010737", "event"),  # Putin's year-end programme: 'our troops advance along the whole line', 19 Dec 2025 (the morning of the EU loan)
    ("novyny-live-ru-302681", "event"),  # nearly 500 drones and 40 missiles on Ukraine, Kyiv the main target, night of 27 Dec 2025
    ("inforos-189430", "event"),  # Medvedev on Budanov's offer, 2 Jan 2026 (a reaction, hours after the offer and before the decree)
    ("nv-ru-50524516", "event"),  # Zelensky says he plans to meet Trump at the NATO summit, 24 Jun 2025 (a preview, the day before the meeting)
    ("novyny-live-en-294787", "event"),  # Zelensky meets King Felipe VI in Madrid, 18 Nov 2025 (between the Rafale letter and the Ankara talks)
    ("joongang-2454230", "event"),  # Russia's massive attack on Kyiv, night of 14 Nov 2025 (hours before the Novorossiysk strike's reports)
    ("news-ru-abu-dabi-cel", "event"),  # Driscoll's talks with a Russian delegation in Abu Dhabi, 25 Nov 2025 (two days before the extradition)
    ("news-ru-vmf-podlodka", "event"),  # the Black Sea Fleet denies the SBU's claim of a submarine hit in Novorossiysk, 15 Dec 2025
    ("nsn-ushakov-druzheskimi", "event"),  # Ushakov calls the Kremlin talks with Witkoff friendly, evening of 5 Dec 2025 (a later remark on the talks of 2-3 Dec)
    ("news-ru-gulyajpole-napravlenie", "event"),  # Russia's defence ministry claims Huliaipole, night of 27-28 Dec 2025 (between the Siversk withdrawal and the Valdai claim)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held8", DEVELOPMENTS, DISTRACTORS, "hd9")

if __name__ == "__main__":
    raise SystemExit(main())
