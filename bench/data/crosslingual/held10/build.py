"""``held10/stream.jsonl``, the tenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held10/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). Most developments are news in general (a papal
election, an election count, a strike abroad, a court's sentence served), and several
distractors are other steps of the same affair within hours (an announcement before the act,
a reaction after it, the next step). The build stops on a title or URL that the main set or
an earlier part (check, dev, fresh, held3-held9) already has, on a development in one
language, and on two versions of one development from one outlet. Held out (README.md,
"Held-out part 10"): scored by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3, held4, held5, held6, held7, held8 and held9 parts.
OTHER_PARTS = held_part.files_through("held9")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["yorkshireeveningpost-5091700", "newsmax-2025-04-21-1207625", "fixygen-20250421-pomer-papa",
      "kharkovnews-2025-04-21-4828"],
     "event"),  # the Vatican announces Pope Francis's death, morning of 21 Apr 2025
    (["kyivindependent-pope-leo-xiv", "1tv-2025-05-08-509239"],
     "event"),  # the conclave elects Robert Prevost, Pope Leo XIV, evening of 8 May 2025
    (["interfax-ru-1070234", "uafakty-zelenskyi-pryvitav-papu"],
     "event"),  # Zelensky congratulates Leo XIV on his election, an hour later, 8 May 2025
    (["1tv-2025-06-02-511358", "myanmaritv-55103"],
     "event"),  # the full count: Nawrocki wins Poland's presidential runoff, morning of 2 Jun 2025
    (["firstpost-13894173", "interfax-ua-1077108"],
     "event"),  # Lee Jae-myung wins South Korea's snap presidential election, Kim Moon-soo concedes, 3 Jun 2025
    (["devdiscourse-3457980", "cbctv-az-121231"],
     "event"),  # Russia condemns Israel's strikes on Iran (Peskov, the Foreign Ministry), 13 Jun 2025
    (["day-kyiv-240625-kinets-viyny", "aroundprague-peremirie-vstupilo"],
     "event"),  # the Israel-Iran ceasefire takes effect, Trump confirms it, morning of 24 Jun 2025
    (["amic-566052", "fnnews-en-202507301346109040"],
     "event"),  # a magnitude 8.7-8.8 earthquake off Kamchatka, tsunami warnings in Russia and Japan, 30 Jul 2025
    (["kyivindependent-azerbaijan-cancels-russian-events", "interfax-ua-1083833",
      "glavportal-baku-otmenyaet-vse-rossijskoe"],
     "event"),  # Azerbaijan cancels Russian cultural events over two deaths in a Yekaterinburg raid, 29 Jun 2025
    (["kyivindependent-fsb-agents-detained-sputnik-baku", "detector-media-242213", "accentnews-ru-136935"],
     "event"),  # Baku police search Sputnik Azerbaijan's office and detain two alleged FSB agents, 30 Jun 2025
    (["jagonews24-en-82477", "lenta-ua-ru-175503", "russian-news-cn-20250507-6881f474"],
     "event"),  # India's missile strikes on Pakistan (Operation Sindoor): Pakistan's army counts eight dead, 7 May 2025
    (["mb-com-ph-2025-09-07-ishiba-to-resign", "ng-ru-823739", "inform-kz-697319"],
     "event"),  # NHK: Japan's prime minister Ishiba decides to resign, morning of 7 Sep 2025 (UTC)
    (["adaderana-112333", "zakon-kz-6490311", "glavnoe-2025-09-09-dosi-vybuhy"],
     "event"),  # Israel strikes Hamas leaders in Doha, afternoon of 9 Sep 2025
    (["oann-charlie-kirk-assassinated", "radio1-tramp-podtverdil-smert-kirka"],
     "event"),  # Trump announces Charlie Kirk's death after the shooting in Utah, 10 Sep 2025
    (["interfax-en-1108206", "km-ru-919151"],
     "event"),  # Moldova's count: PAS leads with almost all protocols processed, morning of 29 Sep 2025
    (["novinite-234827", "ng-ru-826078", "comments-ua-783342", "inform-kz-putin-aliev-azal"],
     "event"),  # Putin tells Aliyev in Dushanbe that Russian air-defence missiles exploded near the AZAL plane, 9 Oct 2025
    (["people-cn-en-20251009-20374449", "novyny-live-286319"],
     "event"),  # Trump announces Israel and Hamas signed off on the first phase of his Gaza plan, night of 8-9 Oct 2025
    (["news-ru-pervye-sem-zalozhnikov-krasnomu-krestu", "ipress-377474"],
     "event"),  # Hamas hands the first seven living hostages to the Red Cross, morning of 13 Oct 2025
    (["japannews-reuters-20251010-285885", "news-ru-laureat-nobelevskoj-premii-mira544566"],
     "event"),  # the Nobel Peace Prize goes to Maria Corina Machado, 10 Oct 2025
    (["anews-2025-10-21-sarkozy-la-sante", "tvzvezda-202510211130-3hrm7",
      "report-az-ru-eks-prezident-francii-pribyl-v-tyurmu", "redpost-1286360"],
     "event"),  # Sarkozy arrives at La Santé prison to begin his sentence, morning of 21 Oct 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a reaction, a later remark) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("pukmedia-en-78347", "event"),  # Israel strikes Iran's nuclear and military sites, 13 Jun 2025 (the act, hours before Russia's condemnation)
    ("news-ru-izrail-udaril-sklad-raket", "event"),  # explosions in three Iranian cities after Israel's attack, evening of 14 Jun 2025
    ("dunyo-izrail-iran-sedmoy-den", "event"),  # Israel and Iran trade strikes for a seventh day, the Arak reactor and Soroka hospital hit, 19 Jun 2025
    ("charter97-645251", "event"),  # Israel strikes the Isfahan nuclear site, 21 Jun 2025 (hours before the US strikes)
    ("deshabhimani-en-62966", "event"),  # the US strikes three Iranian nuclear sites, night of 21-22 Jun 2025
    ("mtpr-2025-06-23-iran-qatar", "event"),  # Iran fires missiles at US bases in Qatar and Iraq, 23 Jun 2025
    ("amconservative-trump-ceasefire", "event"),  # Trump announces the Israel-Iran ceasefire, evening of 23 Jun 2025 US time (the announcement, hours before it took effect)
    ("novoye-vremya-az-1750756692", "event"),  # Peskov: Moscow hopes the ceasefire will hold, 24 Jun 2025 (a reaction, hours after it took effect)
    ("interfax-ua-1082479", "event"),  # Trump: both Israel and Iran violate the ceasefire, 24 Jun 2025 (a later remark the same day)
    ("polskieradio-uk-3521841", "event"),  # Trump: India and Pakistan agree to a full ceasefire, 10 May 2025 (a later step, three days after the strikes)
    ("news-ru-pravitelstvo-bajru-ushlo-v-otstavku", "event"),  # France's National Assembly topples Bayrou's government, 8 Sep 2025 (the eve of the Doha strike)
    ("rbc-ua-1759961599", "event"),  # media: the Israel-Hamas deal may be signed today, 9 Oct 2025 01:15 Kyiv (a preview, before Trump's announcement that night)
    ("inform-kz-vtoraya-partiya-zalozhnikov-28a8c9", "event"),  # Hamas hands over the other 13 living hostages, 13 Oct 2025 (a later step, hours after the first seven)
    ("cgtn-2025-09-09-nepali-pm-steps-down", "event"),  # Nepal's prime minister Oli resigns amid protests, 9 Sep 2025 (the day of the Doha strike)
    ("lenta-2025-09-09-premiera-nepala", "event"),  # WSJ: Nepal's resigned prime minister stays in Kathmandu, 9 Sep 2025 (a later step)
    ("ria-2047551832", "event"),  # Putin: the Nobel Peace Prize often went to people who did nothing for peace, 10 Oct 2025 (a remark four hours after the award)
    ("sputnik-am-20250701-90840400", "event"),  # Rossiya Segodnya: Baku's detentions of Sputnik Azerbaijan staff are groundless, 1 Jul 2025 (a reaction the day after the raid)
    ("interfax-en-1108257", "event"),  # Zelensky: Russia failed to destabilise Moldova, 29 Sep 2025 (a reaction, three hours after the count's report)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held9", DEVELOPMENTS, DISTRACTORS, "hd10")

if __name__ == "__main__":
    raise SystemExit(main())
