"""Build ``held6/stream.jsonl``: the sixth held-out part of the cross-lingual set.

    .venv/bin/python bench/data/crosslingual/held6/build.py

Reads the real headlines in captured.jsonl (found in stored public news pages, with
provenance and, where the stored text shows one, the filing time), groups them into the
developments and distractors listed below (judged by reading, with the editor rule of
../README.md, "Dev part"), and writes one JSON object a line sorted by ``published``, in the
format of ``../held5/stream.jsonl`` with ``"part": "held6"``. Every row is a real report: no
translations, and no two versions of a development from one outlet's language editions.
Deterministic. Refuses to build when an item's title or URL is already in the main set, the
check, dev, fresh, held3, held4 or held5 part, when a development has one language only, or
when two of its versions share an outlet (README.md, "Held-out part 6"). The part is held
out: it is scored once per frozen linker by the lead, and never tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import held_part  # noqa: E402  ../held_part.py: fresh/build.py's part_main for a held-out part

# Files whose titles and URLs this part must not repeat: the main set, the check, dev, fresh,
# held3, held4 and held5 parts.
OTHER_PARTS = held_part.files_through("held5")

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["newizv-en-394014", "boi-tna-2023-01-17-arestovich"],
     "event"),  # Arestovych resigns as adviser to the President's Office, accepted the same day, 17 Jan 2023
    (["rbc-ua-en-1706137973", "zaxid-n1578721", "dv-ee-2024-01-25-npz"],
     "event"),  # drones set a vacuum unit of the Tuapse refinery on fire, night of 24-25 Jan 2024
    (["babel-en-103521", "rbc-ru-65bdc6c19a794766c9dd59a0", "moscowtimes-ru-a120497", "nikvesti-283743"],
     "event"),  # a drone falls on Lukoil's Volgograd refinery, fire, night of 2-3 Feb 2024
    (["censor-en-3500608", "dzen-Zpq0pY3cDxosbh7f"],
     "event"),  # former MP Iryna Farion shot in Lviv, evening of 19 Jul 2024
    (["anews-2024-08-24-exchange", "online-ua-en-883757", "argumenti-915380"],
     "event"),  # the exchange of 115 for 115, the Russians captured in Kursk region, 24 Aug 2024
    (["swissinfo-87432037", "tass-en-1833349", "novosti-n-ua-298281"],
     "event"),  # Zelensky signs the law banning Russia-linked religious organisations, 24 Aug 2024
    (["pravda-eng-7473596", "rbc-ru-66d9922c9a7947054e27a935"],
     "event"),  # the Rada appoints Andrii Sybiha foreign minister, 5 Sep 2024
    (["kyivindependent-kostin-resigns-1022", "interfax-ru-1022309", "24tv-ru-n2668621"],
     "event"),  # Prosecutor General Kostin resigns over prosecutors' fake disabilities, 22 Oct 2024
    (["interfax-en-1047517", "iz-1838386", "novosti-n-309434"],
     "event"),  # the NSDC imposes sanctions on ex-president Poroshenko, evening of 12 Feb 2025
    (["moscowtimes-a88758", "dunyanews-878968", "kursk-news-580249"],
     "event"),  # former Kursk governor Alexei Smirnov detained over border fortifications, 15-16 Apr 2025
    (["interfax-uk-1082105", "nv-ru-50524327"],
     "event"),  # Deputy PM Chernyshov comes to NABU and is served a notice of suspicion, 23 Jun 2025
    (["meduza-2025-08-14-volgograd", "online-ua-en-896106", "uaportal-2025-08-14-volgograd"],
     "event"),  # drone debris sets the Volgograd refinery on fire again, night of 13-14 Aug 2025
    (["nikvesti-308369", "censor-ua-3570280", "newsru-2025-08-24-kurskie", "newsaz-2025-08-24-swap"],
     "event"),  # the Independence Day exchange of 146 for 146 with eight Kursk region civilians, 24 Aug 2025
    (["unn-en-kirishi-2025-09-14", "newsaz-2025-09-14-kirishi", "mail-ru-67880266"],
     "event"),  # drone debris sets the KINEF refinery in Kirishi on fire, night of 14 Sep 2025
    (["nv-ru-50550041", "zerkalo-az-2025-10-04-kinef", "news-pravda-1743960"],
     "event"),  # the KINEF refinery in Kirishi hit again, night of 4 Oct 2025
    (["people-cn-10078988", "qazet-az-2022-04-01-neftebaza", "kubnews-2022-04-01-belgorod",
      "myua-uk-2022-04-01-bielgorod"],
     "event"),  # helicopters strike the Rosneft oil depot in Belgorod, morning of 1 Apr 2022
    (["interfax-com-83542", "devdiscourse-2202367", "dw-uk-a-63333064", "eadaily-2022-10-04-nacbank"],
     "event"),  # NBU governor Kyrylo Shevchenko resigns citing his health, 4 Oct 2022
    (["whtc-2023-11-13-dubinsky", "hromadske-radio-2023-11-13-dubinskyi"],
     "event"),  # MP Oleksandr Dubinsky served a notice of suspicion of treason, 13 Nov 2023
    (["kesq-2024-04-07-znpp", "censor-en-3483033", "dzen-ZhPAx3PbaFazHPVB"],
     "event"),  # drones hit the dome of the Zaporizhzhia NPP's sixth unit, IAEA confirms, 7 Apr 2024
    (["kyivindependent-popov-arrested-0829", "news4jax-2024-08-29-popov",
      "ruposters-2024-08-29-popov"],
     "event"),  # ex-deputy defence minister Pavel Popov arrested over Patriot Park, 29 Aug 2024
    (["novinite-228705", "pravda-ru-en-160833", "rubryka-2024-10-08-feodosiia",
      "eadaily-2024-10-07-feodosiya", "censor-ua-3513554"],
     "event"),  # drones set the Marine Oil Terminal in Feodosia on fire, 7 Oct 2024 (burning on 8 Oct)
    (["pravda-eng-7492479", "liga-en-engels-2025-01-08", "meduza-2025-01-08-engels"],
     "event"),  # drones set the Kristall depot serving the Engels-2 airbase on fire, night of 8 Jan 2025
    (["kyivindependent-150-pows-0205", "trtworld-18261858", "novosvyat-134904"],
     "event"),  # the exchange of 150 for 150, 5 Feb 2025
    (["aa-ru-3543184", "stream-kyiv-2025-04-19-277", "kyivindependent-246-pows-0419"],
     "event"),  # the Easter exchange, 246 for 246 and 31 wounded for 15, 19 Apr 2025
    (["newsbytes-eu-18th-package", "rigzone-181187", "tvzvezda-20257181140"],
     "event"),  # the EU adopts its 18th sanctions package, a floating oil price cap, 18 Jul 2025
    (["24tv-n2927734", "tsn-ru-2927246"],
     "event"),  # drones on Lukoil's Kstovo refinery, fire, night of 5 Oct 2025
    (["nv-ru-50552940", "censor-ua-3579961"],
     "event"),  # drones on the Saratov refinery, night of 15-16 Oct 2025
    (["bin-ua-342862", "rbc-ua-1761203877"],
     "event"),  # drone debris sets an enterprise (reportedly the Ryazan refinery) on fire, 23 Oct 2025
    (["euromaidanpress-2025-11-04-kstovo", "novosti-dn-409074", "comments-ua-ru-785627"],
     "event"),  # drones set the Kstovo refinery on fire again, night of 3-4 Nov 2025
    (["thestar-2025-10-02-swap", "babel-en-121896", "m24-02102025-834947", "interfax-ru-1050490",
      "unian-13149765"],
     "event"),  # the exchange of 185 for 185 and 20 civilians each, 2 Oct 2025
    (["pravda-eng-7455381", "report-az-en-volgograd-0512", "fx-news-2024-05-12-bocharov"],
     "event"),  # a drone falls on the Volgograd refinery and sets it on fire, early 12 May 2024
    (["aljazeera-2024-12-30-pows", "lbcgroup-827463", "regionews-uk-1735571876"],
     "event"),  # the New Year exchange, 150 for 150 by Moscow's count and 189 home by Kyiv's, 30 Dec 2024
    (["novayagazeta-eu-2024-05-23-shamarin", "brecorder-40304971", "runews24-2024-05-23-shamarin"],
     "event"),  # Lt Gen Vadim Shamarin, deputy chief of the General Staff, arrested for a bribe, 22-23 May 2024
    (["devdiscourse-2937636", "zona-media-2024-05-14-kuznetsov", "myua-uk-2024-05-14-kuznietsov"],
     "event"),  # Lt Gen Yuri Kuznetsov, the defence ministry's personnel chief, arrested, 13-14 May 2024
    (["apa-az-en-430948", "devdiscourse-2857247", "sila-rf-2024-03-13-ryazan"],
     "event"),  # a drone sets the Ryazan refinery on fire and injures workers, morning of 13 Mar 2024
    (["anews-2025-01-31-volgograd", "devdiscourse-3246575", "globalballs-2025-01-31-volgograd"],
     "event"),  # drone debris sets the Volgograd refinery on fire, one worker hurt, night of 31 Jan 2025
    (["telegraf-uk-5917456", "menafn-1109907665"],
     "event"),  # drones on the Saratov refinery, night of 10 Aug 2025
    (["liga-ua-2025-11-03-saratov", "euromaidanpress-2025-11-03-saratov", "charter97-2025-11-03-saratov"],
     "event"),  # drones on the Saratov refinery, night of 3 Nov 2025
    (["goloskarpat-6268d04b2cfec", "kasparov-6268BC86CD1F4"],
     "event"),  # an ammunition depot burns near Staraya Nelidovka outside Belgorod, night of 27 Apr 2022
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("unn-en-tuapse-2024-05-17", "event"),  # another drone attack on the Tuapse refinery, 17 May 2024
    ("menafn-1108594896", "event"),  # the Rada's speaker signs the church law and sends it to Zelensky, 23 Aug 2024 (the step before)
    ("intent-en-kostin-submission-1028", "event"),  # Zelensky submits Kostin's dismissal to the Rada, 28 Oct 2024 (the next step)
    ("donpress-2025-03-14-tuapse", "event"),  # drones on the Tuapse refinery, 14 Mar 2025
    ("unn-en-chernyshov-charges-prepared-0621", "event"),  # an MP: NABU will serve Chernyshov on 23 Jun, 21 Jun 2025 (the preview)
    ("unn-en-chernyshov-hacc-0625", "event"),  # the court postpones Chernyshov's preventive measure, 25 Jun 2025 (the next step)
    ("epravda-813623", "event"),  # a tanker burns in Tuapse's port in a mass drone attack, 2 Nov 2025
    ("myua-2022-10-05-shevchenko-nbu", "event"),  # Zelensky submits the NBU governor's dismissal, 5 Oct 2022
    ("thestar-2023-11-14-dubinsky", "event"),  # a court orders Dubinsky detained, 14 Nov 2023 (the next day's step)
    ("liga-ua-2025-09-29-feodosiia", "event"),  # another fire at the Feodosia terminal, 29 Sep 2025
    ("life-1798475", "event"),  # a drone on the Feodosia oil depot, 12-13 Oct 2025
    ("eanews-20250319180629", "event"),  # another exchange, 175 for 175 after the Trump-Putin call, 19 Mar 2025
    ("kyivindependent-kstovo-0129", "event"),  # the same Kstovo refinery hit in January, 29 Jan 2025
    ("moscowtimes-a85185", "event"),  # Maj Gen Ivan Popov reported arrested, 21 May 2024 (two days before Shamarin)
    ("pravda-eng-7483507", "event"),  # a fire at the Saratov refinery after a drone attack, 8 Nov 2024
    ("kubnews-2022-03-30-vzryvy", "event"),  # explosions at an ammunition store near Belgorod, 29-30 Mar 2022
    ("charter97-2025-11-14-saratov", "event"),  # the Saratov refinery hit again, night of 14 Nov 2025
]  # fmt: skip


main = held_part.script(__file__, __doc__, "held5", DEVELOPMENTS, DISTRACTORS, "hd6")

if __name__ == "__main__":
    raise SystemExit(main())
