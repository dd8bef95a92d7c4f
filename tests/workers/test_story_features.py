"""workers.story_features: names kept apart from common words, casing learned from the stream."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from workers.cluster import ClusterConfig, ClusterDoc
from workers.story_features import DocFreq, DocFreqs, FeatureReader, Report
from workers.story_kinds import OutletMemory

T0 = datetime(2020, 4, 20, 12, tzinfo=UTC)


def reader() -> FeatureReader:
    config = ClusterConfig()
    return FeatureReader(config, DocFreqs(config.idf_window_days), OutletMemory())


def read(
    r: FeatureReader, i: int, title: str, text: str = "", outlet: str = "A", language: str = "en"
):  # type: ignore[no-untyped-def]
    doc = ClusterDoc(f"d{i}", title, text, T0 + timedelta(minutes=i), language, outlet)
    return r.read(doc, doc.published)


UKRAINIAN = [
    "Росія завдала масованого удару дронами по Києву",
    "Київ атакували дрони вночі, повідомляє влада",
    "Верховна Рада звільнила міністра закордонних справ",
    "Прем'єр-міністр подав у відставку, повідомляє Рада",
]
ENGLISH = [
    "Wall Street ends higher as tech stocks rally",
    "Fed holds rates steady and signals two cuts this year",
    "Storm floods coastal town as rescuers reach stranded families",
]


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


def test_days_leave_the_window_whatever_order_they_came_in() -> None:
    """A day counted after later ones (a report dated earlier than those before it) and a
    restored count both leave the window when the stream's day passes them."""
    df = DocFreq(days=3)
    df.add(10, ["storm"])
    df.add(8, ["coast"])  # earlier than the day before it, still inside the window
    df.add(10, ["storm"])
    assert df.df == {"storm": 2, "coast": 1}
    df.drop_expired(11)
    assert df.df == {"storm": 2} and df.n == 2 and sorted(df.buckets) == [10]
    again = DocFreq.restore(json.loads(json.dumps(df.snapshot())), days=3)
    again.drop_expired(12)
    assert again.df == {"storm": 2}
    again.drop_expired(13)
    assert again.df == {} and again.n == 0 and not again.buckets


def test_a_languages_weights_do_not_depend_on_other_languages_traffic() -> None:
    """Ukrainian reports read alone and read among many English ones weigh alike: a
    Ukrainian stem is counted among Ukrainian documents (English traffic would otherwise
    make every Ukrainian word read as rare and draw their weights together)."""
    alone, busy = reader(), reader()
    reports_alone, reports_busy = [], []
    for i, title in enumerate(UKRAINIAN):
        reports_alone.append(read(alone, i * 40, title, language="uk")[1])
        for j in range(39):
            read(busy, i * 40 + j, ENGLISH[j % len(ENGLISH)] + f" {j}", outlet=f"E{j % 5}")
        reports_busy.append(read(busy, i * 40 + 39, title, language="uk")[1])
    assert [r.vector for r in reports_busy] == [r.vector for r in reports_alone]
    assert [r.title for r in reports_busy] == [r.title for r in reports_alone]


def test_an_english_stream_reads_one_count_as_before() -> None:
    r = reader()
    for i, title in enumerate(ENGLISH * 3):
        read(r, i, title)
    assert list(r.counts.languages) == ["en"]
    assert r.counts.of("en").n == 9


def test_a_story_of_several_languages_weighs_each_term_in_the_language_that_uses_it() -> None:
    counts = DocFreqs(days=3)
    counts.of("en").add(1, ["strike"])
    counts.of("en").add(1, ["strike", "kyiv"])
    counts.of("uk").add(1, ["удар"])
    story = counts.idf_in(["en", "uk"])
    assert story["удар"] == counts.of("uk").idf("удар")
    assert story["strike"] == counts.of("en").idf("strike")
    assert story["@Kyiv"] == min(counts.of("en").idf("@Kyiv"), counts.of("uk").idf("@Kyiv"))
    assert counts.idf_in(["uk"])["strike"] == counts.of("uk").idf("strike")  # never seen there


def test_counts_per_language_survive_json() -> None:
    counts = DocFreqs(days=3)
    counts.of("en").add(1, ["storm", "coast"])
    counts.of("uk").add(2, ["шторм"])
    counts.of("uk").add(2, ["^київ"], document=False)
    again = DocFreqs.restore(json.loads(json.dumps(counts.snapshot())), days=3)
    assert again.snapshot() == counts.snapshot()
    assert {lang: (c.n, c.df) for lang, c in again.languages.items()} == {
        "en": (1, {"storm": 1, "coast": 1}),
        "uk": (1, {"шторм": 1, "^київ": 1}),
    }


