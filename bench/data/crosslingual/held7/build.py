"""The seventh held-out part of the cross-lingual set, written to ``stream.jsonl`` by
``.venv/bin/python bench/data/crosslingual/held7/build.py``.

- rows: the real reports of captured.jsonl, each with its provenance and, where its stored page
  shows one, its filing time; no translations;
- grouping: by reading, into the developments and distractors below (../README.md, "Dev part",
  the editor rule), one version per outlet in a development;
- refusals (``held_part.script``): any title or URL already in the main set or an earlier part
  (check, dev, fresh, held3-held6), a development in one language, one outlet twice in one.

Held out (README.md, "Held-out part 7"): the lead scores it once per frozen linker; nobody tunes
on it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3, held4, held5 and held6 parts.
OTHER_PARTS = held_part.files_through("held6")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["washingtonpost-2022-09-27-nord-stream", "pravda-ru-en-154115", "novosti-n-ua-251858"],
     "event"),  # the Nord Stream pipelines lose pressure, three leaks off Bornholm, 26-27 Sep 2022
    (["ironblade-2023-11-05-kerch", "vintimes-2023-11-04-kerch", "telegraf-news-kerch-2023-11-04"],
     "event"),  # missiles on the Zaliv shipyard in Kerch, the corvette Askold hit, evening of 4 Nov 2023
    (["pledgetimes-marinka-1225", "vz-lifelines-2023-12-25-marinka"],
     "event"),  # Shoigu tells Putin Marinka is taken, 25 Dec 2023
    (["cumhuriyet-2134413", "telegraf-uk-5830165", "aroundprague-girkin-2024-01-25"],
     "event"),  # Igor Girkin sentenced to four years for inciting extremism, 25 Jan 2024
    (["pravda-eng-7449784", "slovoidilo-2024-04-05-morozovsk", "holod-2024-04-05-morozovsk"],
     "event"),  # drones on the Morozovsk airfield, Rostov region, night of 4-5 Apr 2024
    (["euromaidanpress-2024-06-06-refineries", "kavkaz-uzel-400669"],
     "event"),  # drones set the Novoshakhtinsk refinery on fire, night of 6 Jun 2024
    (["kyivindependent-gershkovich-swap-0801", "eurointegration-7191336",
      "meduza-video-2024-08-01-vnukovo"],
     "event"),  # the Ankara exchange of 26 prisoners, Gershkovich and Kara-Murza for Krasikov, 1 Aug 2024
    (["sputnikglobe-1118713548", "bnnbloomberg-1-2079635", "kamp-sport-2024-05-31-obmin"],
     "event"),  # the exchange of 75 for 75, Snake Island's defenders among the Ukrainians, 31 May 2024
    (["babel-en-109734", "lenta-2024-08-09-lipetsk"],
     "event"),  # drones on the Lipetsk-2 airfield, detonation, four villages evacuated, night of 9 Aug 2024
    (["pravda-eng-7473169", "gazeta-ru-23834605"],
     "event"),  # Ukrenergo's board dismisses its head Kudrytskyi, evening of 2 Sep 2024
    (["kyivindependent-tikhoretsk-0921", "rbc-ru-66ee36de9a79475b613c496e", "belta-ru-662976"],
     "event"),  # drones on the ammunition depot at Kamenny, Tikhoretsk district, night of 21 Sep 2024
    (["kyivindependent-selydove-1029", "izvestia-promo-1782134"],
     "event"),  # Russia's defence ministry claims Selydove taken, 29 Oct 2024
    (["kyivindependent-kurakhove-0106", "dilato-2025-01-06-kurahovo"],
     "event"),  # Russia's defence ministry claims Kurakhove taken, 6 Jan 2025
    (["pravda-eng-7496676", "kyivindependent-izium-0204", "funmyua-uk-2025-02-04-izium"],
     "event"),  # a ballistic missile on the city council in central Izium, 4 Feb 2025
    (["moscowtimes-a87914", "eadaily-2025-02-07-dzerzhinsk"],
     "event"),  # Russia's defence ministry claims Toretsk (Dzerzhinsk) taken, 7 Feb 2025
    (["sofiaglobe-2025-02-19-16th-package", "lenta-ua-ru-171657"],
     "event"),  # EU ambassadors agree the 16th sanctions package, 19 Feb 2025
    (["moscowtimes-a88341", "vestivrn-2025-03-13-sudzha", "lenta-2025-03-13-sudzha"],
     "event"),  # Russia's defence ministry claims Sudzha retaken, 13 Mar 2025
    (["devdiscourse-3308073", "vz-2025-03-14-1320339"],
     "event"),  # activist Demyan Hanul shot dead in central Odesa, 14 Mar 2025
    (["dailypost-ng-2025-05-21-portnov", "mynewsua-2991457", "wz-lviv-533032"],
     "event"),  # Andriy Portnov shot dead outside a school near Madrid, 21 May 2025
    (["pravda-eng-7514587", "novinite-232561", "rg-2025-05-29-gurciev"],
     "event"),  # Stavropol's deputy mayor Zaur Gurtsiev killed by an explosion, night of 28-29 May 2025
    (["kyivindependent-komi-ukhta-0810", "zaxid-n1616665", "zerkalo-az-2025-08-10-komi"],
     "event"),  # drones on the Ukhta refinery, the first attack on Komi, 10 Aug 2025
    (["glavcom-1074546", "tsn-ru-2895506"],
     "event"),  # cruise missiles on the Flex electronics plant in Mukachevo, early 21 Aug 2025
    (["devdiscourse-3601831", "24tv-n2900150", "nakanune-22834733"],
     "event"),  # drones on the Novatek terminal at Ust-Luga, fire, morning of 24 Aug 2025
    (["pravda-eng-7526251", "glavnoe-2025-08-15-syzran", "regionews-ru-1755231488"],
     "event"),  # drones on the Syzran refinery, fires, early 15 Aug 2025
    (["devdiscourse-3625158", "fakty-uk-20250912-prymorsk", "pravda-ru-7530501",
      "lenta-2025-09-12-primorsk"],
     "event"),  # drones on the Primorsk oil port, a vessel and a pumping station on fire, 12 Sep 2025
    (["gamereactor-1605793", "fakty-uk-20250922-kopengagen", "vedomosti-1141137"],
     "event"),  # drones shut Copenhagen airport, evening of 22 Sep 2025
    (["pravda-eng-7532238", "tsn-uk-2919002", "ura-news-1053000579"],
     "event"),  # drones on the Gazprom Neftekhim Salavat plant again, fire, 24 Sep 2025
    (["pravda-eng-7532593", "ipress-376839", "nsn-afipsky-2025-09-26"],
     "event"),  # drones on the Afipsky refinery, night of 25-26 Sep 2025
    (["interfax-en-1109582", "espreso-2025-10-03-naftogaz"],
     "event"),  # Russia's largest strike on Naftogaz's gas production in Kharkiv and Poltava regions, night of 3 Oct 2025
    (["censor-en-3579678", "regionews-uk-1760446360", "novosti-dn-407744"],
     "event"),  # Odesa's mayor Trukhanov stripped of Ukrainian citizenship, 14 Oct 2025
    (["newsaz-2025-10-19-orenburg", "gazeta-ru-26987000", "unn-ru-orenburg-2025-10-19"],
     "event"),  # drones on the Orenburg gas processing plant, a workshop on fire, 19 Oct 2025
    (["euromaidanpress-2025-10-22-kharkiv", "novosti-dn-408251"],
     "event"),  # Shahed drones hit a private kindergarten in Kharkiv, the children in the shelter, 22 Oct 2025
    (["enmaeya-68f9e8ca99ef424d7f73ec55", "dv-ee-2025-10-23-19-paket"],
     "event"),  # the EU's 19th sanctions package with a ban on Russian LNG, 23 Oct 2025
    (["interfax-en-1119794", "for-ua-1251312", "inform-sumy-788706411"],
     "event"),  # the cabinet suspends Justice Minister Halushchenko, morning of 12 Nov 2025
    (["devdiscourse-3700394", "lb-ua-707249", "rambler-55615846"],
     "event"),  # an explosive device destroys a stretch of the Warsaw-Lublin railway, Tusk: sabotage, 16-17 Nov 2025
    (["euromaidanpress-2025-11-28-tankers", "kommersant-8247405", "report-az-ru-2025-11-28-tanker"],
     "event"),  # the sanctioned tankers Kairos and Virat hit by explosions off Turkey, evening of 28 Nov 2025
    (["moscowtimes-a91282", "meduza-2025-11-29-ktk", "mail-ru-68904452"],
     "event"),  # sea drones put a mooring point of the CPC terminal at Novorossiysk out of action, 29 Nov 2025
    (["anews-2025-12-01-pokrovsk", "lenta-2025-12-01-krasnoarmeysk"],
     "event"),  # Gerasimov reports to Putin that Pokrovsk and Vovchansk are taken, announced 1 Dec 2025
    (["independent-b2888835", "lenta-2025-12-22-sarvarov", "novayagazeta-eu-2025-12-22-sarvarov"],
     "event"),  # Lt Gen Fanil Sarvarov killed by a car bomb in Moscow, morning of 22 Dec 2025
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("moscowtimes-a85259", "event"),  # an appeal court upholds Girkin's sentence, 29 May 2024
    ("apostrophe-uk-333564", "event"),  # the cassation court upholds Girkin's sentence, 6 Nov 2024
    ("kasparov-665820A20BBBA", "event"),  # missiles on the Kerch ferry crossing, two ferries damaged, 30 May 2024 (the day before the exchange)
    ("funmyua-2024-06-14-morozovsk", "event"),  # drones on Morozovsk again, 14 Jun 2024
    ("unn-en-lipetsk-2024-10-26", "event"),  # another drone attack on the Lipetsk airfield, 26 Oct 2024
    ("rostov-news-2024-12-19-391875", "event"),  # the Novoshakhtinsk refinery on fire again, 19 Dec 2024
    ("interfax-en-1049871", "event"),  # the preview: the 16th package to be adopted on 24 Feb, 21 Feb 2025
    ("anews-2025-02-24-16th-package", "event"),  # the ministers adopt the 16th package, 24 Feb 2025 (the next step)
    ("ajc-2025-07-01-ivanov", "event"),  # ex-deputy defence minister Timur Ivanov sentenced to 13 years, 1 Jul 2025
    ("pravda-eng-7503713", "event"),  # drones on the Engels-2 bomber base, fire, evacuation, 20 Mar 2025
    ("focus-ru-720705", "event"),  # the Mukachevo plant's fire put out two days later, 23 Aug 2025
    ("vedomosti-1140177", "event"),  # the first drone attack on the Salavat plant, 18 Sep 2025
    ("thenationalnews-2025-09-23-denmark", "event"),  # the day after: Denmark's intelligence warns of a high threat of sabotage, 23 Sep 2025
    ("svoboda-org-33560544", "event"),  # Zelensky creates the Odesa city military administration, 15 Oct 2025 (the next step)
    ("radio1-ru-2025-10-26-volchansk", "event"),  # Gerasimov: 70 per cent of Vovchansk taken, 26 Oct 2025
    ("lenta-2025-10-26-pokrovsk", "event"),  # Ukraine's General Staff denies an encirclement at Pokrovsk, 26 Oct 2025
    ("radio1-ru-2025-11-19-galushchenko", "event"),  # the Rada dismisses Halushchenko, 19 Nov 2025 (the next step)
    ("comments-ua-788868", "event"),  # Erdogan reacts to the strikes on the tankers, 1 Dec 2025 (the reaction)
    ("sputnikglobe-1123147941", "event"),  # Gerasimov tells Putin Kupiansk is taken, 20 Nov 2025
    ("focus-uk-735356", "event"),  # Ukraine's General Staff denies the capture of Pokrovsk and Vovchansk, 2 Dec 2025 (the reaction)
    ("mk-2025-12-14-afipsky", "event"),  # drone debris sets a gas pipe by the Afipsky refinery on fire, 14 Dec 2025
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held6", DEVELOPMENTS, DISTRACTORS, "hd7")

if __name__ == "__main__":
    raise SystemExit(main())
