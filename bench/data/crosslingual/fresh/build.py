"""Build ``fresh/stream.jsonl``: the fresh held-out part of the cross-lingual set.

    .venv/bin/python bench/data/crosslingual/fresh/build.py

Reads the real headlines in captured.jsonl (found in stored public news pages, with
provenance and, where the stored text shows one, the filing time), groups them into the
developments and distractors listed below (judged by reading, with the editor rule of
../../shared/data/README.md), and writes one JSON object a line sorted by ``published``, in
the format of ``../dev/stream.jsonl`` with ``"part": "fresh"``. Every row is a real report:
no translations, and no two versions of a development from one outlet's language editions.
Deterministic. Refuses to build when an item's title or URL is already in the main set, the
check part or the dev part (README.md, "Fresh part"). It was held out until it had been
scored twice, once per frozen linker; it is tuning data since, beside the dev part.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_spec = importlib.util.spec_from_file_location("dev_part", ROOT / "dev" / "build.py")
assert _spec is not None and _spec.loader is not None
dev_part = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev_part)  # ../dev/build.py: url_key, title_key, OTHER_PARTS
check_part = dev_part.check_part  # ../check/build.py: load_capture, assemble, with_date_only, main

# Files whose titles and URLs the fresh part must not repeat: the main set, the check part
# (the files the dev part is checked against) and the dev part.
OTHER_PARTS = (
    *dev_part.OTHER_PARTS,
    ROOT / "dev" / "stream.jsonl",
    ROOT / "dev" / "captured.jsonl",
)
# Second-level suffixes under which an outlet's domain is three labels long.
TWO_LABEL_SUFFIXES = {"com.ua", "org.ua", "net.ua", "in.ua", "kiev.ua", "kyiv.ua", "co.uk",
                      "com.au", "co.nz", "co.ug", "co.il", "com.tr", "com.pk"}  # fmt: skip

# One development each: its real reports, two or three languages, and its kind (``event`` or
# ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    (["ng-745621", "rubaltic-saki-0809", "fakty-20220809-krym", "nv-en-50262320"],
     "event"),  # explosions at the Saky airbase in Crimea, 9 Aug 2022
    (["kyivindependent-dugina", "sentinelsource-dugina", "rubryka-dugina"],
     "event"),  # Darya Dugina killed by a car bomb near Moscow, night of 20-21 Aug 2022
    (["newser-325542", "boisechronicle-izium", "beztabu-n75018"],
     "event"),  # the mass burial site in Izium's forest, 15-16 Sep 2022
    (["pledgetimes-brovary", "sbs-ru-brovary"],
     "event"),  # the helicopter crash in Brovary that killed the interior minister, 18 Jan 2023
    (["moscowtimes-a88008", "babel-en-115405", "censor-ru-3535742"],
     "event"),  # a drone hits the Chornobyl plant's New Safe Confinement, 14 Feb 2025
    (["interfax-en-1054814", "krdo-cnn-jeddah", "kubnews-2025-03-11-jeddah"],
     "event"),  # Jeddah: Ukraine ready to accept a 30-day ceasefire, 11 Mar 2025
    (["kyivindependent-trump-putin-call", "turkiyetoday-132959", "transkarpatia-188033"],
     "event"),  # the Trump-Putin call: a 30-day pause of strikes on energy, 18 Mar 2025
    (["wypr-npr-minerals", "firstinform-2025-05-01-uhoda"],
     "event"),  # the US-Ukraine minerals agreement signed, 30 Apr 2025
    (["upi-8821750148437", "devdiscourse-3462914", "censor-uk-3558386",
      "meduza-2025-06-17-kiev"],
     "event"),  # a missile on a nine-storey block in Kyiv's Solomianskyi district, 17 Jun 2025
    (["devdiscourse-3605975", "liga-en-kyiv-rescue-0829", "babel-uk-120969",
      "unian-ru-13113096", "ekhokavkaza-33515785"],
     "event"),  # a missile on a five-storey block in Kyiv's Darnytskyi district, 28 Aug 2025
    (["independent-ug-parubiy", "regionews-ru-1756548618", "24tv-n2904584", "zaxid-n1618087"],
     "event"),  # Andriy Parubiy shot dead in Lviv, 30 Aug 2025
    (["lb-en-36758", "etvbharat-yarova", "glavcom-1077623", "rbc-ru-1757486147",
      "trt-ru-32658062272d"],
     "event"),  # a glide bomb on the pension queue in Yarova, 9 Sep 2025
    (["babel-en-78452", "interfax-en-830826", "rbc-uk-1651985828", "pozitsiya-ru-19930"],
     "event"),  # Bilohorivka: an air bomb on the school where villagers sheltered, 7-8 May 2022
    (["kyivindependent-kherson-1224", "ittefaq-en-3620", "lentaua-131075", "zvzp-149275",
      "dynamomania-ru-662272"],
     "event"),  # Kherson's centre and market shelled on Christmas Eve, 24 Dec 2022
    (["ostro-en-9409", "babel-en-96983", "m24-604782", "fromua-644574"],
     "event"),  # naval drones on Novorossiysk, the Olenegorsky Gornyak hit, 4 Aug 2023
    (["alarabiya-en-pokrovsk", "i24news-1691471176", "polskieradio-3221954",
      "regionews-uk-1691481623", "uaportal-pokrovsk-0808", "rbc-ru-64d140009a79"],
     "event"),  # two Iskanders on Pokrovsk's centre 40 minutes apart, 7 Aug 2023
    (["localnews8-ap-trypilska", "interfax-uk-979600", "regionews-uk-1712824610"],
     "event"),  # the Trypillia power plant destroyed, 11 Apr 2024
    (["kyivindependent-grain-suspend", "meduza-en-2022-10-29-grain", "rentv-1040297",
      "lafmd-2022-10-29-grain"],
     "event"),  # Russia suspends its part in the grain deal after the drones on Sevastopol, 29 Oct 2022
    (["thehindu-68095264", "gwaramedia-en-kharkiv-tower", "pravdaru-en-159445",
      "dumka-1713806831", "radioopole-uk-3267"],
     "event"),  # a missile breaks the Kharkiv TV tower in half, 22 Apr 2024
    (["pravda-eng-7492571", "meduza-en-2025-01-09-zaporizhzhia", "ostannipodii-100033069",
      "mynewsua-2624424"],
     "event"),  # two guided bombs on Zaporizhzhia by the Motor Sich plant, 8 Jan 2025
    (["euromaidanpress-2025-02-01-poltava", "babel-en-115014", "regionews-uk-1738415713",
      "localsmd-520539"],
     "event"),  # a Kh-22 missile on a five-storey block in Poltava, 1 Feb 2025
    (["saudigazette-653821", "menafn-1109866363", "regionews-uk-1753935240",
      "bigmir-ru-10140035"],
     "event"),  # a missile brings down a section of a nine-storey block in Kyiv's Sviatoshynskyi district, 31 Jul 2025
    (["uanews-en-92361", "eadaily-en-easter-truce", "gtrk-kaluga-54241",
      "tve24-2025-04-19-peremirie"],
     "event"),  # Putin declares an Easter truce, 19 Apr 2025
    (["urdupoint-1662278", "hindustantimes-101679307520585", "meduza-video-2023-03-20-si"],
     "event"),  # Xi Jinping arrives in Moscow on a state visit, 20 Mar 2023
    (["wtop-ap-new-start", "newsaz-new-start", "osnmedia-1127423"],
     "event"),  # Putin's address: Russia suspends its part in New START, 21 Feb 2023
    (["ukrainetoday-2023-07-30-moscow", "pledgetimes-moscow-city-0730",
      "funmyua-2023-07-30-moskva"],
     "event"),  # drones hit two Moscow City towers, 30 Jul 2023
    (["alarabiya-en-dragonfly", "menafn-1107255853", "rubryka-2023-10-17-atacms",
      "myua-uk-2023-10-17-atacms"],
     "event"),  # Operation Dragonfly: the first ATACMS on the Berdiansk and Luhansk airfields, 17 Oct 2023
    (["babel-en-78958", "gorodcn-137759"],
     "event"),  # Zelensky at Davos: 87 dead under the rubble in Desna, 23 May 2022
    (["gwaramedia-en-printing-house", "pravda-eng-7457326", "funmyua-2024-05-23-drukarnia",
      "ostannipodii-ru-110032065"],
     "event"),  # S-300 missiles on the Faktor-Druk printing house in Kharkiv, 23 May 2024
    (["babel-en-109794", "pledgetimes-znpp-cooling-tower", "moscowtimes-ru-a139182"],
     "event"),  # a fire in a cooling tower of the Zaporizhzhia nuclear plant, 11 Aug 2024
    (["sputnikglobe-1121195249", "ryazannews-265592", "moika78-1054842"],
     "event"),  # Lt Gen Igor Kirillov killed by a bomb on a scooter in Moscow, 17 Dec 2024
    (["pravdaru-en-160663", "slovoidilo-tver-toropets", "belta-662074"],
     "event"),  # the drone attack on the arsenal at Toropets, Tver region, night of 18 Sep 2024 (fire, detonation, evacuation)
    (["uawire-kursk-breach", "pravdaru-en-160256", "myua-focus-sudzha"],
     "event"),  # Ukrainian forces cross into Russia's Kursk region near Sudzha, 6 Aug 2024 (reported the first day as an attempted breach)
    (["kyivindependent-kunikov", "uawire-kunikov", "slovoidilo-kunikov",
      "apostrophe-ru-314096"],
     "event"),  # the landing ship Tsezar Kunikov sunk by sea drones off Alupka, Crimea, 14 Feb 2024
    (["dailybeast-sevastopol-shipyard", "thenational-sevastopol-sub", "galka-sevastopol-zavod",
      "newkuban-130965603"],
     "event"),  # the missile strike on the Sevastopol shipyard that hit the landing ship Minsk and the submarine Rostov-on-Don, 13 Sep 2023
    (["urdupoint-1823540", "anews-kharkiv-offensive", "boardlutsk-204519",
      "telegraf-ru-5851214"],
     "event"),  # Russia's cross-border ground offensive in Kharkiv region towards Vovchansk, 10 May 2024
    (["kyivindependent-lviv-0706", "interfax-uk-921136", "myua-ru-lviv-0706"],
     "event"),  # the Kalibr missile strike on an apartment building in Lviv, night of 6 Jul 2023
    (["pravda-en-7387530", "zerkalo-31752"],
     "event"),  # the Iskander strike on an apartment block in central Kramatorsk, evening of 1 Feb 2023
    (["interfax-en-855946", "kyivindependent-iaea-0901", "pnp-magate-zaes"],
     "event"),  # the IAEA mission led by Grossi at the Zaporizhzhia nuclear plant, 1 Sep 2022 (arrival, stay, departure the same day)
    (["rbc-en-1711114034", "regionews-1711087788", "novostin-288372"],
     "event"),  # missiles hit the Dnipro hydroelectric plant (DniproHES) in Zaporizhzhia, morning of 22 Mar 2024
    (["kyivindependent-chaplyne", "meduza-en-chaplyne", "greenpost-i47545", "newsme-4481242"],
     "event"),  # the missile strike on Chaplyne's railway station on Independence Day, 24 Aug 2022 (toll and Russia's claim the next day)
    (["hindustantimes-101739380764318", "dw-uk-71588780", "420on-72821"],
     "event"),  # the Trump-Putin phone call agreeing to start negotiations, 12 Feb 2025
]  # fmt: skip

# Real reports of other developments of the same war, one row each, close in time and
# subject to a development above.
DISTRACTORS: list[tuple[str, str]] = [
    ("mynewsua-2821825", "event"),  # the Trump-Zelensky call, the day after the Putin call
    ("newsru-lvov-strelba-0831", "event"),  # another shooting in Lviv the day after Parubiy
    (
        "yeshivaworld-2214068",
        "event",
    ),  # the SBU's informant plot against Zelensky, the day of Pokrovsk
    (
        "crimeanews-1148430",
        "event",
    ),  # a sea drone on the tanker SIG off Kerch, the night after Novorossiysk
    (
        "pravda-eng-7362599",
        "event",
    ),  # Grads on Marhanets and Nikopol district, the night after Saky
    (
        "espreso-kryvyi-rih-dam",
        "event",
    ),  # missiles on the Kryvyi Rih dam, the day Izium's graves were found
    (
        "moscowtimes-a88313",
        "event",
    ),  # Ukraine's largest drone attack on Moscow, the day of the Jeddah talks
    (
        "gazetaru-25090100",
        "event",
    ),  # Zelensky meets Vance in Munich, the day the drone hit Chornobyl
    (
        "rbc-ru-1651940655",
        "event",
    ),  # the last women, children and elderly leave Azovstal, the day of Bilohorivka
    (
        "interfax-en-979601",
        "event",
    ),  # the Rada passes the mobilisation law, the morning Trypillia was destroyed
    ("nv-uk-50342985", "event"),  # a drone hits the same Moscow City tower again two days later
    (
        "businessstandard-123032100741",
        "event",
    ),  # Kishida arrives in Kyiv the day after Xi reached Moscow
    ("faktyua-ru-415718", "event"),  # Biden's Warsaw speech, the day of Putin's address
    ("tass-15520215", "event"),  # a drone on the Black Sea Fleet HQ, the day Dugina was killed
    (
        "brecorder-40262953",
        "event",
    ),  # Russian drones on the port of Izmail, night of 13 Sep 2023 (same night as the Sevastopol shipyard strike)
]


def outlet_key(url: str) -> str:
    """An outlet's domain: the registered domain of the URL, so that one outlet's language
    editions (``pravda.com.ua/eng``, ``en.interfax.com.ua``) share a key."""
    labels = (urlsplit(url).hostname or "").removeprefix("www.").rstrip(".").split(".")
    size = 3 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-size:])


def overlaps(real: dict[str, dict], other_parts: tuple[Path, ...]) -> list[str]:
    """The items whose title or URL is already in ``other_parts`` (for this part: the main
    set, the check and dev part): ../dev/build.py's check, run by this script's own copy of
    that module over ``other_parts``."""
    vars(dev_part)["OTHER_PARTS"] = other_parts
    return list(dev_part.overlaps(real))


def mixed_developments(
    real: dict[str, dict], developments: list[tuple[list[str], str]]
) -> list[str]:
    """Developments seen in one language only, or with two versions from one outlet."""
    bad = []
    for ids, _ in developments:
        outlets = [outlet_key(real[rid]["url"]) for rid in ids]
        if len({real[rid]["language"] for rid in ids}) < 2 or len(set(outlets)) < len(ids):
            bad.append(ids[0])
    return bad


def checked_rows(
    capture: Path,
    other_parts: tuple[Path, ...],
    others_named: str,
    developments: list[tuple[list[str], str]],
    distractors: list[tuple[str, str]],
    id_prefix: str,
    part: str,
) -> list[dict]:
    """A part's rows from ``capture``, once every item is new (in none of ``other_parts``,
    which the refusal calls ``others_named``), real and in a well-formed development."""
    real = check_part.load_capture(capture)
    problems = {
        f"already in {others_named}": overlaps(real, other_parts),
        "one language only, or one outlet twice": mixed_developments(real, developments),
        "a placeholder URL": [r for r in real if "example.org" in real[r]["url"]],
    }
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
    rows = check_part.assemble(real, developments, distractors, id_prefix, part)
    return check_part.with_date_only(rows, capture)


def load_part(name: str) -> ModuleType:
    """``../<name>/build.py`` as a module, for the part built after it."""
    spec = importlib.util.spec_from_file_location(f"{name}_part", ROOT / name / "build.py")
    assert spec is not None and spec.loader is not None
    part = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(part)
    return part


def parts_through(previous: ModuleType, name: str) -> tuple[Path, ...]:
    """The files a part built after part ``name`` must not repeat: those ``name`` itself was
    checked against (``previous.OTHER_PARTS``), and ``name``'s stream and capture."""
    return (*previous.OTHER_PARTS, ROOT / name / "stream.jsonl", ROOT / name / "captured.jsonl")


def part_main(
    argv: list[str] | None,
    here: Path,
    doc: str,
    other_parts: tuple[Path, ...],
    others_named: str,
    developments: list[tuple[list[str], str]],
    distractors: list[tuple[str, str]],
    id_prefix: str,
) -> int:
    """Write the stream.jsonl of the part in ``here`` (named by its folder) from its
    captured.jsonl, by ``checked_rows``: this and the held-out parts' build.py main."""

    def build() -> list[dict]:
        return checked_rows(
            here / "captured.jsonl", other_parts, others_named, developments, distractors,
            id_prefix, here.name,
        )  # fmt: skip

    return int(check_part.main(argv, build, here, doc))


def main(argv: list[str] | None = None) -> int:
    others = "the main set, the check or the dev part"
    return part_main(
        argv, HERE, __doc__ or "", OTHER_PARTS, others, DEVELOPMENTS, DISTRACTORS, "frs"
    )

if __name__ == "__main__":
    raise SystemExit(main())
