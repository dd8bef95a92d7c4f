"""``held14/stream.jsonl``, the fourteenth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held14/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is news in general, none of it the war
in Ukraine: a prisoner's release, a boxing title, a parade, a tennis final, a prime minister's
resignation and his successor's appointment, a verdict, a peace plan, a palace stormed, an
impeachment, another prime minister's election, a presidential count, a midterm election, a
first round, a referendum, two plane crashes, a fire. Several distractors are other steps of
the same affairs within hours or days (a preview, the release before the press conference, a
reaction, a later statement, the next day's step) and others are events of the same days. The build stops on a title or URL that
the main set or an earlier part already has, on a development in one language, and on two
versions of one development from one outlet. Held out (README.md, "Held-out part 14"): scored by
the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held13 parts.
OTHER_PARTS = held_part.files_through("held13")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["devdiscourse-3467158", "media-polesye-239984"],
     "event"),  # freed the day before, Tsikhanouski at his Vilnius press conference: his wife leads the opposition, 22 Jun 2025
    (["wtop-usyk-knocks-out-dubois", "interfax-ru-ua-1089076"],
     "event"),  # Usyk knocks out Dubois at Wembley, undisputed champion again, evening of 19 Jul 2025
    (["semafor-thai-pm-sacked-by-court", "inform-kz-sud-otpravil-v-otstavku-premer-tailanda"],
     "event"),  # Thailand's Constitutional Court removes Prime Minister Paetongtarn Shinawatra, 29 Aug 2025
    (["devdiscourse-3613183", "pravda-ua-7529084"],
     "event"),  # the military parade in Beijing with Xi, Putin and Kim, morning of 3 Sep 2025 (Beijing)
    (["devdiscourse-3618823", "sport-ua-795388"],
     "event"),  # Alcaraz beats Sinner in the US Open final, 7 Sep 2025 (New York)
    (["prime-20250909-862021229", "deccanherald-bayrou-officially-resigns-3719537"],
     "event"),  # Bayrou hands Macron his government's resignation, early afternoon of 9 Sep 2025 (Paris), the day after the confidence vote
    (["devdiscourse-3621645", "charter97-655126", "espreso-lekornyu-novyi-premier"],
     "event"),  # Macron appoints Lecornu prime minister, evening of 9 Sep 2025 (Ukrainian version filed the next morning)
    (["news-ru-eshe-odna-strana-priznala-palestinu", "devdiscourse-3635742"],
     "event"),  # Britain (with Canada and Australia) recognises the State of Palestine, 21 Sep 2025
    (["rbc-ua-1758800330", "devdiscourse-3641095"],
     "event"),  # a Paris court sentences Sarkozy to five years over Libyan campaign money, 25 Sep 2025
    (["ng-ru-825374", "mynewsua-3330945"],
     "event"),  # Trump presents the Gaza plan and Netanyahu backs it at their press conference, 29 Sep 2025
    (["charter97-658114", "espreso-gruziia-shturm-palatsu-prezydenta"],
     "event"),  # on the day of Georgia's local elections protesters storm the presidential palace in Tbilisi, 4 Oct 2025
    (["lenta-prezidenta-odnoy-strany-otstranili", "caliber-az-en-peru-swears-in-new-president"],
     "event"),  # Peru's Congress removes Boluarte and swears in Jeri, night of 9-10 Oct 2025 (Lima)
    (["sputnikglobe-20251021-1122995158", "ng-ru-826746"],
     "event"),  # the Diet elects Takaichi prime minister, 21 Oct 2025
    (["devdiscourse-3674012", "interfax-ua-1115623"],
     "event"),  # Connolly wins Ireland's presidential election on the count (early tallies, then the result), 25 Oct 2025
    (["newsru-co-il-27oct2025-argentina-101", "devdiscourse-3674150"],
     "event"),  # Milei's party wins Argentina's midterm elections, night of 26-27 Oct 2025 (Buenos Aires)
    (["devdiscourse-3685086", "newsru-co-il-5nov2025-plane-105", "volynonline-aviakatastrofa-u-ssha-troye"],
     "event"),  # a UPS cargo plane crashes after takeoff at Louisville, evening of 4 Nov 2025 (Louisville)
    (["newsmax-turkey-plane-azerbaijan-georgia-1234050", "eurointegration-7224661"],
     "event"),  # a Turkish C-130 military cargo plane from Azerbaijan crashes in Georgia, 11 Nov 2025
    (["devdiscourse-3700033", "haqqin-366365"],
     "event"),  # Chile's first round: Jara and Kast go to the runoff, evening of 16 Nov 2025 (Santiago)
    (["devdiscourse-3700084", "ria-20251117-ekvador-2055365131"],
     "event"),  # Ecuador's referendum rejects foreign military bases (and a new constitution), night of 16-17 Nov 2025
    (["devdiscourse-3710475", "newsru-co-il-26nov2025-fire-202"],
     "event"),  # fire in the Wang Fuk Court towers at Tai Po, Hong Kong, 26 Nov 2025 (its first hours)
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (an earlier step, a preview, a reaction, a later step) and other events of the
# same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("voxnews-al-en-94576", "event"),  # Belarus frees Tsikhanouski after Kellogg meets Lukashenko, 21 Jun 2025 (the release, the day before the press conference)
    ("nv-sport-klichko-usik-50531117", "event"),  # Klitschko congratulates Usyk, 20 Jul 2025 01:01 Kyiv time (a reaction, an hour after the knockout)
    ("devdiscourse-3514895", "event"),  # an An-24 passenger plane crashes near Tynda in Russia's Far East, 24 Jul 2025 (another event)
    ("radio1-tramp-obvinil-zagovor", "event"),  # Trump: Xi, Putin and Kim conspire against the US, 3 Sep 2025 (a reaction during the parade)
    ("charter97-654760", "event"),  # Sabalenka to play Anisimova in the US Open final that evening, 6 Sep 2025 17:16 Minsk time (a preview)
    ("devdiscourse-3618196", "event"),  # Sabalenka beats Anisimova in the US Open final, evening of 6 Sep 2025 (New York; another event, the eve of Alcaraz's final)
    ("pravda-ua-7531766", "event"),  # Starmer to announce the recognition of Palestine that day (Sky News), 21 Sep 2025 01:32 Kyiv time (a preview)
    ("nsn-sarkozi-obzhalovat-prigovor", "event"),  # Sarkozy says he is innocent and will appeal, 25 Sep 2025 (a reaction, minutes after the verdict)
    ("lenta-sarkozi-udivilsya-prigovoru", "event"),  # Sarkozy tells the JDD he did not expect a prison term, 28 Sep 2025 (a later statement)
    ("newsru-co-il-28sep2025-fox-news-005", "event"),  # Netanyahu on Fox News: working with Trump on a 21-point plan, 28 Sep 2025 (an earlier step)
    ("devdiscourse-3646004", "event"),  # Trump prepares to present the plan to Netanyahu, 29 Sep 2025 (a preview, hours before the press conference)
    ("interfax-ua-1109688", "event"),  # Hamas ready to free all hostages and to discuss the plan, 3 Oct 2025 (a later step, four days after the press conference)
    ("etvbharat-en-odinga-enn25101501621", "event"),  # Kenya's former prime minister Odinga dies in Kerala, 15 Oct 2025 (another event)
    ("lenta-v-kenii-sotni-postradali-na-pohoronah", "event"),  # hundreds hurt in a crush at Odinga's public funeral in Kisumu, 18 Oct 2025 (a later step of that affair)
    ("interfax-ua-1116598", "event"),  # the Dutch election's exit poll: D66 narrowly ahead of PVV, night of 29-30 Oct 2025 (another event)
    ("interfax-ua-1117148", "event"),  # the Dutch count at 99%: D66 wins, 31 Oct 2025 (the same affair's later step, two days on)
    ("report-az-en-3-arrested-hong-kong-fire", "event"),  # Hong Kong police arrest three men of the construction firm, 27 Nov 2025 (the next day's step)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held13", DEVELOPMENTS, DISTRACTORS, "hd14")

if __name__ == "__main__":
    raise SystemExit(main())
