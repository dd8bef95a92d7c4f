"""``held31/stream.jsonl``, the thirty-first held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held31/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public news
pages, kept with its provenance and the time with zone its page shows or, for four rows named in
``provenance.time_from``, the creation stamp in its address), grouped by reading into the
developments and distractors below with the editor rule of ../README.md ("Dev part"). All of it is
the war in Ukraine in 2024. Its developments are Russian strikes and their tolls (Kharkiv's petrol
station of 10 February, Kyiv of 21 March and 2 September, Kharkiv of 6 April and 1 September, Odesa
of 29 April and 18 November, the Kostiantynivka supermarket of 9 August, Kryvyi Rih of 6 December)
and the prisoner exchange of 13 September; its distractors are the next day's exchange (14
September), Pokrovsk of 6 January and other strikes of the same weeks and cities (Sumy, Mykolaiv
twice, Zaporizhzhia twice, Kryvyi Rih again, Kharkiv twice, Odesa twice) (README.md, "Held-out part
31"; audited by aud35b: two "Updated" pages, a wire copy and a republished copy taken out, three
rows added). The build stops on a title or URL that the main set or an earlier part already has, on a
development in one language, and on two versions of one development from one outlet. Held out:
scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held30 parts.
OTHER_PARTS = held_part.files_through("held30")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["pravda-en-7447447", "sud-uk-296165"],
     "event"),  # Russian ballistic and cruise missiles on Kyiv before dawn on 21 Mar 2024, all 31 downed, debris on three districts, ten then 13 hurt
    (["nikvesti-en-294296", "regionews-uk-1725194426", "dumka-ru-1725191657"],
     "event"),  # about ten Russian missile strikes on Kharkiv the afternoon of 1 Sep 2024 (the Palace of Sports, a shopping centre, near the Hydropark): 29, then 41 hurt, no one killed
    (["pravda-en-7473015", "vgorode-uk-a1266358"],
     "event"),  # Russian cruise and ballistic missiles on Kyiv early on 2 Sep 2024: debris and fires in three districts (the Sviatoshyn metro entrance, a boiler house), two then three hurt
    (["pravda-en-7469649", "artsakh-ru-299994", "interfax-ua-uk-1005869"],
     "event"),  # the Russian strike on a supermarket in Kostiantynivka, Donetsk region, about 11:05 on 9 Aug 2024: 11 killed by the afternoon, 14 killed and 43 hurt by the evening
    (["pravda-en-7488054", "mezha-uk-kryvyi-rih-6-december", "rbc-ru-1733505536"],
     "event"),  # a Russian ballistic missile on an administrative building in Kryvyi Rih on 6 Dec 2024: one then two killed, 19 hurt including a six-year-old boy
    (["pravda-en-7449984", "interfax-ua-uk-978487"],
     "event"),  # the Russian night strike on Kharkiv's Shevchenkivskyi district of 5-6 Apr 2024: six killed, ten hurt by the morning
    (["kyivindependent-en-odesa-18-november", "intent-uk-odesa-police-19-november", "interfax-ua-ru-1028228"],
     "event"),  # a downed Russian Iskander-M on a residential area of Odesa at 11:57 on 18 Nov 2024: eight then ten killed (seven police officers), 18, 39, then 54-55 hurt by the next morning
    (["uanews-uk-13-september-exchange", "polskieradio-ru-3424652", "rbc-en-1726226860"],
     "event"),  # the prisoner exchange of 13 Sep 2024: 49 Ukrainians home (23 women, Leniie Umerova, Azovstal defenders, the medic Viktor Ivchuk), announced by Zelensky early that afternoon
    (["regionews-ru-1714421190", "interfax-ua-uk-983713"],
     "event"),  # the Russian ballistic missile with a cluster (shrapnel) warhead on Odesa's seafront the evening of 29 Apr 2024 (the Law Academy's 'castle'): five killed, 32 hurt; Pletenchuk on the weapon that evening and the next morning
    (["pravda-ru-7441235", "interfax-ua-uk-966245"],
     "event"),  # Russian Shahed drones on a petrol station in Kharkiv's Nemyshlianskyi district the night of 9-10 Feb 2024: burning fuel spread to 14 houses, seven killed (a family of five with three children), three hurt
]  # fmt: skip

# Real reports of other developments, one row each: other attacks of the same weeks and other steps
# of the developments' affairs.
DISTRACTORS: list[tuple[str, str]] = [
    ("zerkalo-ru-85397", "event"),  # Russian aerial bombs on a car service station in Zaporizhzhia at about 18:00 on 6 Dec 2024, nine killed, 19:51 Kyiv time (another city's strike the same evening as Kryvyi Rih's)
    ("interfax-ua-uk-1036331", "event"),  # a Russian ballistic missile on a four-storey block in Kryvyi Rih on Christmas Eve, 24 Dec 2024, 18:23 Kyiv time (the same city's next strike, 18 days after 6 Dec)
    ("interfax-ua-uk-987806", "event"),  # two Russian Iskander-M missiles on a recreation centre in Cherkaska Lozova, Kharkiv district, about 11:00 on 19 May 2024, six killed, 27 hurt, 18:26 Kyiv time (the Kharkiv region's other strike, six weeks after the city's of 6 Apr)
    ("interfax-ua-uk-1021758", "event"),  # two Russian guided bombs on the centre of Zaporizhzhia the evening of 19 Oct 2024, one hurt, 18:46 Kyiv time
    ("pravda-en-7473008", "event"),  # the Russian missile strike on a children's rehabilitation centre and orphanage in Sumy the evening of 1 Sep 2024, 18 hurt including six children, 08:48 Kyiv time the next morning (another city, between Kharkiv's strikes of 1 Sep and Kyiv's of 2 Sep)
    ("pravda-en-7484899", "event"),  # Russian Shahed drones on Mykolaiv the morning of 17 Nov 2024, two women killed, 08:24 Kyiv time (another city, the day before Odesa's missile of 18 Nov)
    ("intent-uk-mykolaiv-mourning-12-november", "event"),  # a day of mourning in Mykolaiv on 12 Nov 2024 for the five killed by Russian drones on 11 Nov, 11:31 Kyiv time (the same city's earlier attack, six days before 17 Nov)
    ("intent-uk-odesa-shahed-24-february", "event"),  # debris of a downed Shahed kills a man in his Odesa flat the night of 23-24 Feb 2024, 08:44 Kyiv time
    ("intent-uk-odesa-kiper-15-november", "event"),  # Kiper's briefing on the Russian missile and drone attack on Odesa the night of 14-15 Nov 2024 (a cluster missile, a woman killed, ten hurt), 17:51 Kyiv time (the same city's strike three days before the Iskander of 18 Nov)
    ("slk-uk-kharkiv-15-september", "event"),  # Russian guided bombs on a high-rise in Kharkiv's Nemyshlianskyi district the afternoon of 15 Sep 2024, 15:50 Kyiv time (the same city's next big strike, two weeks after 1 Sep, two days after the exchange of 13 Sep)
    ("kyivindependent-en-103-pows-14-september", "event"),  # the prisoner exchange of 14 Sep 2024, 103 soldiers home (23 Azov fighters), 15:14 Kyiv time (the next day's exchange, after that of 13 Sep)
    ("interfax-ua-uk-958905", "event"),  # Russian S-300 missiles on Pokrovsk district, Donetsk region, the afternoon of 6 Jan 2024, the first count (six hurt), 16:22 Kyiv time (the same region's other strike, seven months before Kostiantynivka's)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held30", DEVELOPMENTS, DISTRACTORS, "hd31")

if __name__ == "__main__":
    raise SystemExit(main())
