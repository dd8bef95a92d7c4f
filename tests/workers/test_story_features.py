"""workers.story_features: names kept apart from common words, casing learned from the stream."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from workers.cluster import ClusterConfig, ClusterDoc
from workers.story_features import DocFreq, DocFreqs, FeatureReader
from workers.story_kinds import OutletMemory

T0 = datetime(2020, 4, 20, 12, tzinfo=UTC)


def reader() -> FeatureReader:
    config = ClusterConfig()
    return FeatureReader(config, DocFreqs(config.idf_window_days), OutletMemory())


def read(r: FeatureReader, i: int, title: str, text: str = "", outlet: str = "A"):  # type: ignore[no-untyped-def]
    doc = ClusterDoc(f"d{i}", title, text, T0 + timedelta(minutes=i), "en", outlet)
    return r.read(doc, doc.published)


def test_a_name_is_not_stemmed_into_a_common_word() -> None:
    r = reader()
    for i in range(3):
        read(r, i, f"Market update {i}", "Shares in Apple rose after the launch of a new phone.")
    _, company, _ = read(r, 10, "Apple unveils a cheaper phone")
    _, fruit, _ = read(r, 11, "Comparing super funds is like comparing apples with apples")
    assert "apple" in company.names and "apple" in company.title
    assert "appl" in fruit.title and not fruit.names
    assert not set(company.title) & set(fruit.title)


def test_title_case_headlines_use_the_casing_the_stream_taught() -> None:
    r = reader()
    read(
        r, 0, "x", "Officials said Vettel will leave the team after talks with Ferrari broke down."
    )
    _, report, _ = read(r, 1, "Vettel To Leave Ferrari At End Of Season")
    assert {"vettel", "ferrari"} <= report.names
    assert "leav" in report.events and "season" in report.events
    assert "vettel" not in report.events


def test_numbers_and_places_are_terms_of_their_own() -> None:
    r = reader()
    features, report, _ = read(r, 0, "Russia records 10,633 new cases in Moscow")
    assert "#10633" in report.numbers and "#10633" in features.terms
    assert "Russia" in features.places and "@Russia" in features.terms


def test_report_weights_are_the_idf_when_read_and_survive_json() -> None:
    r = reader()
    for i in range(5):
        read(r, i, f"Storm update {i}", "A storm hit the coast.")
    _, report, idf = read(r, 9, "Storm floods coastal town", "Rescuers reached the town.")
    assert report.title == {t: idf[t] for t in report.title}
    assert report.title["storm"] < report.title["flood"]  # the common word weighs less
    again = type(report).from_json(json.loads(json.dumps(report.to_json())))
    assert again == report


def test_idfs_of_many_terms_are_each_terms_idf() -> None:
    df = DocFreq(days=3)
    df.add(1, ["storm", "coast"])
    df.add(1, ["storm"])
    df.add(2, ["town"], document=False)
    terms = ["storm", "coast", "town", "never seen"]
    assert df.idfs(terms) == {t: df.idf(t) for t in terms}
    assert df.idf("storm") < df.idf("coast") < df.idf("never seen")
