"""``held16/stream.jsonl``, the sixteenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held16/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is news in general, none of it the war
in Ukraine, from November and December 2025: two bombings a day apart in two capitals, a
death sentence in absentia, a pope's first trip abroad, a former president taken into custody,
two coups (one that held, one announced and foiled within hours), a motor-racing title, an
earthquake, a prime minister's appointment, a tanker seized, a government's resignation, a
mass shooting. Several distractors are other steps of the same affairs within hours or days
(the bombers' claim, the next day's finding, a visit announced that morning, an appointment
announced four days ahead, a resignation expected "within minutes", a sentence begun three days
after the arrest, another quake at the same place four days on) and others are events of the
same days (another shooting the day before). The build stops on a title or URL that the main
set or an earlier part already has, on a development in one language, and on two versions of
one development from one outlet. Held out (README.md,
"Held-out part 16"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held15 parts.
OTHER_PARTS = held_part.files_through("held15")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["newsru-co-il-10nov2025-india-001", "devdiscourse-3692102"],
     "event"),  # a car blows up by the Red Fort metro station in Delhi, evening of 10 Nov 2025 (Delhi)
    (["report-az-en-islamabad-suicide-blast", "newsru-co-il-11nov2025-pak-202"],
     "event"),  # a suicide bomber kills 12 outside the district court in Islamabad, early afternoon of 11 Nov 2025 (Islamabad)
    (["newsonair-hasina-sentenced-to-death", "inform-kz-eks-premera-bangladesh-prigovorili-k-smertnoy-kazni", "comments-ua-787118"],
     "event"),  # Bangladesh's tribunal sentences Sheikh Hasina to death in absentia, 17 Nov 2025 (Dhaka)
    (["newsru-co-il-27nov2025-pope-202", "avapress-338345"],
     "event"),  # Pope Leo XIV sets off on his first trip abroad and lands in Ankara, morning of 27 Nov 2025
    (["business-standard-125112200423", "report-az-ru-v-brazilii-arestovali-eks-prezidenta-zhaira-bolsonaru"],
     "event"),  # Brazil's federal police take Bolsonaro into custody at his home, morning of 22 Nov 2025 (Brasilia)
    (["ng-ru-829167", "devdiscourse-3711146", "rbc-ua-1764182940"],
     "event"),  # army officers seize power in Guinea-Bissau and hold President Embalo, 26 Nov 2025
    (["glavnoe-in-ua-benin-viyskovi-zakhopyly-telebachennya", "inform-kz-gosudarstvenniy-perevorot-proizoshel-v-benine"],
     "event"),  # soldiers on Benin's state television say they have removed President Talon, morning of 7 Dec 2025
    (["ria-20251207-norris-2060433076", "rediff-20251207-norris-maiden-f1-championship"],
     "event"),  # Norris, third in Abu Dhabi, becomes Formula One world champion, 7 Dec 2025
    (["charter97-665916", "devdiscourse-3723646"],
     "event"),  # a magnitude 7.5 earthquake off Aomori, tsunami warning, night of 8 Dec 2025 (Japan)
    (["xinhua-20251209-babis-appointed", "belta-753160-2025"],
     "event"),  # President Pavel appoints Babis Czech prime minister, morning of 9 Dec 2025 (Prague)
    (["devdiscourse-3726751", "newsru-co-il-11dec2025-tanker-0017"],
     "event"),  # the United States seizes an oil tanker off Venezuela, the president confirming it, 10 Dec 2025 (Washington)
    (["news-ru-pravitelstvo-odnoj-iz-stran-yugo-vostochnoj-evropy-ushlo-v-otstavku", "ipress-ua-379774"],
     "event"),  # Prime Minister Zhelyazkov announces his Bulgarian government's resignation, 11 Dec 2025 (Sofia)
    (["newsru-co-il-14dec2025-sydney-120", "sud-ua-uk-348489"],
     "event"),  # two gunmen fire on a Hanukkah celebration at Bondi Beach, Sydney, evening of 14 Dec 2025 (Sydney)
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a preview, a later step) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("inforos-187306", "event"),  # Delhi: investigators say a suicide bomber drove the car, 11 Nov 2025 11:39 Moscow time (the next day's step)
    ("report-az-ru-smi-pakistanskie-taliby-podtverdili-prichastnost", "event"),  # the Pakistani Taliban claim the Islamabad bombing, 11 Nov 2025 20:08 Baku time (a later step, eight hours on)
    ("inform-kz-papa-lev-xiv-pribudet-s-ofitsialnim-vizitom-v-turtsiyu", "event"),  # the pope to arrive in Turkey that day, 27 Nov 2025 04:25 Astana time (a preview)
    ("haqqin-367181", "event"),  # Bolsonaro begins serving his sentence, 25 Nov 2025 (a later step, three days after the arrest)
    ("charter97-665498", "event"),  # Pavel says he will appoint Babis on 9 December, 5 Dec 2025 03:00 Minsk time (a preview)
    ("report-az-ru-v-indii-v-pozhare-v-nochnom-klube-pogibli-23-cheloveka", "event"),  # a nightclub fire in Goa kills 23, 7 Dec 2025 02:50 Baku time (another event of the coup's day)
    ("novinite-235878", "event"),  # Bulgaria: the government expected to resign within minutes, 11 Dec 2025 14:02 Sofia time (a preview)
    ("24tv-uk-yaponiya-zemletrus-12-grudnya-n2969365", "event"),  # a magnitude 6.7 quake off Aomori, tsunami threat, 12 Dec 2025 (another event of the same place)
    ("tatar-inform-6010006", "event"),  # two killed in a shooting at Brown University, 14 Dec 2025 11:16 Kazan time (another shooting, the day before Bondi)
    ("inform-kz-antonio-kast-pobedil-na-viborah-prezidenta-chili", "event"),  # Kast wins Chile's presidential runoff, 15 Dec 2025 07:45 Astana time (another event of the Bondi shooting's hours)
    ("lenta-tramp-nazval-prichinu-gibeli-roba-raynera", "event"),  # Trump on Rob Reiner's killing, 16 Dec 2025 (another event two days after the shooting)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held15", DEVELOPMENTS, DISTRACTORS, "hd16")

if __name__ == "__main__":
    raise SystemExit(main())
