"""``held23/stream.jsonl``, the twenty-third held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held23/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public news
pages, kept with its provenance and the time with zone its page shows, or for five rows the creation
stamp in its address, quoted in ``provenance.time_from``), grouped by reading into the developments
and distractors below with the editor rule of ../README.md ("Dev part"). All of it is news in
general, none of it the war in Ukraine, from July to November 2025: Israel's security cabinet
approving the plan to take Gaza City, Germany halting arms exports to Israel for use in Gaza the day
after, the UN declaring famine in Gaza, the US veto of the Security Council's Gaza ceasefire draft,
Trump's new 100% tariff on Chinese goods (in three languages), Diane Keaton's death, Prince Andrew
giving up the Duke of York title, Dick Cheney's death, Typhoon Kalmaegi's toll in the Philippines,
Trump's call to release the Epstein files, the bus of Indian pilgrims burnt near Medina, the
Security Council backing Trump's Gaza plan and Netanyahu's request for a pardon. The distractors are
other steps of the same affairs within hours or days (Netanyahu's Fox News interview hours before
the Gaza City plan, Israel's ground offensive in Gaza City two days before the veto, Macron's regret
at Claudia Cardinale's death seven hours after it was reported, the House vote on the Epstein files
a day after Trump's call and the preview of his signing the bill a day later, the Lithuanian prime
minister's resignation and his cabinet's four days later) and other events of the same days (Robert
Redford's and Claudia Cardinale's deaths the week of the veto, the Mazar-i-Sharif earthquake the day
before Cheney's death was announced, von der Leyen surviving a second no-confidence vote the day
before the China tariff, Israel announcing the Houthi chief of staff's death in the week of the
tariff and of Keaton's death, Bolivia's runoff two days after Andrew gave up his title). The build
stops on a title or URL that the main set or an earlier part already has, on a development in one
language, and on two versions of one development from one outlet. Held out (README.md, "Held-out
part 23"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held22 parts.
OTHER_PARTS = held_part.files_through("held22")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["pravda-ua-uk-7525244", "charter97-ru-651283"],
     "event"),  # Israel's security cabinet approves the plan to take control of Gaza City, night of 7-8 Aug 2025
    (["news-ru-lovushka-goloda-v-oon-zametili", "ipress-ua-uk-375540"],
     "event"),  # the UN-backed IPC declares famine in Gaza City for the first time, 22 Aug 2025
    (["news-ru-tramp-anonsiroval-vvedenie-globalnyh-poshlin", "interfax-ua-uk-1111607", "hindustantimes-101760130341925"],
     "event"),  # Trump announces a further 100% tariff on Chinese goods from 1 November, evening of 10 Oct 2025 (Hindustan Times' English row added by xheld32e)
    (["inforos-ru-186408", "wionews-en-1760755159882"],
     "event"),  # Prince Andrew gives up the Duke of York title over his ties to Epstein, 17 Oct 2025
    (["news-ru-skonchalsya-glavnyj-arhitektor-vojny-s-terrorom", "ipress-ua-uk-378338"],
     "event"),  # former US vice president Dick Cheney dies at 84, announced 4 Nov 2025
    (["nsn-fm-ru-zhertvami-tajfuna-kalmaegi-stali-26", "ipress-ua-uk-378370"],
     "event"),  # Typhoon Kalmaegi kills dozens in the central Philippines, 4-5 Nov 2025
    (["eurointegration-uk-7225008", "news-ru-tramp-prizval-kongress-rassekretit-delo-epshtejna"],
     "event"),  # Trump urges House Republicans to vote to release the Epstein files, night of 16-17 Nov 2025
    (["rbc-ua-1764522553", "newdaynews-ru-865440"],
     "event"),  # Netanyahu asks President Herzog for a pardon, 30 Nov 2025
    (["ria-ru-20250918-ssha-2042849026", "ipress-ua-uk-376581"],
     "event"),  # the US vetoes the Security Council's draft calling for a Gaza ceasefire, its sixth such veto, 18 Sep 2025 (added by xheld32d)
    (["report-az-ru-oskaronosnaya-aktrisa-dajan-kiton-skonchalas", "espreso-uk-dayan-kiton-pishla-z-zhittya"],
     "event"),  # the actress Diane Keaton dies at 79, reported on the evening of 11 Oct 2025 (added by xheld32d)
    (["news-ru-sb-oon-prinyal-reshenie-po-blizhnevostochnoj-rezolyucii", "rbc-ua-1763435227"],
     "event"),  # the UN Security Council adopts the US resolution backing Trump's Gaza plan, evening of 17 Nov 2025 New York time (added by xheld32d)
    (["newsru-co-il-saud-202-17nov2025", "hindustantimes-101763358317314"],
     "event"),  # 45 Indian pilgrims killed as their bus hits a fuel tanker near Medina, night of 16-17 Nov 2025 (added by xheld32e; NEWSru.co.il's row was a distractor until then)
    (["rbc-ua-1763499452", "novyny-live-ru-294838"],
     "event"),  # the House votes 427-1 to release the Epstein files, evening of 18 Nov 2025 Kyiv time, a day after Trump's call (added by xheld32e)
    (["rbc-ua-1754651515", "lenta-ru-germaniya-priostanovit-razresheniya-izrailyu"],
     "event"),  # Merz says Germany will approve no arms exports to Israel that could be used in Gaza, 8 Aug 2025, the day after the Gaza City plan (added by xheld32e; Lenta.ru's row was a distractor until then)
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a reaction, a later step) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("vesti-ua-uk-270312", "event"),  # Lithuania's prime minister Paluckas announces his resignation, 31 Jul 2025 18:38 Kyiv time
    ("ostrovets-by-ru-news52690", "event"),  # Lithuania's cabinet resigns, 4 Aug 2025 11:51 Minsk time (a later step, four days on)
    ("nsn-fm-ru-netanyahu-ne-planiruet-kontrolirovat-sektor-gaza", "event"),  # Netanyahu tells Fox News Israel will take all of Gaza and hand it to Arab forces, 7 Aug 2025 18:02 Moscow time (the preview, hours before the cabinet met)
    ("report-az-ru-ursula-fon-der-lyajen-vtoroj-raz-izbezhala-votuma", "event"),  # von der Leyen survives a second no-confidence vote, 9 Oct 2025 14:12 Baku time (another event the day before the China tariff)
    ("rbc-ua-1760624014", "event"),  # Israel's defence minister says the Houthis' chief of staff al-Ghamari was killed in an Israeli strike, 16 Oct 2025 17:26 Kyiv time (another event of the week of the China tariff)
    ("inform-kz-ru-zemletryasenie-v-afganistane-rastet-chislo-zhertv", "event"),  # a magnitude 6.3 earthquake near Mazar-i-Sharif kills 20, 3 Nov 2025 12:59 Astana time (another event the day before Cheney's death was announced)
    ("ridus-ru-735246", "event"),  # Trump will sign the bill to release the Epstein files, 19 Nov 2025 06:32 Moscow time (a later step, two days on)
    ("pravda-ua-ru-7531048", "event"),  # Israel begins its ground offensive in Gaza City, 16 Sep 2025 02:48 Kyiv time (a later step of the Gaza City plan; two days before the US veto) (added by xheld32d)
    ("report-az-ru-umer-akter-robert-redford", "event"),  # the actor Robert Redford dies at 89, 16 Sep 2025 16:54 Baku time (another event of the ground offensive's day) (added by xheld32d)
    ("tvzvezda-ru-2025924144-N0Hhu", "event"),  # the actress Claudia Cardinale dies at 87, 24 Sep 2025 01:44 Moscow time (another actor's death, the week after Redford's) (added by xheld32d)
    ("interfax-ua-uk-1107031", "event"),  # Macron regrets Claudia Cardinale's death, 24 Sep 2025 08:28 Kyiv time (a reaction, seven hours after the death was reported) (added by xheld32d)
    ("lenta-ru-v-bolivii-na-prezidentskih-vyborah-pobedil-autsayder", "event"),  # Rodrigo Paz wins Bolivia's presidential runoff, 20 Oct 2025 03:51 Moscow time (another event, two days after Andrew gave up his title) (added by xheld32d)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held22", DEVELOPMENTS, DISTRACTORS, "hd23")

if __name__ == "__main__":
    raise SystemExit(main())
