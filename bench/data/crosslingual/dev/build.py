"""Build ``dev/stream.jsonl``: the dev part of the cross-lingual set (data to tune on).

    .venv/bin/python bench/data/crosslingual/dev/build.py

Reads the real headlines in captured.jsonl (found in stored public news pages, with
provenance), groups them into the developments and distractors listed below (judged by
hand with the editor rule of ../../shared/data/README.md), and writes one JSON object a line
sorted by ``published``, in the format of ``../check/stream.jsonl`` with ``"part": "dev"``.
Every row is a real report: the part has no translations, so the versions of a development
are written independently by different outlets. Deterministic. Refuses to build when an
item's title or URL is already in the main set or the check part (README.md, "Dev part").
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_spec = importlib.util.spec_from_file_location("check_part", ROOT / "check" / "build.py")
assert _spec is not None and _spec.loader is not None
check_part = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_part)  # ../check/build.py: load_capture, assemble

CAPTURE = HERE / "captured.jsonl"
PART = "dev"
# Files whose titles and URLs the dev part must not repeat (the main set and the check part).
OTHER_PARTS = (
    ROOT / "stream.jsonl",
    ROOT / "captured.jsonl",
    ROOT / "check" / "stream.jsonl",
    ROOT / "check" / "captured.jsonl",
)

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["nationalpost-moskva-sunk", "jpost-704106", "vladikavkaz-86774", "silkway-292699",
      "gazetaua-1082515"], "event"),  # cruiser Moskva sinks, 14 Apr 2022
    (["lenta-elenovka", "moscowtimes-a22740", "newscast-179708", "ukrinform-en-3539439",
      "wsjcopy-olenivka"], "event"),  # Olenivka prison blast, 29 Jul 2022
    (["militarnyi-krymskyj-mist", "moika78-815820", "volgasib-krymskij-most",
      "anews-crimea-bridge", "mia-crimea-bridge"], "event"),  # Crimean Bridge blast, 8 Oct 2022
    (["bs-122100900917", "alarabiya-putin-bridge", "mybryansk-63815", "strana-410841"],
     "event"),  # Putin calls the bridge blast a terrorist act, 9 Oct 2022
    (["ostro-i369340", "fakty-20221010-obstril", "belsat-ru-kiev-1010", "informburo-kiev-vzryvy",
      "upi-8971665399254", "iolaregister-bridge-hit"], "event"),  # rush-hour strikes, 10 Oct 2022
    (["ktvz-soledar", "censor-en-3393071", "rtvi-soledar", "donbasstoday-soledar"],
     "event"),  # Russia claims Soledar, 13 Jan 2023
    (["rubryka-dnipro-0114", "novostin-259669", "newsru-14jan2023-dnepr", "dialog-266030",
      "kasmaal-dnipro-23", "intellinews-266950"], "event"),  # Dnipro apartment block, 14 Jan 2023
    (["tochka-kreml-dron", "sovanews-kreml", "presscorp-kremlin-drones", "washex-2399955"],
     "event"),  # drones over the Kremlin, 3 May 2023
    (["moscowtimes-en-a82233", "ukrinform-3752317", "topdialog-prigozhin", "argumenti-851842"],
     "event"),  # Prigozhin's plane crash, 23 Aug 2023
    (["ipc-shtab-chf", "zn-shtab-chf", "newsru-pvo-sevastopol", "odessalife-shtab"],
     "event"),  # Black Sea Fleet headquarters struck, 22 Sep 2023
    (["aviation24-il76", "journalnews-il76", "uralweb-560002", "pravmir-il76", "babel-uk-103173",
      "patrioty-500278"], "event"),  # Il-76 down in Belgorod region, 24 Jan 2024
    (["rbc-en-1715539687", "censor-en-3489054", "spbdnevnik-belousov", "unian-12634017",
      "khvylia-shoigu"], "event"),  # Putin proposes Belousov for Shoigu, 12 May 2024
    (["swissinfo-87483894", "moscowtimes-en-a86241", "israelan-235917", "abcmedia-87424"],
     "event"),  # Poltava Institute of Communications, 3 Sep 2024
    (["meduza-en-kherson-0503", "kyivindependent-kherson-21", "ostannipodii-100029404",
      "greencountry-kherson-23", "zn-ru-epitsentr-kherson", "ostro-ru-i417132"],
     "event"),  # Kherson shelled all day, 3 May 2023
    (["devdiscourse-2567147", "nge-en-surovikin", "novostidn-uk-356103", "amic-528612",
      "baikalinform-surovikin"], "event"),  # Surovikin reported dismissed, 22 Aug 2023
    (["kyivindependent-zap-0910", "babel-en-85374", "dsnews-467462", "glavnoe-zap-0910"],
     "event"),  # Zaporizhzhia apartment blocks struck overnight, 9 Oct 2022
    (["maritime-exec-vadaturskyi", "eastcoastdaily-vadatursky", "nashemisto-vadaturskyi",
      "ostannipodii-26354"], "event"),  # Vadatursky killed in Mykolaiv, 31 Jul 2022
    (["swissinfo-87487596", "moscowtimes-en-a86247", "mezha-lviv-0904", "hromadske-230654",
      "russiannewstoday-lvov"], "event"),  # Lviv struck, 4 Sep 2024
    (["khaleejtimes-grain-friday", "babel-en-81827", "agropolit-24128"],
     "event"),  # Turkey: the grain deal will be signed on Friday, 21 Jul 2022 (the preview)
    (["channelstv-grain-deal", "dailysabah-grain-corridor", "tutnews-grain-sdelka",
      "novorosinform-99975"], "event"),  # the grain deal signed in Istanbul, 22 Jul 2022
    (["straitstimes-odesa-port", "babel-en-81903", "twnews-odesa-port"],
     "event"),  # missiles hit the port of Odesa the day after, 23 Jul 2022
    (["antikor-604609", "ktvq-leopard", "vozus-leopard"],
     "event"),  # Germany announces Leopard 2 tanks, 25 Jan 2023
    (["ukranews-en-910952", "txtreport-abrams", "podrobnosti-2465879", "myua-abrams-0125"],
     "event"),  # Biden announces 31 Abrams tanks, 25 Jan 2023
    (["defensepost-snake-island", "irishexaminer-40907306", "uagit-20304", "nikopolnews-zmiinyi",
      "meduza-zmeinyy", "ekhokavkaza-31922764"], "event"),  # Russia leaves Snake Island, 30 Jun 2022
    (["newschannel5-serhiivka", "interfax-en-842990", "womo-odeshchyna-18", "unn-uk-1983827",
      "odessalife-itogi-0701"], "event"),  # Serhiivka, Odesa region, 1 Jul 2022
    (["punemirror-chasiv-yar", "babel-en-81283", "telegraf-5710264", "unian-11899461"],
     "event"),  # Chasiv Yar block and its toll, 9-11 Jul 2022
    (["gordonua-1627210", "vchaspik-538458", "amurlife-32475", "ostroinfo-en-8043"],
     "event"),  # Putin's announced address postponed, 20 Sep 2022 (the preview)
    (["france24-20220921", "eastcoastdaily-mobilisation", "konkurent-104046", "ukrinform-3575969",
      "vestyil-sytb5q00wj", "fraza-316474"], "event"),  # partial mobilisation, 21 Sep 2022
    (["dw-a-63076187", "eurasiareview-11092022", "rbc-ru-631c9a04", "hromadske-ru-begstvo"],
     "event"),  # Russia's "regrouping" from Balakliia and Izium, 10 Sep 2022
    (["kyivindependent-drone-1017", "theins-en-256101", "slovoidilo-kyiv-4-pryloty",
      "odessaonline-kyiv-drones", "focus-ru-533218", "novostidn-ru-334442"],
     "event"),  # Shahed drones on Kyiv, 17 Oct 2022
    (["euromaidan-kramatorsk-0627", "aerotime-kramatorsk", "fakty-20230627-kramatorsk",
      "gazetaua-1148790", "rbc-ru-649b3629"], "event"),  # Kramatorsk restaurant, 27 Jun 2023
    (["rawstory-grain-exit", "euromaidan-grain-0717", "tass-18290173", "novostin-272065"],
     "event"),  # Russia quits the grain deal, 17 Jul 2023
    (["politarena-73491", "shpalta-kuleba", "gazetaua-ru-1192500", "newsru-4sep2024-kuleba"],
     "event"),  # Kuleba hands in his resignation, 4 Sep 2024
    (["osnmedia-1239299", "online47-178573", "eot-kremlin-washington", "tellerreport-peskov-us"],
     "event"),  # Peskov: the Kremlin drones were decided in Washington, 4 May 2023
    (["rubryka-lysychansk", "ostannipodii-25970", "yamal-lisichansk", "censor-en-3351852"],
     "event"),  # Ukraine's General Staff: the army has left Lysychansk, 3 Jul 2022
    (["interfax-uk-1011409", "gordonua-ru-1717968", "kommersant-6933530"],
     "event"),  # three ministers and the State Property Fund's head resign, 3 Sep 2024
    (["pravda-eng-7451622", "onlineua-en-876893", "pro100media-chernihiv", "cntime-chernihiv",
      "dniprotv-chernihiv"], "event"),  # Chernihiv, three Iskanders, 17 Apr 2024
    (["breitbart-1229-air-raid", "kyivindependent-1229-toll", "onlineua-870511", "novostin-283254",
      "gordonua-ru-1692793"], "event"),  # the largest air attack and its toll, 29 Dec 2023
    (["newser-344497", "babel-en-102364", "vestivrn-belgorod-1230", "newizv-425758"],
     "event"),  # Belgorod's centre shelled, 30 Dec 2023
    (["mezha-en-mariupol-theater", "vikna-dramteatr", "interfax-uk-814732"],
     "event"),  # Mariupol's drama theatre bombed, 16 Mar 2022
    (["politico-odesa-double", "douglass-odesa-20", "inkorr-218573", "1zahid-odesa-14",
      "odessalife-uk-0315"], "event"),  # Odesa, the rescuers struck too, 15 Mar 2024
    (["nsn-surovikin-0810", "rodina-surovikin-0810", "novostin-252699", "tribun-95894"],
     "event"),  # Surovikin named commander in Ukraine, 8 Oct 2022 (the day of the bridge blast)
    (["ukranews-en-957073", "pcorg-zelenskyi-kanada"],
     "event"),  # Zelensky arrives in Canada, 22 Sep 2023 (the day of the fleet HQ strike)
    (["babel-en-109599", "upi-7981722792637", "atn-446814"],
     "event"),  # Zelensky confirms the first F-16s in Ukraine, 4 Aug 2024
    (["lider112-41996", "dw-uk-70385301", "ctpaha-472953", "ostro-ru-i493020"],
     "event"),  # Ukraine's command announces the withdrawal from Vuhledar, 2 Oct 2024
    (["euromaidan-przewodow", "freebeacon-poland-missiles", "metaua-59575", "sportua-603730",
      "ogo-127991"], "event"),  # a missile falls on Przewodów, Poland, 15 Nov 2022
    (["babel-en-86821", "hindustantimes-kherson-0911", "kz-59939", "zaxid-n1552552",
      "bblv-herson-bez-boya", "bbcru-mirror-63576940"],
     "event"),  # Russia orders its troops off the right bank at Kherson, 9 Nov 2022
    (["babel-en-87877", "mk-aerodromy-0512", "belta-538491", "glavnoe-aerodromy-troye"],
     "event"),  # drones on the Engels and Dyagilevo airfields, three dead, 5 Dec 2022
    (["yahoo-euronews-125909301", "i24news-1672036119", "mykherson-18197", "novostin-258279",
      "glagol-engels-1226", "saratovnews-431396"],
     "event"),  # a drone downed over Engels again, three dead, 26 Dec 2022
    (["webmd-20220309-mariupol", "scroll-1019180", "unn-1967260", "riam-279863",
      "delfi-ru-54135444"],
     "event"),  # Mariupol's maternity and children's hospital bombed, 9 Mar 2022
    (["nationthailand-40015621", "jamnews-azov-evacuated", "interfax-ua-832718",
      "zn-ua-evakuatsija-azovstal", "klops-252093", "rima-novaya-eu-141619"],
     "event"),  # the Mariupol garrison's mission ends, the first leave Azovstal, 16-17 May 2022
    (["mb-ph-bucha-0403", "censor-en-3330918", "racurs-n169181", "glavcom-835111",
      "novynarnia-2022-04-03-bucha"],
     "event"),  # Bucha: bodies in the streets and mass graves after the withdrawal, 2-3 Apr 2022
    (["pravda-eng-7327048", "albawaba-1468193", "divyabharat-kharkiv-square", "0372-3340747",
      "24tv-n1884830", "sq-kharkov-0103"],
     "event"),  # missiles on Kharkiv's Freedom Square and regional administration, 1 Mar 2022
    (["warukraine-tv-tower-0103", "newsru-il-127660", "reporterplus-ru-televyshka"],
     "event"),  # missiles on the Kyiv TV tower beside Babyn Yar, the evening of 1 Mar 2022
    (["nasdaq-reuters-znpp-fire", "moscowtimes-a76749", "dniprotv-zaes-pozhezha",
      "vikna-ru-pozhar-zaes"],
     "event"),  # fire at the Zaporizhzhia nuclear plant under shelling, night of 3-4 Mar 2022
    (["axios-2022-12-21-zelensky", "newser-329426", "unn-ru-zelenskiy-pribuv",
      "meduza-2022-12-21-belyy-dom"],
     "event"),  # Zelensky arrives in Washington, his first trip abroad in the war, 21 Dec 2022
    (["babel-en-85029", "dw-av-63309351", "expressandstar-lyman-1001", "interfax-ru-865841",
      "rubryka-ru-lyman-1001", "reform-331738"],
     "event"),  # Russia's defence ministry says its troops left Lyman, 1 Oct 2022
    (["moscowtimes-a82378", "interfax-en-933333", "menafn-1107021346",
      "realist-kostiantynivka-16", "niknews-2023-09-06-rynok", "odessaonline-kostiantynivka",
      "dneprinfo-ru-konstantinovka"],
     "event"),  # a strike on Kostiantynivka's central market, 16 killed, 6 Sep 2023
    (["babel-en-96908", "oodaloop-2023-08-02-izmail", "romaniajournal-izmail", "texty-110307",
      "bukvy-izmail-40-tysyach", "dronmedia-izmail"],
     "event"),  # Russian drones on the Danube port of Izmail, 2 Aug 2023
    (["cbc-1.6956276", "devdiscourse-2580584", "menafn-1107001536", "tvnet-ru-7847418",
      "rt-ru-1197852", "svidomi-reznikov-vidstavka"],
     "event"),  # Zelensky decides to replace defence minister Reznikov with Umerov, 3 Sep 2023
    (["euromaidanpress-2023-08-19-chernihiv", "ukrainetoday-2023-08-19-theatre",
      "hmarochos-2023-08-19-dramteatr", "lentaua-ru-143798"],
     "event"),  # an Iskander on the drama theatre in central Chernihiv, 19 Aug 2023
    (["pravda-eng-7397923", "kyivindependent-sloviansk-9-killed", "deccanherald-1209796",
      "tribun-100694", "nta-sloviansk-try-bagatopoverhivky", "ostro-ru-i414478",
      "informsumy-788676178"],
     "event"),  # S-300s on apartment blocks in Sloviansk and its toll the next day, 14-15 Apr 2023
    (["citynews-toronto-odesa-0302", "bdnews24-h2cuyhi658", "kpua-a686274",
      "odessalife-uk-chislo-zhertv", "zerkalo-62474", "regionews-ru-1709366102"],
     "event"),  # a Shahed on a nine-storey block in Odesa, 2 Mar 2024
    (["ukranews-838163", "glavcom-826190", "ria24-12126353"],
     "event"),  # Kharkiv's police and SBU headquarters and a university building hit, 2 Mar 2022
    (["alarabiya-2023-01-02-makiivka", "newsgram-2023-01-03-makiivka",
      "sq-donbass-makeevka-0102", "riavrn-makeevka-0102", "artsakh-ru-256560"],
     "event"),  # Russia's defence ministry admits 63 killed at Makiivka, 2 Jan 2023
    (["babel-en-112905", "eutoday-oreshnik", "radiosvoboda-33211108", "zlynka-znamya-2024-11-22"],
     "event"),  # Putin announces the "Oreshnik" strike on Dnipro, 21 Nov 2024
    (["wsbradio-cnn-atacms-1119", "kyivindependent-atacms-first-time", "hadnews-atacms-bryansk",
      "moscowpost-194150"],
     "event"),  # Ukraine's first ATACMS on Russian soil, Bryansk region, 19 Nov 2024
    (["babel-en-77909", "euroweeklynews-2022-04-21-azovstal", "peoplecn-10087593",
      "lmn-putin-shturm-azovstali", "klops-250985", "rubryka-ru-2022-04-21-azovstal"],
     "event"),  # Putin calls off the storming of Azovstal and orders a blockade, 21 Apr 2022
    (["indianeconomicobserver-20220624164537", "bykvu-eng-severodonetsk-order",
      "thequint-severodonetsk-retreat", "0642-3413166", "stopcor-severodonetsk-24-06-2022",
      "meduza-2022-06-24-severodonetsk", "rossaprimavera-539e3c76"],
     "event"),  # Ukraine's troops ordered out of Sievierodonetsk, 24 Jun 2022
    (["devdiscourse-1988246", "censor-en-3330867", "sigmatv-79921", "gazetaua-ru-1079867",
      "infovmire-2022-04-02-kievskaya"],
     "event"),  # Ukraine's deputy defence minister: the whole Kyiv region is freed, 2 Apr 2022
    (["guardian-video-2022-mar-29-fomin", "peoplecn-10077677", "nysun-russia-cutting-back-kiev",
      "atn-367205", "lenta-2022-03-29-sokr", "strana-383876", "radio1-fomin-0329"],
     "event"),  # Russia says it will cut its military activity near Kyiv and Chernihiv, 29 Mar 2022
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("timesofisrael-vizar", "event"),  # Vizar missile plant hit, the day after the Moskva sank
    ("afisha-sev-den-vmf", "event"),  # drone on the Black Sea Fleet HQ, the day Vadatursky died
    ("mayupravo-a72534", "event"),  # Zaporizhzhia blocks hit three days before the 9 Oct strike
    ("fnn-kyiv-0114", "event"),  # Kyiv infrastructure hit the morning Dnipro was struck
    ("kyivindependent-0123-strikes", "event"),  # Kyiv and Kharkiv struck the day before the Il-76
    ("interfax-959988", "event"),  # Belgorod block collapses the day Belousov is proposed
    ("ukrinform-3863799", "event"),  # Belousov appointed by decree, two days after the nomination
    ("glavnoe-biden-vystup", "event"),  # Biden to speak on Ukraine: the preview of the Abrams
    ("korrespondent-4514319", "event"),  # Balakliia taken, two days before Russia's "regrouping"
    ("rubryka-balakliia-flag", "event"),  # the flag raised over Balakliia the day of it
    ("politico-odesa-port-0718", "event"),  # Odesa port struck the day after Russia quit the deal
    ("axios-0126-missiles", "event"),  # missiles on Ukraine the day after the tanks
    ("aljazeera-prigozhin-video", "event"),  # Prigozhin's Africa video, two days before the crash
    ("latimes-first-grain-ship", "event"),  # the first grain ship leaves Odesa, 1 Aug 2022
    ("glavred-10390412", "event"),  # Kharkiv shelled the morning the Chasiv Yar toll rose
    ("jewishru-200070", "event"),  # Putin in Tehran, two days before the grain deal's date
    ("belta-referendumy-0923", "event"),  # the "referendums" begin, two days after mobilisation
    ("deccanherald-1231688", "event"),  # Putin's post-mutiny speech, the day of Kramatorsk
    ("dsnews-479011", "event"),  # Prigozhin says Wagner will leave Bakhmut, 5 May 2023
    ("bukvy-kamyshin-rada", "event"),  # the Rada votes Kamyshin out, after the resignations
    ("belru-3143944", "event"),  # loud explosions over Belgorod again that evening
    ("slovoidilo-ru-chernigov-hleb", "event"),  # Chernihiv bread queue, the day of the theatre
    ("svoboda-dzhankoi-0417", "event"),  # Dzhankoi airfield hit, the day of Chernihiv
    ("moneycontrol-8914171", "event"),  # Mykolaiv bus stop struck, two days before Vadatursky
    ("pravda-eng-7360996", "event"),  # Mykolaiv shelled the night before Vadatursky
    ("dniprotv-masovyi-1115", "event"),  # the barrage on Ukraine the day of Przewodów
    ("rbc-stremousov-0911", "event"),  # Stremousov dies in a crash the day of the Kherson order
    ("newdaynews-zaes-0805", "event"),  # the Zaporizhzhia plant shelled again, a fire, 5 Aug 2022
    ("myua-korrespondent-1220-cnn", "event"),  # CNN: Zelensky will come, the eve of his arrival
    ("cde-izmail-13000-tons", "event"),  # Izmail's port struck again three weeks later
    ("liga-izmail-mvs-0926", "event"),  # Izmail's port struck again, 26 Sep 2023
    ("lenta-2024-11-22-dnepr", "event"),  # explosions in Dnipro again, the morning after Oreshnik
    ("independent-b2254555", "event"),  # drones on Kyiv the night Russia admitted the Makiivka toll
]


def url_key(url: str) -> str:
    """A URL without scheme, ``www.``/``m.``, AMP suffixes and trailing slash, lowercased."""
    key = re.sub(r"^https?://(www\.|m\.)?", "", url.strip().lower())
    return re.sub(r"(/amp|\?amp=1|\?output=amp)?/?$", "", key)


def title_key(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))


def overlaps(real: dict[str, dict]) -> list[str]:
    """The dev items whose title or URL is already in the main set or the check part."""
    seen: set[str] = set()
    for path in OTHER_PARTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                seen |= {url_key(item["url"]), title_key(item["title"])} - {""}
    return sorted(
        rid
        for rid, item in real.items()
        if url_key(item["url"]) in seen or title_key(item["title"]) in seen
    )


def build() -> list[dict]:
    real = check_part.load_capture(CAPTURE)
    repeated = overlaps(real)
    assert not repeated, f"already in the main set or the check part: {repeated}"
    assert not [r for r in real.values() if "example.org" in r["url"]], "a placeholder URL"
    rows = check_part.assemble(real, DEVELOPMENTS, DISTRACTORS, "tun", PART)
    return check_part.with_date_only(rows, CAPTURE)


def main(argv: list[str] | None = None) -> int:
    return int(check_part.main(argv, build, HERE, __doc__ or ""))


if __name__ == "__main__":
    raise SystemExit(main())
