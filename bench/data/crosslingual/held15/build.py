"""``held15/stream.jsonl``, the fifteenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held15/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is the war in Ukraine and Russia in
2025, mostly smaller events of one day: a strike on a penal colony near Zaporizhzhia, a
gunpowder plant's explosion in Ryazan region, drones on a block of flats in Kharkiv, refinery
fires in Krasnodar region and Ufa, a Russian drone over Romania, the Chornobyl plant's blackout
and its power restored two hours later, a railway station struck in Shostka, a family killed
near Lviv and Zaporizhzhia struck the next night and a verdict on prisoners of war in Rostov.
Several distractors are other steps of the same affairs within hours or days (the substation
strike hours before the blackout, a toll four days on) and others are other strikes of the same
nights and days; the President's statement on the blackout the same night is a development of
its own. The build stops on a title or URL that the main set or an earlier part already has, on
a development in one language, and on two versions of one development from one outlet. Held out
(README.md, "Held-out part 15"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held14 parts.
OTHER_PARTS = held_part.files_through("held14")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["irishtimes-russian-strikes-on-penal-colony-in-zaporizhzhia", "glavred-net-10685309", "regionews-ru-1753775520"],
     "event"),  # Russian guided bombs on the Bilenkivska penal colony near Zaporizhzhia, 16-17 dead, night of 28-29 Jul 2025
    (["pravda-ua-eng-7526320", "facenews-528378"],
     "event"),  # the explosion at the Elastik gunpowder plant in Ryazan region, 15 Aug 2025 (about 10:30 Moscow)
    (["novosti-dn-ua-ru-403942", "sud-ua-338792"],
     "event"),  # Russian drones hit a five-storey block in Kharkiv's Industrialnyi district, a family killed, about 04:50 on 18 Aug 2025
    (["devdiscourse-3618193", "espreso-u-rosii-atakovano-ilskyi-npz"],
     "event"),  # a drone attack sets a unit of the Ilsky refinery (Krasnodar region) on fire, night of 6-7 Sep 2025
    (["novyny-live-280779", "rbc-ua-1757782267"],
     "event"),  # Romanian F-16s track a Russian drone in Romanian airspace near Chilia Veche, evening of 13 Sep 2025
    (["lenta-2025-09-13-prilet", "pravda-ua-7530727"],
     "event"),  # drones strike the Bashneft-Novoil refinery in Ufa, a fire (Khabirov), afternoon of 13 Sep 2025
    (["glavnoe-na-chornobylskij-aes-stavsya-blekaut", "novosti-dn-ua-ru-406988"],
     "event"),  # a Russian strike on Slavutych's substation leaves the Chornobyl plant's New Safe Confinement without power, evening of 1 Oct 2025
    (["interfax-ua-1109083", "novyny-live-ru-284777"],
     "event"),  # power fully restored at the Chornobyl plant, radiation normal (the Energy Ministry), 23:00 on 1 Oct 2025
    (["rbc-ua-1759349103", "itnews-108420"],
     "event"),  # Zelensky: the Chornobyl blackout lasted over three hours and the strike was deliberate, more than 20 drones (his Telegram post), 23:07 on 1 Oct 2025; a reaction, the President's own statement, not the Energy Ministry's announcement of the restoration
    (["sud-ua-342785", "glavred-info-10703879"],
     "event"),  # a double drone strike on Shostka's railway station and two trains, 4 Oct 2025 (about 11:50)
    (["regionews-ua-1759654041", "charter97-658160"],
     "event"),  # a family of four killed in Lapaivka near Lviv in the night attack of 5 Oct 2025
    (["rbc-ua-1759636672", "novyny-live-ru-285452"],
     "event"),  # the night's drone and glide-bomb strikes on Zaporizhzhia, at least ten hits, one dead, nine hurt, 5 Oct 2025 (another event of the night of the Lapaivka strike)
    (["news-ru-sud-otpravil-za-reshetku-srazu-15-chlenov-ajdara", "rbc-ua-1760698510"],
     "event"),  # a Rostov military court sentences 15 captured Aidar fighters to 15-21 years, 17 Oct 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (a reaction, a later step) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("lviv-portal-rosiyani-atakuvali-kamyanske", "event"),  # a missile strike on Kamianske's hospital, night of 28-29 Jul 2025 (another event of the night of the colony strike)
    ("newsru-co-il-19aug2025-ryazan-105", "event"),  # the Elastik explosion's toll reaches 25, 19 Aug 2025 (the same affair's later step)
    ("rbc-ua-1755468768", "event"),  # a ballistic missile near apartment blocks of Kharkiv's Industrialnyi district, 11 hurt, about 22:50 on 17 Aug 2025 (another event, six hours before the drones hit the block)
    ("vin-pravda-1757780164", "event"),  # Poland scrambles aircraft and closes Lublin's airport, 13 Sep 2025 (another event of the same evening)
    ("glavnoe-trahediya-na-sumshhyni-chernechchyna", "event"),  # a drone kills a family of four in Chernechchyna (Sumy region), night of 29-30 Sep 2025 (another event, the day before the Chornobyl blackout)
    ("regionews-ua-1759329306", "event"),  # the strike on Slavutych's substation, the town without power, afternoon of 1 Oct 2025 (an earlier step, hours before the Chornobyl blackout it caused)
    ("rbc-ua-1759693021", "event"),  # a strike on Belgorod's 'Luch' substation, the city in blackout, evening of 5 Oct 2025 (another event of the Lapaivka strike's day)
    ("novosti-dn-ua-407254", "event"),  # a strike sets the Klintsy heat and power plant (Bryansk region) on fire, night of 5-6 Oct 2025 (another event, the night after Belgorod's blackout)
    ("glavred-net-10707170", "event"),  # night drone and glide-bomb attacks on Sumy, Kherson and Kryvyi Rih, morning of 17 Oct 2025 (another event of the verdict's day)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held14", DEVELOPMENTS, DISTRACTORS, "hd15")

if __name__ == "__main__":
    raise SystemExit(main())
