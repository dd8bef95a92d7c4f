"""``held21/stream.jsonl``, the twenty-first held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held21/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is news in general, none of it the war
in Ukraine, from April to September 2025. The build stops on a title or URL that the main set
or an earlier part already has, on a development in one language, and on two versions of one
development from one outlet. Held out (README.md, "Held-out part 21"): scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held20 parts.
OTHER_PARTS = held_part.files_through("held20")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["rbc-ua-1745841148", "interfax-ua-ru-1067291"],
     "event"),  # a blackout cuts power across Spain and Portugal, 28 Apr 2025
    (["hindustantimes-101747885433892", "vesti-ua-uk-267370"],
     "event"),  # two Israeli embassy staff shot dead outside the Capital Jewish Museum in Washington, night of 21-22 May 2025
    (["interfax-ua-uk-1074175", "arka-am-ru-tramp-50-poshliny-es"],
     "event"),  # Trump recommends a straight 50% tariff on the European Union from 1 June, 23 May 2025
    (["strana-co-il-149001", "hindustantimes-101749454960694", "sud-ua-uk-333165"],
     "event"),  # Israel intercepts the Gaza-bound yacht Madleen with Greta Thunberg aboard, night of 8-9 Jun 2025
    (["aroundprague-ru-strelba-v-shkole-graz", "spotlightnepal-en-austria-school-shooting"],
     "event"),  # a former pupil shoots ten people dead at a school in Graz, Austria, 10 Jun 2025
    (["pravda-ua-uk-7529843", "news-ru-zhertv-terakta-v-ierusalime-stalo-bolshe"],
     "event"),  # two gunmen kill six people at a bus stop at Jerusalem's Ramot junction, 8 Sep 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a preview, a later step) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("aroundprague-ru-ispaniya-vosstanavlivaet-elektrosnabzhenie", "event"),  # Spain restores power to 99% of the country, 29 Apr 2025 11:45 Prague time (the next day's step)
    ("interfax-ua-uk-1073749", "event"),  # Rubio and Trump condemn the killing of the embassy staff, 22 May 2025 07:57 Kyiv time (a reaction)
    ("interfax-ua-uk-1074194", "event"),  # Trump threatens Apple with a 25% tariff on iPhones made abroad, 23 May 2025 16:10 Kyiv time (his other post of that morning)
    ("aroundprague-ru-tramp-otlozhit-poshliny-es", "event"),  # Trump agrees to delay the EU tariff to 9 July, 26 May 2025 18:00 Prague time (a later step)
    ("eurointegration-ru-7213451", "event"),  # Austria declares three days of mourning after the Graz shooting, 10 Jun 2025 16:38 Kyiv time (a decision hours after)
    ("interfax-ua-uk-1079053", "event"),  # a farewell video and a pipe bomb found at the Graz shooter's home, 11 Jun 2025 12:12 Kyiv time (the next day's step)
    ("interfax-ua-uk-1103080", "event"),  # Norway's Labour party wins the parliamentary election, 9 Sep 2025 07:12 Kyiv time (another event of the Jerusalem attack's days)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held20", DEVELOPMENTS, DISTRACTORS, "hd21")

if __name__ == "__main__":
    raise SystemExit(main())
