"""``held13/stream.jsonl``, the thirteenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held13/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``; three read from the Unix time in the outlet's URL or a time printed
without its date, named there as weaker), grouped by reading into the developments and
distractors below with the editor rule of ../README.md ("Dev part"). All of it is the war in
Ukraine in 2025, in windows no other part covers: Trump's call with Putin after the airfield
strikes and the night attacks on Kyiv and on Odesa (4-10 June), Zelensky's meetings with
Kellogg and his UN speech (September), and the steps of one affair of 25-28 December (the
Trump meeting announced and scheduled, Zelensky in Halifax and in Florida, Trump's call with
Putin before the talks; the talks' outcome is the main set's dev-097 and is left out). The
distractors are other steps of the same affairs within hours or a day (a preview, an arrival,
a reaction, a later remark, a rescheduling, another call of the same affair). The build stops
on a title or URL that the main set or an earlier part already has, on a development in one
language, and on two versions of one development from one outlet. Held out (README.md,
"Held-out part 13", with its audit): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held12 parts.
OTHER_PARTS = held_part.files_through("held12")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["interfax-ua-ru-1077437", "peoplesdaily-xinhua-20250605-20323616"],
     "event"),  # Trump after his call with Putin: Putin "will have to respond" to the attack on the airfields, evening of 4 Jun 2025
    (["interfax-ua-1077816", "devdiscourse-3449242"],
     "event"),  # Russia's night attack on Kyiv, four dead and 20 injured, 6 Jun 2025
    (["kyivindependent-2025-06-10-mass-attack-maternity-hospital", "anews-az-ru-480576", "politic-kiev-ua-53836"],
     "event"),  # Russia's night attack on Odesa and Kyiv, a maternity hospital hit in Odesa, one then two dead, 10 Jun 2025
    (["rbc-ua-1757615077", "pravda-ua-rus-7530461"],
     "event"),  # Zelensky meets Trump's envoy Kellogg in Kyiv: Patriot purchases, pressure on Russia, evening of 11 Sep 2025
    (["novyny-live-282748", "charter97-656703", "interfax-ua-en-1106675"],
     "event"),  # Zelensky meets Kellogg in New York before the UN General Assembly, briefs him on the counter-offensive, 22-23 Sep 2025
    (["report-az-ru-zelenskij-prinudit-rossiyu-k-miru", "novyny-live-283218"],
     "event"),  # Zelensky's speech at the UN General Assembly: act together to force Russia to peace, 24 Sep 2025
    (["interfax-ua-ru-1077482", "vaticannews-en-2025-06-pope-leo-xiv-phone-call-putin"],
     "event"),  # the Vatican: Pope Leo XIV spoke with Putin by phone, afternoon of 4 Jun 2025 (another call of Putin's the same afternoon as Trump's)
    (["rbc-ua-1766744139", "km-ru-920635"],
     "event"),  # a Trump-Zelensky meeting announced for the coming days (Zelensky; Axios: Sunday at Mar-a-Lago), 26 Dec 2025
    (["rbc-ua-1766812300", "riamo-2025-12-27-vstrecha-trampa-i-zelenskogo-28-dekabrja"],
     "event"),  # the White House schedule: Trump meets Zelensky in Palm Beach on 28 Dec, morning of 27 Dec 2025
    (["novyny-live-ru-302744", "rbc-ua-1766856690"],
     "event"),  # Zelensky lands in Halifax to meet Carney on his way to Florida, evening of 27 Dec 2025 (Kyiv time)
    (["rbc-ua-1766941514", "lenta-2025-12-28-tramp-pozvonil-putinu", "wionews-1766946324768"],
     "event"),  # Trump: a "very productive" call with Putin before the Mar-a-Lago talks, afternoon of 28 Dec 2025 (US time)
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or a day (a preview, an arrival, a reaction, a later remark, a rescheduling, another
# call of the same affair).
DISTRACTORS: list[tuple[str, str]] = [
    ("osnmedia-tramp-sravnil-konflikt-s-drakoj", "event"),  # Trump beside Merz: Russia and Ukraine are like children fighting, evening of 5 Jun 2025 (a later remark, the day after the call)
    ("armenianreport-ru-418652", "event"),  # Peskov: everything the army does is a response to Kyiv, asked about the night's strike, 6 Jun 2025 (a reaction, hours later)
    ("news-ru-horoshie-idei-zelenskij-uitkoff-kushner", "event"),  # Zelensky's Christmas call with Witkoff and Kushner: "good ideas", 25 Dec 2025 (another step between the plan and the meeting)
    ("nikvesti-312720", "event"),  # Zelensky to reporters: the 20-point plan is 90% ready, afternoon of 26 Dec 2025 (a later statement, two days after the plan was made public)
    ("rbc-ua-1757591830", "event"),  # Kellogg arrives in Kyiv, afternoon of 11 Sep 2025 (an earlier step, hours before the meeting)
    ("report-az-en-zelenskyy-to-meet-canada-s-pm", "event"),  # Zelensky on the plane: he will stop in Canada to meet Carney, 27 Dec 2025 (a preview, hours before he lands)
    ("charter97-668077", "event"),  # Zelensky lands in Florida, night of 27-28 Dec 2025 (hours before the call and the talks)
    ("novyny-live-282915", "event"),  # Zelensky arrives at the UN headquarters for the session's opening, 23 Sep 2025 (the day before his speech)
    ("rbc-ua-1766859912", "event"),  # Carney announces CA$2.5bn for Ukraine at his Halifax meeting with Zelensky, evening of 27 Dec 2025 (Kyiv time; hours after the landing)
    ("glavnoe-in-ua-perenesly-na-2000", "event"),  # the White House moves the meeting to 13:00 local time, morning of 28 Dec 2025 (Kyiv time; a day after the schedule)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held12", DEVELOPMENTS, DISTRACTORS, "hd13")

if __name__ == "__main__":
    raise SystemExit(main())
