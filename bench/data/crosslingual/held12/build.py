"""``held12/stream.jsonl``, the twelfth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held12/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is news in general, none of it the war
in Ukraine: a chancellor's appointment, a plane crash, prizes, a museum robbery, party and
city elections, a coup, a peace declaration, a summit, sport, a funicular crash, a designer's
death. Several distractors are other steps of the same affairs within hours or a day (the vote
before the appointment, a preview before the signing or the summit, the voting before the count,
a coup attempt before the takeover, a reaction, the next day's step) and others are events of
the same days. The build stops on a title or URL that the main set or an earlier part already
has, on a development in one language, and on two versions of one development from one outlet.
Held out (README.md, "Held-out part 12"): scored by the lead once per frozen linker, never tuned
on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held11 parts.
OTHER_PARTS = held_part.files_through("held11")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["eurointegration-ru-7211011", "interfax-ua-1069563"],
     "event"),  # Steinmeier appoints Merz and he takes office, evening of 6 May 2025
    (["devdiscourse-3416888", "vz-russiaru-1332999-nikushor-dan-pobedil"],
     "event"),  # the count: Nicusor Dan wins Romania's presidential runoff, night of 18-19 May 2025
    (["ua-news-tramp-pobazhav-bajdenu-oduzhaty", "electorat-22068"],
     "event"),  # Trump wishes Biden a fast recovery after his cancer diagnosis, 19 May 2025 (Kyiv time)
    (["lbc-paris-st-germain-thrash-inter-milan", "tmcars-3950845745"],
     "event"),  # PSG beat Inter 5-0 in Munich, their first Champions League title, 31 May 2025
    (["japannews-reuters-20250612-263319", "interfax-ua-1079414", "ru-fm-455274"],
     "event"),  # an Air India plane with 242 on board crashes at Ahmedabad, 12 Jun 2025
    (["pravda-ua-7525358", "oann-trump-hosts-peace-summit-armenia-azerbaijan"],
     "event"),  # Aliyev and Pashinyan sign the joint declaration at the White House, 8 Aug 2025
    (["champion-ua-1050822", "m24-832355"],
     "event"),  # Ousmane Dembele wins the Ballon d'Or, night of 22-23 Sep 2025
    (["japannews-20251004-284597", "inform-kz-takaiti-fedd5c"],
     "event"),  # Sanae Takaichi elected LDP president in the runoff, 4 Oct 2025
    (["bluewin-en-2901641", "ipress-377173"],
     "event"),  # Babis's ANO wins the Czech parliamentary election on the count, afternoon of 4 Oct 2025
    (["abplive-lecornu-resigns-1804343", "novyny-live-285661"],
     "event"),  # French prime minister Lecornu resigns and Macron accepts, morning of 6 Oct 2025
    (["devdiscourse-3656344", "news-ru-laureaty-nobelevskoj-premii-po-himii"],
     "event"),  # the Nobel chemistry prize to Kitagawa, Robson and Yaghi, 8 Oct 2025
    (["interfax-ua-1111038", "wionews-1760008441422"],
     "event"),  # the Nobel literature prize to Laszlo Krasznahorkai, 9 Oct 2025
    (["ria-2048218147", "kentron-en-340065"],
     "event"),  # Madagascar's CAPSAT unit declares it has taken power, 14 Oct 2025
    (["rbc-ua-1760868086", "devdiscourse-3667629", "report-az-ru-vo-francuzskom-luvre-ograblenie"],
     "event"),  # thieves steal jewels from the Louvre, morning of 19 Oct 2025
    (["joongang-2432664", "centralasia-media-2354971"],
     "event"),  # the Trump-Xi meeting begins in Busan, 30 Oct 2025
    (["report-az-en-mamdani-wins", "ria-2052891735"],
     "event"),  # Zohran Mamdani wins New York's mayoral election, morning of 5 Nov 2025 (Baku, Moscow)
    (["devdiscourse-3614438", "sud-ua-340188-funikuler-lisabon", "sputnik-uz-51720483"],
     "event"),  # Lisbon's Gloria funicular derails and crashes, evening of 3 Sep 2025 (two versions filed the next morning)
    (["business-standard-armani-125090401366", "ptzgovorit-umer-modeler-armani"],
     "event"),  # Giorgio Armani dies, his company announces, 4 Sep 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a preview, a reaction, a later step) and other events of the
# same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("interfax-ua-1069526", "event"),  # the Bundestag elects Merz in the second round, 6 May 2025 (hours before the appointment)
    ("interfax-ua-1072851", "event"),  # Moldova's president Sandu congratulates Dan, 19 May 2025 (a reaction, half an hour after the count's row)
    ("kun-uz-ru-2025-05-19-bayden-rak-prostaty", "event"),  # Biden diagnosed with prostate cancer, 19 May 2025 (the diagnosis, not Trump's reaction)
    ("interfax-ru-ua-1079449", "event"),  # Ukraine's foreign ministry: no Ukrainians confirmed aboard the Air India plane, 12 Jun 2025 (a reaction, hours after the crash)
    ("espreso-tramp-aliev-pashynian-pidpyshut", "event"),  # Trump: Aliyev and Pashinyan will sign at the White House, morning of 8 Aug 2025 (a preview of the signing)
    ("newpan-ru-325359", "event"),  # Trump calls Pashinyan and Aliyev his good friends, 12 Aug 2025 (a later remark)
    ("news-ru-popytka-voennogo-perevorota-madagaskar", "event"),  # Madagascar's presidency reports an attempted coup, 12 Oct 2025 (an earlier step)
    ("charter97-659550", "event"),  # Rajoelina confirms he has left Madagascar, 16 Oct 2025 (a later step)
    ("interfax-ua-1113884", "event"),  # the Louvre stays closed the day after the robbery, 20 Oct 2025 (the next day's step)
    ("comments-ua-783084", "event"),  # the medicine laureate Ramsdell learns of his prize a day late, 7 Oct 2025 (another prize of the Nobel week)
    ("report-az-ru-uragan-melissa-tri-pogibshih", "event"),  # Hurricane Melissa: three dead in Jamaica before landfall, 28 Oct 2025 (another event of those days)
    ("japannews-20251028-289218", "event"),  # Trump meets Takaichi in Tokyo, morning of 28 Oct 2025 (an earlier step of the trip, two days before Busan)
    ("japannews-20251029-289678", "event"),  # Trump leaves Japan for South Korea, 29 Oct 2025 (an earlier step of the trip, the day before the meeting)
    ("news-ru-budet-zamechatelnaya-vstrecha-tramp-si", "event"),  # Trump: the meeting with Xi will be wonderful, 29 Oct 2025 (a preview, the day before)
    ("report-az-ru-milliony-izbiratelej-nyu-jork", "event"),  # New York votes for a mayor, 5 Nov 2025 00:07 Baku time (the voting, eight hours before the result)
    ("report-az-ru-proshchanie-armani", "event"),  # thousands file past Armani's coffin in Milan, 6 Sep 2025 (a later step, two days after the death)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held11", DEVELOPMENTS, DISTRACTORS, "hd12")

if __name__ == "__main__":
    raise SystemExit(main())