def test_one_count_of_every_language_is_inherited_by_each_language() -> None:
    """A state written with one count of every language (clusterer snapshot version 6):
    each language starts from all of it, as it read it, and its own days replace it."""
    shared = DocFreq(days=3)
    shared.add(1, ["storm", "шторм"])
    shared.add(1, ["storm"])
    counts = DocFreqs.inherit(json.loads(json.dumps(shared.snapshot())), ["en", "uk"], days=3)
    assert {lang: (c.n, c.df) for lang, c in counts.languages.items()} == {
        "en": (2, {"storm": 2, "шторм": 1}),
        "uk": (2, {"storm": 2, "шторм": 1}),
    }
    counts.of("uk").add(1, ["шторм"])
    assert counts.of("en").df["шторм"] == 1  # each language's copy is its own
    counts.of("uk").add(4, ["шторм"])  # day 1 leaves the 3-day window
    assert (counts.of("uk").n, counts.of("uk").df) == (1, {"шторм": 1})


def test_a_quiet_languages_days_leave_the_window_as_the_stream_moves_on() -> None:
    """A language that stops (or whose count a version-6 snapshot handed it) keeps no day
    past the window: the stream's day expires every language's count, not only the count
    of the language read, so memory stays one window and a story of several languages
    never reads days the window has left."""
    r = reader()
    read(r, 0, UKRAINIAN[0], language="uk")
    later = T0 + timedelta(days=r.config.idf_window_days)
    doc = ClusterDoc("late", ENGLISH[0], "", later, "en", "A")
    r.read(doc, later)
    assert list(r.counts.languages) == ["en"]
    assert r.counts.terms() == len(r.counts.of("en").df)


def test_copies_of_one_shared_count_leave_with_its_days() -> None:
    """A version-6 state's count, copied to each language of its stories, is gone from a
    language no report of which arrives once its days leave the window."""
    shared = DocFreq(days=30)
    shared.add(1, ["storm", "шторм"])
    config = ClusterConfig()
    counts = DocFreqs.inherit(json.loads(json.dumps(shared.snapshot())), ["en", "uk"], days=30)
    r = FeatureReader(config, counts, OutletMemory())
    when = datetime.fromtimestamp(31 * 86400, UTC)
    r.read(ClusterDoc("late", ENGLISH[0], "", when, "en", "A"), when)
    assert list(counts.languages) == ["en"]
    assert "шторм" not in counts.of("en").df


def test_a_name_key_is_counted_once_a_document_in_every_declension_and_script() -> None:
    r = reader()
    read(r, 0, "Суд арештував Медведчука", "Адвокати Медведчук і Козак оскаржать", language="uk")
    read(r, 1, "Опозиціонер Медведчук вийшов на волю", language="uk")
    read(r, 2, "Court frees Viktor Medvedchuk", "The court said Medvedchuk may leave.")
    read(r, 3, "Storm floods coastal town")
    assert r.counts.name_count("medve", ["uk"]) == (2, 2)
    assert r.counts.name_count("medve", ["uk", "en"]) == (3, 4)
    assert r.counts.name_count("medve", ["ru"]) == (0, 0)


def test_a_window_saved_before_name_keys_were_counted_holds_no_documents_for_them() -> None:
    """Its days count no name key, so the documents they hold are not read as reports
    that left a name unwritten: a name's share begins with the documents read since."""
    r = reader()
    for i in range(3):
        read(r, i, "Суд арештував опозиціонера Медведчука", outlet=f"O{i}", language="uk")
    saved = r.counts.snapshot()
    for count in saved["languages"].values():
        for day, bucket in count["buckets"].items():
            count["buckets"][day] = {t: n for t, n in bucket.items() if not t.startswith("~")}
    restored = DocFreqs.restore(saved, r.config.idf_window_days)
    assert restored.name_count("medve", ["uk"]) == (0, 0)
    assert r.counts.name_count("medve", ["uk"]) == (3, 3)


def test_a_kept_headline_round_trips_and_an_older_report_reads_none() -> None:
    """Only a report of ``ClusterConfig.step_languages`` keeps its headline, written as a
    14th field; a report without one is written in 13 fields, as before it was kept, and
    such a report (an older snapshot's) reads back with none."""
    r = reader()
    _, russian, _ = read(r, 1, "Переговоры России и Украины начались в Стамбуле", language="ru")
    _, english, _ = read(r, 2, ENGLISH[0])
    assert russian.headline == "Переговоры России и Украины начались в Стамбуле"
    assert english.headline == ""
    raw = json.loads(json.dumps(russian.to_json()))
    assert len(raw) == 14 and Report.from_json(raw) == russian
    assert len(english.to_json()) == 13
    assert Report.from_json(raw[:13]).headline == ""
