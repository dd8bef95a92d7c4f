"""``held22/stream.jsonl``, the twenty-second held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held22/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, or for two rows the
creation stamp in its address, quoted in ``provenance.time_from``), grouped by reading into the
developments and distractors below with the editor rule of ../README.md ("Dev part"). All of it
is the war in Ukraine, May to November 2025, in five clusters of neighbouring days: early May
(the exchange of 6 May, the night attack on Kyiv of 7 May), September (the bodies returned on 18
September), early October (a night drone attack on Kharkiv), late October (the bodies returned
on 23 October, Putin's envoy Dmitriev on a "diplomatic solution" on 25 October, the night attack
on Kyiv of 26 October, Zelensky's Axios interview on a ceasefire plan) and 8-13 November
(Centrenergo's plants halted by the night attack, Zelensky's addresses from Kherson and from the
Zaporizhzhia front announcing Stavka meetings two days apart, the withdrawal near five villages
in Zaporizhzhia region, Syrsky on Pokrovsk). It is SMALL (13 developments): timed pages in a
second language from a second outlet were rare.
Its distractors are other events of the same days (the SBU's drones on two Russian plants the
night Russia struck Kyiv, Sybiha on the "parade truce" and Zelensky's call with Trump two days
after the exchange, a shelling round-up and the Commission's approval of its 19th sanctions
package the day after a repatriation, a Molniya-borne drone in Kharkiv the day of the Kyiv
attack, a drone on an apartment block in Dnipro the night Centrenergo's plants stopped, a strike
on Sumy, a ballistic missile near Kharkiv the morning of the Kherson address and Shaheds on
Kharkiv the next morning), the next step of an affair (Ukrenergo's outage schedules an hour
after Centrenergo's post) and the other side's claim a day before a development (the Russian
defence ministry on Nove and Solodke); several developments are the same kind of act a few days
apart (the two Stavka announcements, the two repatriations, the two night attacks on Kyiv). The
build stops on a title or URL that the main set or an earlier part already has, on a development
in one language, and on two versions of one development from one outlet. Held out (README.md,
"Held-out part 22"): scored by the lead once per frozen linker, never tuned on.
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
    (["m24-ru-794944", "kyivindependent-205-pows-swap-russia", "intent-press-uk-205-viiskovopolonenikh"],
     "event"),  # Russia and Ukraine exchange 205 prisoners each (UAE mediation), 6 May 2025
    (["pravda-ua-eng-7510979", "nikvesti-uk-304653"],
     "event"),  # a Russian missile and drone attack on Kyiv kills two, injures eight (four children), night and morning of 7 May 2025
    (["glavred-ru-10699202", "glavnoe-uk-rf-povernula-1000-til-18-veresnia", "interfax-ua-en-1105701"],
     "event"),  # Ukraine receives the bodies of 1,000 fallen in a repatriation, 18 Sep 2025
    (["objectiv-ru-2025-10-05-udar-bpla-po-harkovu", "novosti-dn-uk-407207"],
     "event"),  # a Russian drone attack on Kharkiv from 22:44 on 5 Oct 2025: about 15 strikes, Novobavarskyi district, three then four hurt
    (["nikvesti-uk-310345", "realnoevremya-ru-363301"],
     "event"),  # Ukraine receives 1,000 bodies, Russia 31, in a repatriation, 23 Oct 2025
    (["rbc-ua-uk-1761380274", "newsru-il-25oct2025-dmitr814"],
     "event"),  # Putin's envoy Dmitriev to CNN in Washington: Russia, the US and Ukraine "quite close to a diplomatic solution", the Trump-Putin meeting not cancelled, 24-25 Oct 2025
    (["newsmax-1231876", "bagnet-uk-1390295"],
     "event"),  # a night drone attack on Kyiv (Desnianskyi district) kills three and injures about 30, 26 Oct 2025
    (["nv-ru-50555777", "novyny-live-uk-290097", "interfax-ua-en-1115820"],
     "event"),  # Zelensky to Axios: a short ceasefire plan with the Europeans within 7-10 days, 27 Oct 2025
    (["glavnoe-uk-tsentrenerho-zupynka-heneratsiyi", "rbc-ua-en-1762616085", "news-ru-nol-na-ukraine-zatihli-vse-tes"],
     "event"),  # Centrenergo: all its thermal plants halted by the night attack, zero generation, 8 Nov 2025
    (["novyny-live-ru-293282", "interfax-ua-uk-1119609"],
     "event"),  # Zelensky's address from Kherson on its liberation anniversary: more defence, a Stavka on frontline cities on Friday, 11 Nov 2025
    (["life-ru-1808972", "interfax-ua-en-1119649", "regionews-uk-1762873743"],
     "event"),  # the Defence Forces of the South: withdrawal from positions near five settlements in Zaporizhzhia region (Voloshin), 11 Nov 2025
    (["interfax-ua-en-1119983", "regionews-uk-1763024323", "glavred-ru-10714829"],
     "event"),  # Syrsky after visiting the Pokrovsk axis: no Russian control of Pokrovsk, no encirclement, 7.4 km2 cleared in a week, 12 Nov 2025
    (["novyny-live-ru-293815", "interfax-ua-uk-1120277", "rbc-ua-en-1763051711"],
     "event"),  # Zelensky's address after his trip to the Zaporizhzhia front: a Stavka on Zaporizhzhia's defence tomorrow, 13 Nov 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (a later step, a reaction) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("pravda-ua-eng-7511090", "event"),  # the SBU's long-range drones on the Bazalt and Splav defence plants in Russia the night of 6-7 May 2025, filed 17:42 Kyiv time (Ukraine's strike the same night as Russia's attack on Kyiv)
    ("spravzhne-ru-1746702798", "event"),  # foreign minister Sybiha: 734 violations of Russia's 'parade truce' by noon, 8 May 2025 14:13 Kyiv time (another event of the days of the exchange and the Kyiv attack)
    ("pravda-ua-eng-7511355", "event"),  # Zelensky on his call with Trump (ceasefire, the ratified minerals agreement), 8 May 2025 23:22 Kyiv time (another event of the days of the exchange and the Kyiv attack)
    ("pravda-ua-uk-7531527", "event"),  # a morning round-up of Russian shelling of Donetsk, Zaporizhzhia and Kharkiv regions (five killed), 19 Sep 2025 08:57 Kyiv time (other events of the day after the repatriation of 18 Sep)
    ("pravda-ua-uk-7531573", "event"),  # the Commission approves its 19th-package proposal, to be presented that afternoon, 19 Sep 2025 14:00 Kyiv time (another event of the day after the repatriation of 18 Sep)
    ("objectiv-ru-2025-10-26-molnii-fpv", "event"),  # an FPV drone carried by a Molniya explodes near a Kharkiv restaurant, 26 Oct 2025 17:38 Kyiv time (another attack of the day of the night attack on Kyiv, the day before the Axios interview)
    ("regionews-uk-1762596803", "event"),  # a Russian drone on a nine-storey block in Dnipro, the night of 8 Nov 2025, filed 11:45 Kyiv time (another incident of the night that halted Centrenergo's plants)
    ("rbc-ua-uk-1762617481", "event"),  # Ukrenergo's outage schedules for 9 Nov (all day, 2-4 queues), 8 Nov 2025 17:58 Kyiv time (the next step of the night attack's aftermath, an hour after Centrenergo's post)
    ("24tv-uk-n2949410", "event"),  # an unknown munition on Sumy's Kovpakivskyi district at noon, no one hurt, 9 Nov 2025 14:57 Kyiv time (another event of the days between Centrenergo's halt and the Kherson address)
    ("news-ru-osvobodili-dva-nasel-punkta-zaporozhskoj", "event"),  # the Russian defence ministry claims Nove and Solodke in Zaporizhzhia region, 10 Nov 2025 12:45 Moscow time (the other side's claim, a day before Ukraine confirmed the withdrawal near Nove)
    ("objectiv-uk-2025-11-11-tse-bula-balistika", "event"),  # a Russian ballistic missile on a settlement near Kharkiv the morning of 11 Nov 2025, filed 09:04 Kyiv time (another event of the day of the Kherson address and the withdrawal)
    ("glavnoe-uk-postrazhdali-ataka-shakhediv-kharkiv", "event"),  # three Shaheds on Kharkiv's Kholodnohirskyi district, a transport company hit, three hurt, 12 Nov 2025 10:45 Kyiv time (another event of the day of Syrsky's Pokrovsk statement)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held20", DEVELOPMENTS, DISTRACTORS, "hd22")

if __name__ == "__main__":
    raise SystemExit(main())
