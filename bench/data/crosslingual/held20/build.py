"""``held20/stream.jsonl``, the twentieth held-out part of the cross-lingual set:

    .venv/bin/python bench/data/crosslingual/held20/build.py

Real reports only, every one with its filing time (captured.jsonl: each found in stored public
news pages, kept with its provenance and the time with zone its page shows, quoted in
``provenance.time_from``), grouped by reading into the developments and distractors below with
the editor rule of ../README.md ("Dev part"). All of it is the war in Ukraine, July to
December 2025, in four clusters of neighbouring days: early July (Trump saying the United
States will send Ukraine more weapons, Zelensky and Meloni at the recovery conference in Rome),
October (Macron announcing a coalition-of-the-willing meeting in London, Zelensky's address on
the Dobropillia operation's toll, DTEK's gas production in Poltava region halted by a strike),
mid-December (the second round of the Berlin talks, Zelensky on why he went to Kupiansk) and
the last days of December (Macron announcing the coalition's meeting in Paris, Zelensky's New
Year address). It is SMALL (nine developments, all in two languages): timed pages in a second
language from a second outlet were rare.
Its distractors are other steps of the same affairs within hours or days (Trump's cabinet
meeting the next day and his NBC interview three days on, the London meeting itself four days
after its announcement, Italy's aid decree the day after Macron's post, Naftogaz's gas sites in
the same region struck again twelve days later, Zelensky's Kupiansk visit four days before his
words on it, the European leaders' statement on the evening of the Berlin talks, Zelensky's
Telegram greeting hours before his New Year address) and other events of the same days (the
night attack on Kyiv, the morning attack on Kharkiv, Putin at his defence ministry's board, two
strikes on Odesa's ports a night apart, Ukraine confirming its strikes on tankers), so
several pairs of different developments are the same kind of announcement or strike a few days
apart. The build stops on a title or URL
that the main set or an earlier part already has, on a development in one language, and on two
versions of one development from one outlet. Held out (README.md, "Held-out part 20"): scored
by the lead once per frozen linker, never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3-held19 parts.
OTHER_PARTS = held_part.files_through("held19")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["sud-ua-uk-335446", "aroundprague-ru-tramp-bolshe-oruzhiya"],
     "event"),  # Trump before his dinner with Netanyahu: the US will send Ukraine more, mostly defensive, weapons, evening of 7 Jul 2025 (Washington)
    (["novosti-n-uk-318948", "interfax-ua-en-1086725"],
     "event"),  # Zelensky and Meloni at the Ukraine Recovery Conference in Rome: Italy to take Odesa's reconstruction under its patronage, 10 Jul 2025
    (["charter97-658599", "glavred-uk-10704944"],
     "event"),  # Zelensky's evening address: over 12,000 Russian losses in the Dobropillia operation since 21 August, 8 Oct 2025
    (["bessarabia-uk-gazovydobutok-poltavshchyna-1016", "axar-az-en-1024033"],
     "event"),  # a night attack halts DTEK's gas production in Poltava region, 16 Oct 2025
    (["interfax-ua-uk-1114037", "report-az-ru-makron-koaliciya-london-24-oktyabrya"],
     "event"),  # Macron at the MED9 summit in Portoroz: the coalition of the willing meets in London on Friday with Zelensky, 20 Oct 2025
    (["lenta-ru-makron-zayavlenie-20251229", "comments-ua-uk-792126"],
     "event"),  # Macron after the Florida talks: the coalition of the willing meets in Paris in early January, 29 Dec 2025
    (["rbc-ua-1767206982", "charter97-668515"],
     "event"),  # Zelensky's New Year address: the peace agreement is 90% ready, 31 Dec 2025
    (["racurs-uk-210877", "news-ru-berlin-vtoroj-raund"],
     "event"),  # the second round of the US-Ukrainian talks in Berlin (Zelensky, Witkoff, Kushner) begins, 15 Dec 2025
    (["comments-ua-ru-790701", "regionews-uk-1765888916"],
     "event"),  # Zelensky in the Dutch parliament: he went to Kupiansk to show that Putin lies about its capture, 16 Dec 2025
]  # fmt: skip

# Real reports of other developments, one row each: other steps of the same affairs within
# hours or days (a later step, a reaction) and other events of the same days.
DISTRACTORS: list[tuple[str, str]] = [
    ("regionews-uk-1751862053", "event"),  # Russian drones on apartment blocks in Kharkiv, 7 Jul 2025 07:20 Kyiv time (another event of the day of Trump's words on weapons)
    ("sud-ua-ru-335521", "event"),  # Trump at his cabinet meeting confirms weapons deliveries resume and does not know who ordered the pause, 8 Jul 2025 20:53 Kyiv time (a later step)
    ("interfax-ua-uk-1086401", "event"),  # two killed in the night missile and drone attack on Kyiv, 10 Jul 2025 06:18 Kyiv time (another event of the conference's day)
    ("nv-ru-50528935", "event"),  # Trump to NBC: a major statement on Russia on Monday, 11 Jul 2025 07:28 Kyiv time (a later step of the weapons affair)
    ("nikvesti-uk-310405", "event"),  # the coalition of the willing meets in London: fighter jets, missiles and drones for Ukraine, 24 Oct 2025 21:15 Kyiv time (the meeting announced four days before)
    ("kolo-news-uk-45272", "event"),  # Naftogaz: its gas sites in Poltava region struck for the seventh time in October, 28 Oct 2025 12:15 Kyiv time (the same kind of strike, twelve days later)
    ("sud-ua-ru-349669", "event"),  # Italy extends its military aid to Ukraine for 2026, 30 Dec 2025 13:34 Kyiv time (another event of the days of Macron's post)
    ("rbc-ua-1765553063", "event"),  # Zelensky at a forward command post in Kupiansk, 12 Dec 2025 17:24 Kyiv time (the visit he spoke of four days later)
    ("polskieradio-en-3621554", "event"),  # ten European leaders' joint statement after their Berlin meeting: security guarantees first, 15 Dec 2025 23:00 Warsaw time (the evening of the talks' second round)
    ("news-ru-putin-celi-svo", "event"),  # Putin at the defence ministry's board: the war's aims will be reached, by force if talks fail, 17 Dec 2025 14:24 Moscow time (another event of the days of the Berlin talks)
    ("novyny-live-uk-301332", "event"),  # Russian ballistic missiles on port infrastructure in Odesa district, eight killed, 19 Dec 2025 evening, filed 20 Dec 08:18 Kyiv time (another event of the week of the Berlin talks and Putin's board)
    ("regionews-ru-1766232202", "event"),  # Russia strikes the port again the next morning (Pivdennyi, tanks hit), 20 Dec 2025 13:59 Kyiv time (a second strike, its text repeats the first one's toll)
    ("sud-ua-uk-348972", "event"),  # Ukraine confirms its strikes on shadow-fleet tankers (The New York Times), 20 Dec 2025 21:33 Kyiv time (another event of the days of the Odesa port strikes)
    ("charter97-668489", "event"),  # Zelensky's written New Year greeting on Telegram, 31 Dec 2025 19:14 Minsk time (hours before his New Year address)
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held19", DEVELOPMENTS, DISTRACTORS, "hd20")

if __name__ == "__main__":
    raise SystemExit(main())
