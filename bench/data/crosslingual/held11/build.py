"""``held11/stream.jsonl``, the eleventh held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held11/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All are the war in Ukraine, May 2025 to January
2026: strikes on Kyiv, talks and calls, statements, appointments and dismissals, a law, an
exchange, a visit, a summit called off. Most distractors are other steps of the same affairs within hours or a day (a
preview, the step before a decision, a reaction, a later remark, the next day's step). The
build stops on a title or URL that the main set or an earlier part (check, dev, fresh,
held3-held10) already has, on a development in one language, and on two versions of one
development from one outlet. Held out (README.md, "Held-out part 11"): scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3, held4, held5, held6, held7, held8, held9 and held10 parts.
OTHER_PARTS = held_part.files_through("held10")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["citynews-toronto-2025-05-25-trump-putin-crazy", "aroundprague-putin-soshyol-s-uma-tramp"],
     "event"),  # Trump: Putin "has gone absolutely CRAZY", Truth Social, evening of 25 May 2025 (US Eastern)
    (["osnmedia-ushakov-tramp-skorejshem-okonchanii-svo", "lbc-putin-trump-pursue-its-goals",
      "uanews-tramp-zaklikav-putina-pripiniti-vogon"],
     "event"),  # Ushakov's readout of the Trump-Putin call: Russia will not back down from its goals, 3 Jul 2025
    (["realist-rosijani-masovo-atakuvali-kijiv", "firstpiper-2025-07-04-record-drones-kyiv",
      "chaspravdy-2025-07-05-zhertv-kyyevi-4-lypnya"],
     "event"),  # Russia's record drone and missile attack on Kyiv, night of 4 Jul 2025, and its toll the next day
    (["kyivindependent-2025-07-04-zelensky-trump-call", "interfax-ua-1085172"],
     "event"),  # Zelensky and Trump's phone call on air defence, afternoon of 4 Jul 2025 (the audit's extension)
    (["interfax-ua-ru-1092125", "facenews-2025-528251"],
     "event"),  # Zelensky signs the law restoring NABU's and SAPO's independence, afternoon of 31 Jul 2025
    (["novyny-live-274219", "upi-2025-08-14-ukraine-russia-prisoner-swap",
      "lenta-2025-08-14-osvobozhdennye-iz-plena-vernulis"],
     "event"),  # Ukraine and Russia exchange 84 for 84 prisoners, 14 Aug 2025, the freed Russians landing near Moscow that evening
    (["regionews-1756016893-karni-posetil-kiev", "sud-ua-339298-karni-kyiv", "newsx-2025-08-24-carney-kyiv-52052"],
     "event"),  # Canada's prime minister Carney arrives in Kyiv on Independence Day, morning of 24 Aug 2025 (the audit's extension)
    (["lenta-2025-10-10-pereboi-s-elektroenergiey", "novyny-live-kyiv-en-286580"],
     "event"),  # Kyiv's left bank without power after Russia's strikes, night of 10 Oct 2025
    (["eurointegration-2025-10-11-7222227", "lenta-2025-10-11-razgovor-zelenskogo-i-trampa"],
     "event"),  # Zelensky and Trump hold a phone call, afternoon of 11 Oct 2025 (the audit's extension)
    (["radio1-2025-10-23-tramp-otmenil-vstrechu-v-vengrii", "peoplesdaily-xinhua-20251023-20380883"],
     "event"),  # Trump: the Budapest meeting with Putin is cancelled, 22 Oct 2025 US time (the audit's extension)
    (["objectiv-tv-ru-2025-10-25-detskij-sad-kiev", "novyny-live-kyiv-289808", "lorientlejour-1482481"],
     "event"),  # Russia's ballistic strike on Kyiv, a kindergarten damaged, one then two killed, 25 Oct 2025
    (["ipress-379018", "charter97-663890"],
     "event"),  # Zelensky's address: "either the loss of dignity or the risk of losing a key partner", 21 Nov 2025
    (["novyny-live-kyiv-296017", "charter97-664267"],
     "event"),  # Russia's strike on Kyiv, deaths in Sviatoshynskyi and Dniprovskyi, night of 25 Nov 2025
    (["interfax-ua-1127199", "anews-2025-12-10-zelensky-ready-for-elections-60-90-days"],
     "event"),  # Zelensky: ready for elections in 60-90 days if the US and Europe secure them, evening of 9 Dec 2025
    (["cgtn-2025-12-14-ukraine-offers-to-drop-nato", "ipress-379890", "newsru-co-il-15dec2025-zelen-202"],
     "event"),  # Zelensky: Ukraine ready to drop its NATO bid for Article 5-like guarantees, Berlin, 14 Dec 2025
    (["socastsrm-reuters-2026-01-05-maliuk-to-be-replaced", "comments-ua-792781",
      "news-ru-malyuk-pokinul-post-glavy-sbu"],
     "event"),  # Malyuk leaves the SBU, Khmara acting head, 5 Jan 2026 (an MP's report that morning, Zelensky's the same day)
    (["rbc-ua-1768316606", "fakti-bg-en-1027226"],
     "event"),  # the Rada fails to appoint Shmyhal energy minister and to vote on Fedorov, 13 Jan 2026
    (["glavnoe-2026-01-14-rada-pryznachyla-fedorova", "rumetals-belta-758906-2026"],
     "event"),  # the Rada appoints Fedorov defence minister at the second attempt, 14 Jan 2026
    (["regionews-1769167464-abu-dabi-rozpochalisya", "newsru-co-il-23jan2026-trilat506",
      "chinaview-xinhua-20260123-a22dd247"],
     "event"),  # the first trilateral Ukraine-US-Russia talks begin in Abu Dhabi, 23 Jan 2026
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or a day (a preview, the step before a decision, a reaction, a later remark, the next
# day's step) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("aroundprague-trump-razocharovan-razgovorom", "event"),  # Trump: "no progress at all" with Putin, 4 Jul 2025 (his remark after the call, the next morning in Prague)
    ("aroundprague-desyat-dnej-tramp-obratilsya-k-putinu", "event"),  # Trump on Air Force One: "ten days from today", 29 Jul 2025 (a remark the day after he shortened his deadline at Turnberry)
    ("regionews-1753955857-319-golosiv", "event"),  # the Rada puts the NABU bill on its agenda, 31 Jul 2025 12:33 (the step before the vote and the signing)
    ("radio1-putin-ofitsialno-priglasil-zelenskogo-v-moskvu", "event"),  # Putin in Beijing: let Zelensky come to Moscow, 3 Sep 2025
    ("pravda-eng-2025-09-3-7529199", "event"),  # Sybiha calls Putin's Moscow proposal unacceptable, 3 Sep 2025 (a reaction two hours later)
    ("novyny-live-278889", "event"),  # Zelensky: inviting me to Moscow means not wanting a meeting, 4 Sep 2025 (a reaction the next day)
    ("pravda-eng-2025-09-4-7529369", "event"),  # Macron: 26 countries pledge troops or assets for a reassurance force, 4 Sep 2025
    ("regionews-1760106881-klichko-poperediv-novu-hvilyu", "event"),  # Klitschko warns of a new wave of attacks on Kyiv, 10 Oct 2025 17:33 (a later statement the same day)
    ("theanswerdetroit-ap-trump-tomahawks-522fb8bb", "event"),  # Trump: may send Ukraine Tomahawks if Moscow does not settle, 12 Oct 2025
    ("rbc-ua-1761742161", "event"),  # Putin announces the Poseidon test, 29 Oct 2025
    ("bagnet-1392110-fastiv-znyshchyly-vokzal", "event"),  # Fastiv's railway station destroyed in the night's strikes, 6 Dec 2025
    ("rbc-ua-1765144736", "event"),  # drones on Kyiv region a third night running, Fastiv again, late on 7 Dec 2025 (a later night's attack)
    ("novosti-n-330095", "event"),  # Zelensky proposes Fedorov as defence minister, 2 Jan 2026 (the nomination, twelve days before the appointment)
    ("sud-ua-350766-rada-zvilnyla-malyuka", "event"),  # the Rada votes Malyuk's dismissal, 13 Jan 2026 14:11 (eight days after he left; the audit's extension)
    ("dv-ee-2026-01-23-v-abu-dabi-projdut", "event"),  # Ushakov: the trilateral talks will be held in Abu Dhabi today, 23 Jan 2026 09:55 Tallinn (a preview)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held10", DEVELOPMENTS, DISTRACTORS, "hd11")

if __name__ == "__main__":
    raise SystemExit(main())
