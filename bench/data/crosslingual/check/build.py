"""Build ``check/stream.jsonl``: the held-out check part of the cross-lingual set.

    .venv/bin/python bench/data/crosslingual/check/build.py

Reads the real headlines in captured.jsonl (found in stored public news pages, with
provenance), groups them into the developments and distractors listed below (judged by
hand), adds the hand translations of translations.py, and writes one JSON object a line
sorted by ``published``, in the format of ``../stream.jsonl`` plus ``"part": "check"``.
Translated rows are attributed, timed and addressed exactly as the main set's are
(``../build.py``, ``translated_row``). Deterministic. The part is held out (never used to
tune the linker) and scored in its own stream, so the main set's figures do not move
(README.md, "Check part").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import build as main_set  # noqa: E402  (../build.py: the main set's translated_row)
from check import REQUIRED  # noqa: E402  (../check.py)
from translations import TR  # noqa: E402

CAPTURE = HERE / "captured.jsonl"
PART = "check"
# the main set's fields (../check.py, REQUIRED) and the part label, then the provenance
ORDER = [*REQUIRED, "part", "translated_from", "synthetic", "capture"]

# One development each: its real reports (the first one is the original the translations
# of translations.py render), and its kind (``event`` or ``report``, as in ../README.md).
DEVELOPMENTS: list[tuple[list[str], str]] = [
    # strikes and their tolls
    (["waves-56921", "politeka-372845", "censor-en-3332370"], "event"),  # Kramatorsk station
    (["devdiscourse-2088917", "ostannipodii-100025882", "silkway-355525",
      "belarustime-kremenchug"], "event"),  # Kremenchuk shopping mall
    (["mvs-vinnytsia", "newsru-15jul2022-vin", "devdiscourse-2109261"], "event"),  # Vinnytsia
    (["nppl-convoy", "newsru-30sep2022-z", "devdiscourse-2196973"], "event"),  # Zaporizhzhia convoy
    (["gordonua-1661565", "golos-uman-23", "pravda-eng-7399800"], "event"),  # Uman
    (["uanews-kakhovka", "oprichniki-11133", "latestly-5180589"], "event"),  # Kakhovka dam
    (["meduzamirror-crimean-bridge", "king-12011"], "event"),  # Crimean Bridge, 17 Jul 2023
    (["village-341529", "vikna-144986", "interfax-ru-924517"], "event"),  # Odesa cathedral
    (["sdua-21197", "regionews-1696519991", "pravdaru-1893495", "liga-en-hroza"], "event"),
    (["glavnoe-epicentr", "ostro-ua-i475230", "ostro-ru-i475232"], "event"),  # Kharkiv Epicentr
    (["onlineua-en-881583"], "event"),  # Okhmatdyt
    (["krdo-cnn-2024-08-26"], "event"),  # energy strikes, 26 Aug 2024
    (["liga-kryvyi-rih", "bagnet-1380712", "uanews-ru-681834"], "event"),  # Kryvyi Rih
    (["udf-278236", "ostannipodii-100033428"], "event"),  # Sumy, Palm Sunday
    (["kpua-a711837"], "event"),  # Operation Spiderweb
    (["regionews-ua-1757229265", "regionews-ru-1757229265", "uaportal-cabinet"], "event"),
    (["liga-ternopil-26", "rbcua-1763548460"], "event"),  # Ternopil
    # the front, decisions and appointments
    (["ptv-kherson", "focus-536681", "newshub-kherson"], "event"),  # Kherson retaken
    (["ksforum-wagner-rostov", "zynk-wagner-rostov"], "event"),  # Wagner leaves Rostov
    (["companion-zaluzhny", "dzen-ria-crimea-zaluzhny", "censor-en-3472449",
      "euromaidan-zaluzhny"], "event"),  # Zaluzhnyi dismissed
    (["meduza-avdiivka", "smotrim-3809861"], "event"),  # Avdiivka withdrawal
    (["fakty-martial-2026", "glavcom-1099865", "vedomosti-1171940"], "event"),
    (["ipress-378170"], "event"),  # martial law extended, 30 Oct 2025
    (["charter97-664756"], "event"),  # Yermak resigns
    (["liga-ua-yermak-four", "liga-ru-yermak-four"], "report"),  # four conclusions
    (["vm-1000016", "peterburg2-121788"], "event"),  # annexation treaties
    # diplomacy, courts, sanctions, prisoners
    (["censor-en-3349800", "leopolis-66453", "odessaonline-candidate"], "event"),
    (["presskz-putin-order", "upday-icc-putin"], "event"),  # ICC warrant
    (["almshaheer-shishimarin", "rusmonitor-shishimarin"], "event"),  # first war-crimes verdict
    (["fakty-biden-kyiv"], "event"),  # Biden in Kyiv
    (["rbcru-video-zelensky-leaves"], "event"),  # Oval Office, 28 Feb 2025
    (["kyivindependent-vladimir-stop", "spacewar-vladimir-stop"], "event"),
    (["24newnews-3776943", "censor-ru-3552667", "steena-24279"], "event"),  # Istanbul talks
    (["drobro-390", "24tv-n2829664", "newstyumen-12757"], "event"),  # 1000 for 1000, stage 1
    (["vz-1353068"], "event"),  # Alaska summit
    (["rbcua-1755551704", "focus-719884"], "event"),  # White House, 18 Aug 2025
    (["rbcua-1755780776", "strana-490201"], "event"),  # Vance on "breaking the ice"
    (["babel-en-121296", "flashdocs-poland-drones"], "event"),  # drones over Poland
    (["babel-122448", "radio1-lukoil-rosneft", "tsn-ru-2940761"], "event"),  # US sanctions
    (["unn-vance-nypost", "unn-ru-vance-nypost", "gazeta-27059636"], "event"),
    (["unn-plan28-axios"], "event"),  # 28-point plan published
    (["unn-exchange-200"], "event"),  # exchange of 5 Mar 2026
]  # fmt: skip

# Real reports of other developments of the same war, one row each, in their own language.
DISTRACTORS: list[tuple[str, str]] = [
    ("fakty-ec-recommends", "event"),  # Commission recommends candidate status (17 Jun 2022)
    ("babel-en-80306", "event"),  # all 27 agree, Bloomberg (21 Jun 2022)
    ("kyivindependent-vdl-urges", "event"),  # von der Leyen urges leaders (22-23 Jun 2022)
    ("rbcua-1708706991", "event"),  # Shahed hits Dnipro block (23 Feb 2024)
    ("myua-dnipro-2024-06-28", "event"),  # missile hits Dnipro block (28 Jun 2024)
    ("uanews-sumy-again", "event"),  # Sumy hit again (14 Apr 2025)
    ("myua-448-brigade", "event"),  # strike on the brigade that hit Sumy (15 Apr 2025)
    ("myua-pavutyna-award", "event"),  # SBU officers awarded for Spiderweb (4 Jun 2025)
    ("rbcua-1757078563", "event"),  # Maliuk on Spiderweb's effect (5 Sep 2025)
    ("rbcua-1761062244", "event"),  # SBU destroys Russian light aircraft (21 Oct 2025)
    ("unn-budanov-4-years", "event"),  # Coordination HQ four years (11 Mar 2026)
]


def load_capture(path: Path = CAPTURE) -> dict[str, dict]:
    """The real items of a part's captured.jsonl by id, as its stream shows them."""
    real = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        real[item["id"]] = {
            **{k: item[k] for k in ("id", "title", "text", "source", "url", "language")},
            "published": datetime.fromisoformat(item["published"]),
            "origin": "real",
            "capture": f"{path.parent.name}/{path.name}",
        }
    return real


