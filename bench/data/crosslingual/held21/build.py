"""``held21/stream.jsonl``, the twenty-first held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held21/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is news in general, none of it the war
in Ukraine, from April to October 2025: a blackout across Spain and Portugal, two Israeli
embassy staff shot dead in Washington, Trump's call for a 50% tariff on the European Union,
Israel's interception of the Madleen with Greta Thunberg aboard, a school shooting in Graz, Diogo
Jota killed in a crash in Spain, Al Jazeera's Anas al-Sharif killed in Gaza, Australia expelling
Iran's ambassador, Indonesia's president cancelling his trip to China over the protests, the
earthquake in eastern Afghanistan, an attack at a Jerusalem bus stop, ABC taking Jimmy Kimmel's
show off the air, Typhoon Ragasa's lake burst in Taiwan and a cargo plane sliding into the sea
at Hong Kong's airport. The distractors are other steps of the same affairs within hours or days
(Spain's power restored the next day; Rubio's and Trump's condemnation; Trump's tariff threat to
Apple the same morning and the tariff delayed three days on; Austria's mourning and the
shooter's bomb found; Iran's vow to respond and its own expulsion of Australia's ambassador; the
fire in Makassar's council building; Kimmel's show announced to return; Hong Kong shutting down
before Typhoon Ragasa) and other events of the same days (Hulk Hogan's death, Trump firing the
Fed's Lisa Cook, the Houthis' claim on a tanker, Norway's election, an earthquake in western
Turkey). The build stops on a title or URL that the main set or an earlier part already has, on
a development in one language, and on two versions of one development from one outlet. Held out
(README.md, "Held-out part 21"): scored by the lead once per frozen linker, never tuned on.
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
    (["rbc-ua-1745841148", "mercopress-en-mass-power-outage-europe", "interfax-ua-ru-1067291"],
     "event"),  # a blackout cuts power across Spain and Portugal, 28 Apr 2025
    (["hindustantimes-101747885433892", "vesti-ua-uk-267370"],
     "event"),  # two Israeli embassy staff shot dead outside the Capital Jewish Museum in Washington, night of 21-22 May 2025
    (["interfax-ua-uk-1074175", "arka-am-ru-tramp-50-poshliny-es"],
     "event"),  # Trump recommends a straight 50% tariff on the European Union from 1 June, 23 May 2025
    (["strana-co-il-149001", "hindustantimes-101749454960694", "sud-ua-uk-333165"],
     "event"),  # Israel intercepts the Gaza-bound yacht Madleen with Greta Thunberg aboard, night of 8-9 Jun 2025
    (["aroundprague-ru-strelba-v-shkole-graz", "spotlightnepal-en-austria-school-shooting"],
     "event"),  # a former pupil shoots ten people dead at a school in Graz, Austria, 10 Jun 2025
    (["tvkrasnodar-ru-futbolist-diogu-zhota-pogib", "gazeta-ua-uk-1223078"],
     "event"),  # Liverpool's Diogo Jota and his brother killed in a crash in Zamora, Spain, 3 Jul 2025
    (["lenta-ru-tsahal-obvinil-zhurnalista-al-jazeera", "rbc-ua-1754874167"],
     "event"),  # an Israeli strike kills Al Jazeera's Anas al-Sharif and colleagues in Gaza City, night of 10-11 Aug 2025
    (["newsru-co-il-austral302-26aug2025", "ipress-ua-uk-375628"],
     "event"),  # Australia expels Iran's ambassador over two antisemitic arson attacks, 26 Aug 2025
    (["report-az-ru-prezident-indonezii-otmenil-poezdku-v-kitaj", "espreso-tv-uk-prabovo-skasuvav-vizit-do-kitayu"],
     "event"),  # Indonesia's president Prabowo cancels his trip to China over the protests, 30 Aug 2025
    (["glavnoe-in-ua-uk-zemletrus-afhanistan-800", "inforos-ru-184530"],
     "event"),  # an earthquake in eastern Afghanistan kills hundreds, then over a thousand, night of 31 Aug-1 Sep 2025
    (["news-ru-zhertv-terakta-v-ierusalime-stalo-bolshe", "pravda-ua-uk-7529843"],
     "event"),  # two gunmen kill six people at a bus stop at Jerusalem's Ramot junction, 8 Sep 2025
    (["report-az-ru-abc-prekratil-pokaz-shou-kimmela", "sud-ua-uk-341391"],
     "event"),  # ABC takes Jimmy Kimmel's show off the air over his words on Kirk's killing, 17-18 Sep 2025
    (["news-ru-minimum-14-chelovek-pogibli-na-tajvane", "glavnoe-in-ua-uk-tajfun-rahasa-14"],
     "event"),  # Typhoon Ragasa bursts a barrier lake in Taiwan's Hualien, 14 dead, 23-24 Sep 2025
    (["rbc-ua-1760916478", "newsru-co-il-hon-202-20oct2025"],
     "event"),  # a Boeing 747 freighter slides off the runway into the sea at Hong Kong's airport, two killed, 20 Oct 2025
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
    ("news-ru-legendarnyj-amerikanskij-restler-umer", "event"),  # Hulk Hogan dies, 24 Jul 2025 18:59 Moscow time (another event)
    ("newsru-co-il-fed307-26aug2025", "event"),  # Trump fires the Fed's Lisa Cook, 26 Aug 2025 10:23 Israel time (another event of the day Australia expelled Iran's ambassador)
    ("1news-az-20250826125002894", "event"),  # Iran vows to respond to its ambassador's expulsion, 26 Aug 2025 12:55 Baku time (a reaction hours after)
    ("report-az-ru-indoneziya-podzhog-gorodskogo-soveta", "event"),  # three killed as protesters set fire to Makassar's council building, 30 Aug 2025 09:31 Baku time (the earlier step, hours before the trip was cancelled)
    ("newsru-co-il-h-111-1sep2025", "event"),  # the Houthis claim a missile strike on the tanker Scarlet Ray, 1 Sep 2025 09:05 Israel time (another event of the earthquake's day)
    ("report-az-ru-iran-vyslal-posla-avstralii", "event"),  # Iran expels Australia's ambassador in return, 4 Sep 2025 15:51 Baku time (a later step, nine days on)
    ("interfax-ua-uk-1103080", "event"),  # Norway's Labour party wins the parliamentary election, 9 Sep 2025 07:12 Kyiv time (another event the day after the Jerusalem attack)
    ("interfax-ua-uk-1106631", "event"),  # Disney says Kimmel's show returns on Tuesday, 22 Sep 2025 23:18 Kyiv time (a later step, five days on)
    ("itnews-com-ua-ru-108330", "event"),  # Hong Kong shuts down before Typhoon Ragasa, 24 Sep 2025 08:45 Kyiv time (another step of the storm, hours after Taiwan's lake burst)
    ("newsru-co-il-earthquake-0014-27oct2025", "event"),  # a magnitude 6.1 earthquake at Sindirgi in western Turkey, 27 Oct 2025 22:23 Israel time (a version whose English partner the audit took out)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held20", DEVELOPMENTS, DISTRACTORS, "hd21")

if __name__ == "__main__":
    raise SystemExit(main())
