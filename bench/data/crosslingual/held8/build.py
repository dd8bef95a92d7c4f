"""``held8/stream.jsonl``, the eighth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held8/build.py

Real reports only (captured.jsonl: each found in stored public news pages, kept with its
provenance and, where its page shows one, its filing time), grouped by reading into the
developments and distractors below with the editor rule of ../README.md ("Dev part"). The
build stops on a title or URL that the main set or an earlier part (check, dev, fresh,
held3-held7) already has, on a development in one language, and on two versions of one
development from one outlet. Held out (README.md, "Held-out part 8"): scored by the lead once
per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3, held4, held5, held6 and held7 parts.
OTHER_PARTS = held_part.files_through("held7")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["kyivindependent-2024-05-21-popov", "udf-268822"],
     "event"),  # Maj Gen Ivan Popov, ex-commander of the 58th Army, reported arrested for fraud, 21 May 2024
    (["urdupoint-1866300", "ria-1974885533"],
     "event"),  # Russia's defence ministry claims Ukrainsk, Pushilin speaks of up to 3,000 civilians there, 26 Sep 2024
    (["themoscowtimes-a86299", "belta-659687"],
     "event"),  # Russia's defence ministry claims Novohrodivka near Pokrovsk, 8 Sep 2024
    (["eurasiareview-06052024-ocheretyne", "secretmag-2024-05-05-ocheretino"],
     "event"),  # Russia's defence ministry claims Ocheretyne, 5 May 2024
    (["liga-en-2023-06-26-rivnopil", "fakty-ru-20230626-rivnopol"],
     "event"),  # Ukraine announces Rivnopil liberated, 26 Jun 2023
    (["kyivindependent-2023-07-21-tkachenko", "spzh-ru-74969"],
     "event"),  # Culture minister Tkachenko resigns after Zelensky asks Shmyhal to replace him, night of 20-21 Jul 2023
    (["lbcgroup-736629", "azattyq-ruhy-57570"],
     "event"),  # Finland decides to close all Russian border crossings but Raja-Jooseppi, 22 Nov 2023
    (["jordantimes-2024-09-10-krasnogorivka", "rg-2024-09-10-krasnogorovka", 
     "lenta-2024-09-10-krasnogorovka"],
     "event"),  # Russia's defence ministry claims Krasnohorivka and three villages, 10 Sep 2024
    (["kyivindependent-2023-06-12-three-settlements", "meduza-2023-06-11-blagodatnoe"],
     "event"),  # Ukraine announces Blahodatne, Neskuchne and Makarivka liberated, the counteroffensive's first villages, 11 Jun 2023
    (["pakistantoday-2023-05-24-ivan-khurs", "kun-uz-ru-2023-05-25-ivan-khurs"],
     "event"),  # sea drones attack the reconnaissance ship Ivan Khurs off the Bosphorus, 24 May 2023
    (["pravda-eng-7415752", "comments-ua-716881"],
     "event"),  # Ukraine announces Urozhaine liberated, 16 Aug 2023
    (["businesslive-2023-08-16-joseph-schulte", "gweek-2023-08-blog-post-347"],
     "event"),  # the container ship Joseph Schulte leaves Odesa, the first through the temporary corridor, 16 Aug 2023
    (["brecorder-40263663", "glavred-10501447"],
     "event"),  # Ukraine announces Klishchiivka near Bakhmut liberated, 17 Sep 2023
    (["meduza-en-2023-10-27-tsaryov", "vesti-k-2023-10-27-tsaryov", "zaxid-n1573376"],
     "event"),  # Oleg Tsaryov shot twice in Yalta, night of 26-27 Oct 2023
    (["anews-az-2023-11-20-ostashchenko", "mk-2023-11-19-ostashchenko"],
     "event"),  # Zelensky replaces Medical Forces commander Ostashchenko with Kazmirchuk, 19 Nov 2023
    (["sofiaglobe-2024-02-21-13th-package", "telegraf-war-5835438"],
     "event"),  # EU ambassadors agree the 13th sanctions package, 21 Feb 2024
    (["euronews-2024-02-27-orlov", "zona-media-2024-02-27-orlov"],
     "event"),  # Memorial's co-chair Oleg Orlov sentenced to 2.5 years, 27 Feb 2024
    (["censor-en-3478995", "telegraf-war-uk-5840441"],
     "event"),  # drones on the Syzran and Novokuibyshevsk refineries, morning of 16 Mar 2024
    (["devdiscourse-2994171", "shipovnik-113696"],
     "event"),  # Zelensky replaces Joint Forces commander Sodol with Hnatov, evening of 24 Jun 2024
    (["pledgetimes-2024-07-08-berkovich", "mskagency-3398621"],
     "event"),  # Berkovich and Petriychuk sentenced to six years over the play Finist, 8 Jul 2024
    (["kyivindependent-bulgakov-0726", "klops-2024-07-26-300515"],
     "event"),  # ex-deputy defence minister Gen Bulgakov arrested for corruption, 26 Jul 2024
    (["euromaidanpress-2024-09-01-moscow-refinery", "vedomosti-1059211"],
     "event"),  # drones on the Moscow refinery at Kapotnya and the Kashira and Konakovo power plants, night of 1 Sep 2024
    (["kvia-2024-11-10-moscow-drones", "donpress-2024-11-10-moscow-drones"],
     "event"),  # the largest drone attack on Moscow so far, airports closed, morning of 10 Nov 2024
    (["meduza-en-2024-12-06-khinshtein", "neopolitika-516"],
     "event"),  # Putin appoints Khinshtein acting governor of Kursk region after Smirnov resigns, evening of 5 Dec 2024
    (["intellinews-361916", "my-ua-2025-01-16-starmer"],
     "event"),  # Starmer in Kyiv, the UK-Ukraine 100-year partnership signed, 16 Jan 2025
    (["mb-com-ph-2025-1-17-navalny-lawyers", "bb-lv-2025-01-17-advokaty-navalnogo"],
     "event"),  # Navalny's lawyers Kobzev, Liptser and Sergunin sentenced, 17 Jan 2025
    (["sakshipost-375381", "fun-my-ua-2025-02-06-mirage"],
     "event"),  # the first French Mirage 2000 jets arrive in Ukraine, 6 Feb 2025
    (["unn-en-2025-02-17-kropotkinskaya", "tvkrasnodar-2025-02-17-kropotkinskaya"],
     "event"),  # seven drones put the CPC's Kropotkinskaya pumping station out of action, 17 Feb 2025
    (["devdiscourse-3309798", "news-news-zip-e23de0d9"],
     "event"),  # Hnatov appointed Chief of the General Staff, replacing Barhylevych, 16 Mar 2025
    (["startribune-601243600", "tv8-md-278444", "insider-dp-2025-03-25-chorne-more"],
     "event"),  # the Riyadh talks end with a US-brokered Black Sea navigation deal, 25 Mar 2025
    (["news-pravda-eu-57202", "mlyn-by-20052025-17-paket"],
     "event"),  # EU foreign ministers adopt the 17th sanctions package, 20 May 2025
    (["themoscowtimes-a89319", "mynewsua-3024259", "bb-lv-2025-06-03-krymskiy-most"],
     "event"),  # the SBU's underwater charges on the Crimean Bridge's supports, 3 Jun 2025
    (["radiodalsan-2025-07-08-starovoyt", "inforos-182374", "novyny-live-265700"],
     "event"),  # dismissed transport minister Starovoit found shot dead, 7 Jul 2025
    (["censor-en-3566224", "amic-566131"],
     "event"),  # Russia's defence ministry claims Chasiv Yar, Kyiv denies, 31 Jul 2025
    (["aljazeera-2025-8-22-druzhba", "strana-news-490227", "babel-uk-120781"],
     "event"),  # drones on the Druzhba pipeline's Unecha pumping station, oil to Hungary stopped, night of 21-22 Aug 2025
    (["zaxid-n1617286", "novosti-dn-ru-403984"],
     "event"),  # drones on the Druzhba pipeline's Nikolskoye pumping station in Tambov region, pumping stopped, night of 18 Aug 2025
    (["ria-2043807618", "censor-biz-3575748"],
     "event"),  # the Zaporizhzhia plant loses its last external power line, the tenth blackout, 23 Sep 2025
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("nzherald-2024-09-17-ukrainsk", "event"),  # RIA's source and war bloggers claim Ukrainsk, 17 Sep 2024 (nine days before the ministry's claim)
    ("lenta-2024-04-22-ocheretino", "event"),  # a war correspondents' channel claims a flag over Ocheretyne, 22 Apr 2024 (13 days before the ministry's claim)
    ("devdiscourse-3175442", "event"),  # Gorinov sentenced to three more years, 29 Nov 2024 (the day after the trial opened)
    ("oodaloop-2023-11-29-finland", "event"),  # Finland shuts its last crossing, Raja-Jooseppi, 28-29 Nov 2023 (a week after the decision to close all but one)
    ("vladimironline-181948", "event"),  # Gorinov's second trial opens in Vladimir, 28 Nov 2024
    ("babel-en-96609", "event"),  # the Rada committee does not support Tkachenko's resignation, 26 Jul 2023 (five days after the resignation)
    ("thedailystar-3471596", "event"),  # Finland decides to close four Russian border crossings, 16 Nov 2023 (six days before the decision to close all but one)
    ("pravda-eng-7406381", "event"),  # Russian fire on an evacuation boat from the flooded left bank of Kherson region, 11 Jun 2023 (the day Blahodatne was announced)
    ("thehindu-68625230", "event"),  # the night drone attack on the Moscow region, a woman killed in Ramenskoye, 10 Sep 2024 (the day Russia claimed Krasnohorivka)
    ("nikvesti-en-302949", "event"),  # a Russian missile on the centre of Sumy, 74 injured, 24 Mar 2025 (the day before the Black Sea deal)
    ("turkiyenewspaper-16091", "event"),  # Russian drones on the Danube port of Reni, night of 15-16 Aug 2023 (the day of the Joseph Schulte and Urozhaine)
    ("ukr-news-2024-03-17-slavyansk", "event"),  # drones on the Slavyansk-on-Kuban refinery, night of 17 Mar 2024 (the night after Syzran)
    ("interfax-en-995611", "event"),  # two Iskander-M missiles on Pokrovsk, 24 Jun 2024 (the day of the Joint Forces commander's replacement)
    ("babel-en-97348", "event"),  # the defence ministry's 'some success' in Urozhaine, 14 Aug 2023 (two days before the liberation)
    ("vestirussia24-2025-05-14-17-paket", "event"),  # EU ambassadors agree the 17th package, 14 May 2025 (the step before the adoption)
    ("eadaily-en-2025-02-19-kazakhstan-cpc", "event"),  # Kazakhstan's foreign ministry on the CPC strike, 19 Feb 2025 (a reaction two days later)
    ("urdupoint-1768725", "event"),  # Ukraine's marines confirm bridgeheads on the Dnipro's left bank near Krynky, 17 Nov 2023 (two days before Ostashchenko's replacement)
    ("euromaidanpress-2023-11-03-khorenko", "event"),  # Zelensky replaces Special Operations Forces commander Khorenko with Lupanchuk, 3 Nov 2023 (16 days before Ostashchenko's replacement)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held7", DEVELOPMENTS, DISTRACTORS, "hd8")

if __name__ == "__main__":
    raise SystemExit(main())
