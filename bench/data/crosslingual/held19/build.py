"""``held19/stream.jsonl``, the nineteenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held19/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is news in general, none of it the war
in Ukraine, from August to December 2025: a school shooting in Minneapolis, an earthquake off
Cebu, a truce on the Pakistan-Afghanistan border, arrests over the Louvre robbery, a police raid
in Rio's favelas, the BBC director-general's resignation, Sarkozy let out of prison pending
appeal, the end of the US government shutdown, a mass abduction from a Nigerian school, the G20
summit's declaration in Johannesburg, two Guard members shot near the White House, the US
lifting sanctions on Belarusian potash and, hours later, Belarus freeing 123 prisoners. Several
distractors are other steps of the same affairs within hours or days (a Thai parliament's vote
announced, then its choice confirmed by the king; the hearing previewed before Sarkozy's release;
the Doha ceasefire four days after the truce; troops sent to Washington after the shooting; the
freed prisoners' press conference) and others are events of the same days (the Gaza flotilla
intercepted, a Thai-Cambodian peace declaration, a fire at COP30, an Ethiopian eruption, Trump's
call for a Thai-Cambodian ceasefire). The build stops on a title or URL that the main set or an
earlier part already has, on a development in one language, and on two versions of one
development from one outlet. Held out (README.md, "Held-out part 19"): scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held18 parts.
OTHER_PARTS = held_part.files_through("held18")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["tatar-inform-5996634", "pravda-ua-7528119"],
     "event"),  # a gunman fires into a Mass at the Annunciation Catholic school in Minneapolis, two children killed, 27 Aug 2025
    (["zakon-kz-6492678", "wionews-1759256914867", "rbc-ua-1759298479"],
     "event"),  # a magnitude 6.9 earthquake off northern Cebu kills dozens, night of 30 Sep 2025 (Philippines)
    (["news-ru-pakistan-i-afganistan-dogovorilis-o-prekrashenii-ognya", "rbc-ua-1760537700"],
     "event"),  # Pakistan and Afghanistan agree a 48-hour truce on their border, 15 Oct 2025
    (["interfax-ua-1115661", "news-ru-zaderzhali-podozrevaemyh-v-ograblenii-luvra"],
     "event"),  # two suspects in the Louvre robbery arrested, one at Charles de Gaulle airport, 25-26 Oct 2025
    (["lenta-ru-rio-20251029", "rbc-ua-1761758290"],
     "event"),  # a police raid on the Comando Vermelho in Rio's favelas kills dozens, then over 130, 28-29 Oct 2025
    (["radio1-ru-gendirektor-bbc-otstavka", "rbc-ua-en-1762717944", "sud-ua-uk-345747"],
     "event"),  # BBC director-general Tim Davie and news chief Deborah Turness resign over the Trump edit, 9 Nov 2025
    (["rbc-ua-1762780613", "inforos-187271"],
     "event"),  # a Paris appeals court releases Sarkozy from prison under judicial supervision, 10 Nov 2025
    (["lenta-ru-shatdaun-20251113", "ipress-ua-378670"],
     "event"),  # Trump signs the funding bill that ends the 43-day US government shutdown, night of 12-13 Nov 2025
    (["ria-20251122-mir-2056801144", "interfax-ua-1122733"],
     "event"),  # the G20 summit opens in Johannesburg and adopts its declaration at the start, without the US, 22 Nov 2025
    (["report-az-ru-v-nigerii-pohitili-bolee-200-shkolnikov", "ipress-ua-379040"],
     "event"),  # gunmen abduct pupils and teachers from St Mary's Catholic school in Papiri, Niger state, 21 Nov 2025 (Nigeria)
    (["novyny-live-uk-296475", "newsru-co-il-26nov2025-usa-0012"],
     "event"),  # a gunman shoots two National Guard members near the White House, 26 Nov 2025 (Washington)
    (["rbc-ua-1765628655", "belta-754015-2025"],
     "event"),  # US envoy Coale in Minsk: the United States lifts sanctions on Belarusian potash, 13 Dec 2025
    (["newsru-co-il-13dec2025-maria810", "rbc-ua-1765635642", "wionews-1765635367648"],
     "event"),  # Lukashenko frees 123 prisoners, Kolesnikova, Babaryka and Bialiatski among them, 13 Dec 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a preview, a later step) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("report-az-ru-parlament-tailanda-vyberet", "event"),  # Thailand's parliament to choose a new prime minister, 5 Sep 2025 03:24 Baku time (a preview of the vote)
    ("newsru-co-il-7sep2025-thailand-122", "event"),  # the Thai king confirms Anutin as prime minister, 7 Sep 2025 11:25 Israel time (the next step, two days after the vote)
    ("ridus-706446", "event"),  # Israel intercepts the Gaza flotilla, Greta Thunberg safe, 1 Oct 2025 23:33 Moscow time (another event of the quake's day)
    ("news-ru-v-dohe-zavershilis-peregovory-afganistana-i-pakistana", "event"),  # Pakistan and Afghanistan agree an immediate ceasefire in Doha, 19 Oct 2025 02:40 Moscow time (a later step, four days after the truce)
    ("rbc-ua-1761461591", "event"),  # Thailand and Cambodia sign a peace declaration before Trump in Kuala Lumpur, 26 Oct 2025 (another event of the Louvre arrests' day)
    ("rbc-ua-1762772507", "event"),  # the Paris appeals court to hear Sarkozy's request for release, 10 Nov 2025 13:01 Kyiv time (a preview, two hours before the decision)
    ("report-az-ru-v-brazilii-na-cop30-proizoshel-pozhar", "event"),  # a fire at the COP30 venue in Belém, 20 Nov 2025 22:04 Baku time (another event two days before the G20)
    ("newsru-co-il-24nov2025-voclano-202", "event"),  # the Hayli Gubbi volcano erupts in Ethiopia, 24 Nov 2025 09:20 Israel time (another event of the G20's days)
    ("tass-25742611", "event"),  # 500 more Guard troops to be sent to Washington, 27 Nov 2025 00:41 Moscow time (a decision hours after the shooting)
    ("life-ru-1819933", "event"),  # Trump says Thailand and Cambodia agreed to stop fighting, 12 Dec 2025 18:07 Moscow time (another event of the eve of Belarus's releases)
    ("charter97-666678", "event"),  # the freed Belarusian prisoners' press conference in Chernihiv, 15 Dec 2025 09:00 Minsk time (a later step, two days after the release)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held18", DEVELOPMENTS, DISTRACTORS, "hd19")

if __name__ == "__main__":
    raise SystemExit(main())