def assemble(
    real: dict[str, dict],
    developments: list[tuple[list[str], str]],
    distractors: list[tuple[str, str]],
    prefix: str,
    part: str,
    translations: dict[str, dict] | None = None,
) -> list[dict]:
    """The part's rows: each development's real reports (and the translations of its first
    one), each distractor alone, numbered ``<prefix>-NNN`` in order of first report and
    sorted by ``published``; every captured item must be in exactly one group."""
    groups: list[tuple[str, str, list[dict]]] = []
    for ids, kind in developments:
        rows = [dict(real[rid]) for rid in ids]
        rows += [
            main_set.translated_row(real[ids[0]], lang, "dev")
            for lang in (translations or {}).get(ids[0], {})
        ]
        groups.append(("development", kind, rows))
    for rid, kind in distractors:
        groups.append(("distractor", kind, [dict(real[rid])]))
    used = [r["id"] for _, _, rows in groups for r in rows]
    assert len(used) == len(set(used)), "an item in two groups"
    unused = set(real) - set(used)
    assert not unused, f"captured items in no group: {sorted(unused)}"
    # development ids in order of each development's first report
    groups.sort(key=lambda g: (min(r["published"] for r in g[2]), g[2][0]["id"]))
    stream = []
    for number, (role, kind, rows) in enumerate(groups, 1):
        for row in rows:
            row.update(development=f"{prefix}-{number:03d}", role=role, kind=kind, part=part)
            stream.append(row)
    stream.sort(key=lambda r: (r["published"], r["id"]))
    return [
        {k: row[k].isoformat() if k == "published" else row[k] for k in ORDER if k in row}
        for row in stream
    ]


def with_date_only(rows: list[dict], capture: Path) -> list[dict]:
    """``rows`` with ``"date_only": true`` last on each row whose captured item (or, for a
    translation, whose original) is dated by its day only (``date_only`` in ``capture``):
    its ``published`` is that day's 00:00, no filing time (the row format, ../README.md)."""
    dated_by_day = {
        item["id"]
        for line in capture.read_text(encoding="utf-8").splitlines()
        if line.strip() and (item := json.loads(line)).get("date_only")
    }
    for row in rows:
        if row.get("translated_from", row["id"]) in dated_by_day:
            row["date_only"] = True
    return rows


def build() -> list[dict]:
    main_set.TRANSLATIONS.update(TR)
    rows = assemble(load_capture(), DEVELOPMENTS, DISTRACTORS, "chk", PART, TR)
    return with_date_only(rows, CAPTURE)


def main(
    argv: list[str] | None = None,
    build: Callable[[], list[dict]] = build,
    here: Path = HERE,
    doc: str = __doc__ or "",
) -> int:
    """Write a part's stream.jsonl (this part's, or the one ``build`` and ``here`` name)."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--out", type=Path, default=here / "stream.jsonl")
    rows = build()
    out = parser.parse_args(argv).out
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"wrote {len(rows)} rows to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
