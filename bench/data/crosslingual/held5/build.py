"""Build ``held5/stream.jsonl``: the fifth held-out part of the cross-lingual set.

    .venv/bin/python bench/data/crosslingual/held5/build.py

Reads the real headlines in captured.jsonl (found in stored public news pages, with
provenance and, where the stored text shows one, the filing time), groups them into the
developments and distractors listed below (judged by reading, with the editor rule of
../README.md, "Dev part"), and writes one JSON object a line sorted by ``published``, in the
format of ``../held4/stream.jsonl`` with ``"part": "held5"``. Every row is a real report: no
translations, and no two versions of a development from one outlet's language editions.
Deterministic. Refuses to build when an item's title or URL is already in the main set, the
check, dev, fresh, held3 or held4 part, when a development has one language only, or when two
of its versions share an outlet (README.md, "Held-out part 5"). The part is held out: it is
scored once per frozen linker by the lead, and never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3 and held4 parts.
OTHER_PARTS = held_part.files_through("held4")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["sputniknews-1094714217", "interfax-en-823730", "ukr-news-2022-04-12-medvedchuk",
      "myua-uk-2022-04-12-medvedchuk"],
     "event"),  # Viktor Medvedchuk detained by the SBU, shown in handcuffs, 12 Apr 2022
    (["rubryka-en-2022-07-17-bakanov", "rbc-ua-ru-1658086374"],
     "event"),  # Zelensky suspends SBU head Bakanov and prosecutor general Venediktova, 17 Jul 2022
    (["news-az-un-annexation-1012", "lb-ua-532409", "interfax-uk-865233", "greenpost-i48640",
      "footclub-1036408893"],
     "event"),  # the UN General Assembly condemns the annexation, 143 votes, evening of 12 Oct 2022
    (["bbc-63905112", "nsn-grainer-but-1208"],
     "event"),  # Brittney Griner swapped for Viktor Bout in Abu Dhabi, 8 Dec 2022
    (["txtreport-2022-12-09-yashin", "perm-veved-181218"],
     "event"),  # Ilya Yashin sentenced to 8.5 years over his words on Bucha, 9 Dec 2022
    (["bbc-64038140", "slovoidilo-2022-12-20-bakhmut"],
     "event"),  # Zelensky's unannounced visit to the front in Bakhmut, 20 Dec 2022
    (["pravda-eng-7386220", "info24-timoshenko-otstavka", "nikvesti-ru-263722", "5-tv-417741"],
     "event"),  # Kyrylo Tymoshenko leaves the President's Office, night of 23-24 Jan 2023
    (["kyivindependent-klymenko-0207", "shpalta-2023-02-07-klymenko"],
     "event"),  # the Rada appoints Ihor Klymenko interior minister, 7 Feb 2023
    (["meduza-en-2023-03-02-bryansk", "newizv-en-399486", "evening-kazan-2023-03-02-drg"],
     "event"),  # a "sabotage group" in Bryansk region's Lyubechane, 2 Mar 2023
    (["boingboing-2023-03-30-gershkovich", "fakty-uk-20230330-gershkovych"],
     "event"),  # the FSB detains WSJ reporter Evan Gershkovich in Yekaterinburg, 30 Mar 2023
    (["pledgetimes-tatarsky-0402", "lenta-2023-04-02-tatarskiy", "spb-vedomosti-969188"],
     "event"),  # Vladlen Tatarsky killed by a bomb in a St Petersburg cafe, 2 Apr 2023
    (["tag24-2796471", "baigenews-150353"],
     "event"),  # Finland becomes NATO's 31st member, 4 Apr 2023
    (["ukrainetoday-2023-05-06-prilepin", "urdupoint-1687844", "newsnn-2922096"],
     "event"),  # Zakhar Prilepin's car blown up in Nizhny Novgorod region, 6 May 2023
    (["thetimes-tsokov-dxfkc5cqw", "istories-2023-07-11-tsokov", "pravda-uk-7411020"],
     "event"),  # Lt Gen Oleg Tsokov killed in Berdiansk, reported 11-12 Jul 2023
    (["jpost-751934", "nashaniva-ru-322205"],
     "event"),  # Zelensky dismisses ambassador to the UK Prystaiko, 21 Jul 2023
    (["axios-2023-07-24-moscow-drones", "ng-ru-772260", "ukraina-info-2023-07-24-moskvu-atakuvaly-drony",
      "dialog-ua-277928"],
     "event"),  # drones hit two non-residential buildings in Moscow, early 24 Jul 2023
    (["alarabiya-2023-07-25-shoigu", "spbdnevnik-2023-07-25-shoigu"],
     "event"),  # Shoigu arrives in Pyongyang for the armistice anniversary, 25 Jul 2023
    (["ktvz-2023-10-18-duma-ctbt", "1tv-463428"],
     "event"),  # the State Duma passes the law revoking the CTBT's ratification, 18 Oct 2023
    (["dailybeast-putin-ctbt-1102", "m24-02112023-635717"],
     "event"),  # Putin signs the law revoking Russia's ratification of the CTBT, 2 Nov 2023
    (["aljazeera-2023-12-6-kyva", "rg-2023-12-06-kiva", "dw-ru-a-67650348"],
     "event"),  # former MP Illia Kyva shot dead near Moscow, 6 Dec 2023
    (["lenta-ua-ru-150478", "newscats-novocherkassk-1226"],
     "event"),  # the landing ship Novocherkassk hit in Feodosia, reported 26 Dec 2023
    (["moscowtimes-a84060", "novayagazeta-2024-02-13-kagarlitsky"],
     "event"),  # an appeal court gives Boris Kagarlitsky five years instead of a fine, 13 Feb 2024
    (["aljazeera-2024-2-20-kuzminov", "regnum-3868557"],
     "event"),  # defector pilot Maxim Kuzminov found shot dead in Spain, confirmed 19-20 Feb 2024
    (["expressandstar-2024-02-26-macron", "myua-uk-2024-02-27-macron"],
     "event"),  # Macron does not rule out Western troops in Ukraine, evening of 26 Feb 2024
    (["lbc-navalny-funeral-0301", "meduza-2024-03-01-gospodi-pomiluy"],
     "event"),  # Alexei Navalny's funeral in Moscow, 1 Mar 2024
    (["dw-a-68463092", "belta-ru-620117"],
     "event"),  # Sweden becomes NATO's 32nd member, 7 Mar 2024
    (["krdo-2024-03-08-zaluzhnyi", "factor-am-ru-51851"],
     "event"),  # Zelensky approves Zaluzhnyi as ambassador to the UK, 7-8 Mar 2024
    (["newsx-tu22-0419", "zp-news-316992"],
     "event"),  # a Tu-22M3 bomber shot down over Stavropol region, 19 Apr 2024
    (["straitstimes-zaluzhnyi-0509", "hromadske-radio-2024-05-09-zaluzhnyi"],
     "event"),  # Zelensky's decree appoints Zaluzhnyi ambassador to the UK, 9 May 2024
    (["pravda-eng-7470713", "rbc-ru-66bf74579a79477355b7427b"],
     "event"),  # the Seym bridge at Glushkovo destroyed, 16 Aug 2024
    (["yenisafak-ru-24087", "lenta-2024-10-23-gensek-oon", "online-ua-en-886324",
      "funmyua-uk-2024-10-23-guterres"],
     "event"),  # Guterres arrives in Kazan for the BRICS summit, 23 Oct 2024
    (["myua-uk-2025-01-27-velyka-novosilka", "apostrophe-ru-338371"],
     "event"),  # Ukraine's troops leave Velyka Novosilka's south to avoid encirclement, 27 Jan 2025
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("dsnews-uk-06022023-473872", "event"),  # Maliuk nominated to head the SBU, 6 Feb 2023 (the day before Klymenko's appointment)
    ("devdiscourse-2393606", "event"),  # Putin: tactical nuclear weapons to be stationed in Belarus, 25 Mar 2023 (five days before Gershkovich)
    ("fakty-uk-20230403-finlyandiya", "event"),  # Stoltenberg: Finland joins tomorrow, 3 Apr 2023 (the preview of the accession)
    ("sputnikglobe-1110330065", "event"),  # Zelensky meets Pope Francis in the Vatican, 13 May 2023 (a week after Prilepin)
    ("pc-org-ua-vilnius-0711", "event"),  # the NATO-Ukraine Council agreed at Vilnius, 11 Jul 2023 (the day of Tsokov's death)
    ("regionews-1691755863-voenkomy", "event"),  # Zelensky announces the dismissal of all regional enlistment chiefs, 11 Aug 2023 (six days before the decree)
    ("fakty-uk-20230818-f16", "event"),  # the US to approve F-16 transfers from Denmark and the Netherlands, 18 Aug 2023
    ("korrespondent-4616078", "event"),  # Zelensky's decree putting the enlistment chiefs' dismissal into force, 17 Aug 2023 (the decision came 11 Aug)
    ("pravda-eng-7418134", "event"),  # Kolomoisky notified of suspicion of fraud, 2 Sep 2023
    ("pravda-eng-7431909", "event"),  # a car bomb in occupied Luhansk kills Popov, 6 Dec 2023 (the day of Kyva's killing)
    ("todayonline-2283941", "event"),  # the Duma's first reading of the CTBT revocation, 17 Oct 2023 (the day before its final vote)
    ("nationalherald-2023-11-07-cfe", "event"),  # Russia completes its withdrawal from the CFE treaty, midnight of 7 Nov 2023 (five days after Putin signs the CTBT revocation)
    ("moscowtimes-a83942", "event"),  # the missile boat Ivanovets sunk off Crimea, 1 Feb 2024
    ("kyivindependent-budanov-ivanovets-0204", "event"),  # Budanov on the Ivanovets strike, 4 Feb 2024 (a follow-up on another day)
    ("sputnik-lt-ru-32085596", "event"),  # Peskov: NATO troops in Ukraine would make conflict inevitable, 27 Feb 2024 (the reaction to Macron)
    ("dagens-kotov-0305", "event"),  # the patrol ship Sergei Kotov sunk by sea drones, 5 Mar 2024 (two days before Sweden joins NATO)
    ("rubryka-en-2024-04-19-dnipro", "event"),  # missiles on Dnipro region, 19 Apr 2024 (the day of the Tu-22M3)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held4", DEVELOPMENTS, DISTRACTORS, "hd5")

if __name__ == "__main__":
    raise SystemExit(main())
