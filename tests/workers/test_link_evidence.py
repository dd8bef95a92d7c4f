"""workers.link_evidence: what a link check's decision weighs besides the embedding's cosine."""

from __future__ import annotations

import dataclasses

from workers.link_evidence import LinkEvidence, left_to_check, link_evidence, linked, share_a_place
from workers.story_linking import DEFAULT_LINKING


def test_link_evidence_reads_the_rivals() -> None:
    found = link_evidence(0.88, [0.81, 0.84], 20.0)
    assert found == LinkEvidence(cosine=0.88, margin=0.88 - 0.84, hours=20.0)
    alone = link_evidence(0.9, [], 1)
    assert alone.margin == 0.0
    assert link_evidence(0.84, [0.86], 0.5).margin < 0.0  # another candidate is closer


def evidence(
    cosine: float, hours: float, margin: float = 0.0, same_place: bool = False
) -> LinkEvidence:
    return LinkEvidence(cosine, margin, hours, same_place)


def test_a_close_call_a_day_apart_is_another_days_development() -> None:
    config = DEFAULT_LINKING
    assert config.sure_cosine is not None and config.sure_cosine > config.same_cosine
    assert linked(evidence(0.87, 3.0), config)  # versions, filed within hours
    assert not linked(evidence(0.87, 30.0), config)  # the next day's strike on the city
    assert not linked(evidence(0.87, config.apart_hours), config)
    assert linked(evidence(0.91, 30.0), config)  # sure enough whatever the hours
    cosine_alone = dataclasses.replace(config, sure_cosine=None)
    assert linked(evidence(0.87, 30.0), cosine_alone)
    assert not linked(evidence(0.84, 0.5), cosine_alone)


def test_the_close_band_is_off_by_default() -> None:
    assert DEFAULT_LINKING.close_cosine is None
    assert not linked(evidence(DEFAULT_LINKING.same_cosine - 0.01, 0.5), DEFAULT_LINKING)


def test_below_same_cosine_only_the_best_candidate_filed_in_the_same_hours_links() -> None:
    config = dataclasses.replace(DEFAULT_LINKING, close_cosine=0.83)
    assert config.close_cosine is not None
    low = (config.close_cosine + config.same_cosine) / 2
    assert linked(evidence(low, 0.5), config)
    assert not linked(evidence(low, 0.5, margin=-0.01), config)  # another candidate is closer
    assert not linked(evidence(low, config.close_hours), config)
    assert not linked(evidence(config.close_cosine - 0.01, 0.5), config)
    assert not linked(evidence(low, 0.5), dataclasses.replace(config, close_cosine=None))
    assert not linked(evidence(low, 0.5, margin=-0.01, same_place=True),
                      dataclasses.replace(config, place_cosine=None))  # fmt: skip


def test_the_place_band_is_on_by_default() -> None:
    below = DEFAULT_LINKING.same_cosine - 0.01
    assert linked(evidence(below, 0.5, same_place=True), DEFAULT_LINKING)
    off = dataclasses.replace(DEFAULT_LINKING, place_cosine=None)
    assert not linked(evidence(below, 0.5, same_place=True), off)


def test_below_same_cosine_a_shared_place_filed_in_the_same_day_links() -> None:
    config = DEFAULT_LINKING
    assert config.place_cosine is not None
    low = (config.place_cosine + config.same_cosine) / 2
    assert linked(evidence(low, 3.0, same_place=True), config)
    assert linked(evidence(low, 3.0, margin=-0.02, same_place=True), config)  # not only the best
    assert not linked(evidence(low, 3.0), config)  # no place in common
    assert not linked(evidence(low, config.apart_hours, same_place=True), config)  # next day's
    assert not linked(evidence(config.place_cosine - 0.01, 3.0, same_place=True), config)
    assert not linked(
        evidence(low, 3.0, same_place=True), dataclasses.replace(config, sure_cosine=None)
    )


def test_a_place_is_shared_through_its_names_in_every_language() -> None:
    assert share_a_place("Удар по Харкову: загинули двоє", ["Russian missiles hit Kharkiv"])
    assert share_a_place("Вибухи на Одещині", ["Взрывы в Одесской области", "Strike on Lviv"])
    assert not share_a_place("Удар по селу на Харківщині", ["Missiles hit Kharkiv"])  # region
    assert not share_a_place("Kyiv region liberated", ["Под Киевом нашли тела"])  # and city
    assert not share_a_place("Удар по Дніпру", ["Strike on Kharkiv"])  # two cities
    assert not share_a_place("Russia strikes Ukraine", ["Россия ударила по Украине"])  # countries
    assert not share_a_place("Удар по Дніпру", [])
    assert not share_a_place("Володимир Зеленський", ["Владимир Путин"])  # first names
    assert share_a_place("Росія вдарила по Запоріжжю", ["Russia struck Zaporizhzhia"])
    # Versions of one development at a base town or Snake Island (dev part: the Engels
    # airfield, the garrison's withdrawal from Snake Island).
    assert share_a_place(
        "Three servicemen killed at the Engels air base",
        ["Средства ПВО сбили беспилотник над военным аэродромом Энгельс"],
    )
    assert share_a_place(
        "Russia Says Leaving Ukraine's Snake Island",
        ["Минобороны РФ объявило о выводе гарнизона с острова Змеиный"],
    )


def test_donbas_is_a_front_not_a_shared_place() -> None:
    """Reports of two developments both name the front ("на Донбасі", "in Donbas"): no
    place in common; a town of it named in both is one."""
    assert not share_a_place("Бої на Донбасі: ворог атакував 40 разів",
                             ["Russian drone strike in Donbas injures three"])  # fmt: skip
    assert share_a_place("Удар по Краматорську на Донбасі",
                         ["Russian missile hits Kramatorsk in Donbas"])  # fmt: skip
    assert share_a_place("Удар по Николаеву", ["Strike on Mykolaiv", "Удар по Миколаєву"])


def test_the_band_reads_a_shared_count_as_a_shared_place() -> None:
    config = DEFAULT_LINKING
    assert config.place_cosine is not None
    low = (config.place_cosine + config.same_cosine) / 2
    count = LinkEvidence(low, 0.0, 3.0, same_count=True)
    assert count.shared and not LinkEvidence(low, 0.0, 3.0).shared
    assert linked(count, config)
    assert not linked(dataclasses.replace(count, hours=config.apart_hours), config)
    assert link_evidence(low, [], 3.0, same_count=True) == count


def test_a_nuclear_plant_and_a_russian_city_are_shared_places() -> None:
    """Versions of one development at the Zaporizhzhia plant, or in Belgorod, name it in
    each language's own way; the plant is not its oblast's nor its city's place."""
    assert share_a_place("Російські загарбники вночі обстріляли Запорізьку АЕС",
                         ["Fire at Zaporizhzhia nuclear power plant after shelling"])  # fmt: skip
    assert share_a_place("Украинские войска нанесли удар по центру Белгорода",
                         ["Russian Belgorod is under massive fire"])  # fmt: skip
    assert not share_a_place("Удар по Запоріжжю", ["Shelling near Zaporizhzhia NPP"])
    assert not share_a_place("Обстріл Запорізької області", ["Zaporizhia NPP loses power"])


def test_the_place_band_reads_its_own_hours_of_a_day_dated_story() -> None:
    """A first report dated by its day only: the 0.85-0.90 band reads the hours by the
    calendar, the place band from the day's start (``band_hours``), so a place shared
    with a report 6 h after that day ended (30 h after its start) is the next day's."""
    config = DEFAULT_LINKING
    assert config.place_cosine is not None
    low = (config.place_cosine + config.same_cosine) / 2
    day_dated = link_evidence(low, [], 6.0, same_place=True, band_hours=30.0)
    assert day_dated.hours_in_band == 30.0 and not linked(day_dated, config)
    assert linked(link_evidence(low, [], 6.0, same_place=True), config)
    assert link_evidence(low, [], 6.0, band_hours=6.0).band_hours is None  # one reading
    close = link_evidence((config.same_cosine + config.sure_cosine) / 2, [], 6.0, band_hours=30.0)
    assert linked(close, config)


def test_the_band_reads_a_distinct_shared_name_as_a_shared_place() -> None:
    config = DEFAULT_LINKING
    assert config.place_cosine is not None and config.distinct_names
    low = (config.place_cosine + config.same_cosine) / 2
    name = link_evidence(low, [], 3.0, same_name=True)
    assert name.shared and linked(name, config)
    assert not linked(dataclasses.replace(name, hours=config.apart_hours), config)
    assert not linked(dataclasses.replace(name, cosine=config.place_cosine - 0.01), config)


def test_a_shared_name_is_read_for_the_best_candidate_only() -> None:
    """A second candidate that writes a name the newcomer writes, closer candidates beside
    it, is another development of the same actor (Trump's pressure beside the Geneva
    talks it is about)."""
    config = DEFAULT_LINKING
    assert config.place_cosine is not None
    low = (config.place_cosine + config.same_cosine) / 2
    second = link_evidence(low, [low + 0.01], 3.0, same_name=True)
    assert not second.shared and not linked(second, config)
    assert link_evidence(low, [low], 3.0, same_name=True).shared  # a tie is a best
    place = link_evidence(low, [low + 0.01], 3.0, same_place=True)
    assert place.shared  # a place is read for every candidate


def test_a_town_the_gazetteer_leaves_out_is_shared_across_scripts() -> None:
    """A front-line town of 12,000 (dev part: the Chasiv Yar strike of July 2022) is a
    place in common when one text writes it in Latin letters and the other in Cyrillic
    (workers/link_towns.py); two Cyrillic texts do not share it by the town alone."""
    english = "Russian rockets hit the eastern Ukraine town of Chasiv Yar, killing 10"
    assert share_a_place(english, ["Удар армії РФ по місту Часів Яр: загиблих вже 33"])
    assert share_a_place("Обстрел Часова Яра", ["Strike on Kharkiv", english])
    assert not share_a_place("Удар по місту Часів Яр", ["Удар по городу Часов Яр"])
    assert not share_a_place(english, ["Удар по Балашихе"])


def test_a_sure_cosine_against_a_story_grown_across_days_reads_the_hours() -> None:
    """From ``sure_cosine`` the hours are waived, but a candidate whose story grew
    ``apart_hours`` or more in one language and began ``apart_hours`` or more from the
    newcomer's is decided as a cosine below ``sure_cosine`` is."""
    config = DEFAULT_LINKING
    assert config.sure_cosine is not None and config.sure_reads_grown
    sure, apart = config.sure_cosine + 0.02, config.apart_hours
    grown = link_evidence(sure, [], apart + 4.0, grown_hours=apart)
    assert grown.grown_hours == apart
    assert not linked(grown, config)  # the next day's step of the story's affair
    assert linked(dataclasses.replace(grown, hours=apart - 1.0), config)  # its version
    assert linked(dataclasses.replace(grown, grown_hours=apart - 1.0), config)
    assert linked(grown, dataclasses.replace(config, sure_reads_grown=False))
    assert linked(grown, dataclasses.replace(config, sure_cosine=None))


def test_a_shared_count_keeps_two_timed_stories_band_from_place_cosine() -> None:
    """Two timed stories under ``timed_place_cosine`` that write a count in common are read
    by the band from ``place_cosine`` (``timed_count_band``), still within
    ``timed_apart_hours``; a place alone is not, nor a count with the knob off."""
    config = DEFAULT_LINKING
    assert config.place_cosine is not None and config.timed_place_cosine is not None
    assert config.timed_apart_hours is not None and config.timed_count_band
    under = (config.place_cosine + config.timed_place_cosine) / 2
    count = link_evidence(under, [], 1.0, same_count=True, timed=True)
    assert linked(count, config)
    assert not linked(dataclasses.replace(count, same_count=False, same_place=True), config)
    assert not linked(dataclasses.replace(count, hours=config.timed_apart_hours), config)
    assert not linked(count, dataclasses.replace(config, timed_count_band=False))
    assert not linked(dataclasses.replace(count, cosine=config.place_cosine - 0.01), config)


def test_two_timed_stories_are_read_by_the_timed_knobs() -> None:
    """Two stories whose first reports both carry their filing time (``timed``) are apart
    from ``timed_apart_hours`` in the hours band and the place band,
    and their place band starts at ``timed_place_cosine``; a date-only pair keeps
    ``apart_hours`` and ``place_cosine``, as does a timed one with the knobs None. A story
    grown across days is still read by ``apart_hours``."""
    config = DEFAULT_LINKING
    assert config.sure_cosine is not None and config.place_cosine is not None
    timed_apart, timed_place = config.timed_apart_hours, config.timed_place_cosine
    assert timed_apart is not None and timed_apart < config.apart_hours
    assert timed_place is not None and timed_place > config.place_cosine
    hours = (timed_apart + config.apart_hours) / 2
    close = (config.same_cosine + config.sure_cosine) / 2
    dated = link_evidence(close, [], hours)
    assert linked(dated, config) and not dated.timed
    timed = link_evidence(close, [], hours, timed=True)
    assert not linked(timed, config)
    assert linked(dataclasses.replace(timed, hours=timed_apart - 1.0), config)
    untimed_knobs = dataclasses.replace(config, timed_apart_hours=None, timed_place_cosine=None)
    assert linked(timed, untimed_knobs)
    band = (config.place_cosine + timed_place) / 2
    place = link_evidence(band, [], 1.0, same_place=True)
    assert linked(place, config)
    assert not linked(dataclasses.replace(place, timed=True), config)
    assert linked(dataclasses.replace(place, timed=True), untimed_knobs)
    assert linked(link_evidence(timed_place + 0.01, [], 1.0, same_place=True, timed=True), config)
    assert not linked(link_evidence(timed_place + 0.01, [], hours, same_place=True, timed=True),
                      config)  # fmt: skip
    sure = config.sure_cosine + 0.02
    grown = link_evidence(sure, [], hours, grown_hours=hours, timed=True)
    assert linked(grown, config)  # grown across hours, not a day: the sure cosine decides
    apart = config.apart_hours
    assert not linked(dataclasses.replace(grown, hours=apart, grown_hours=apart), config)
    no_band = dataclasses.replace(config, place_cosine=None)  # off for timed stories too
    assert not linked(link_evidence(timed_place + 0.01, [], 1.0, same_place=True, timed=True),
                      no_band)  # fmt: skip


def test_the_n_grams_leave_to_the_check_what_its_hours_read_apart() -> None:
    """An immediate link reads no cosine, so it stays where the check's hours refuse none:
    two timed stories from ``timed_apart_hours`` (the check needs ``sure_cosine`` there),
    and a story grown across days a day from the report, timed or not."""
    assert not DEFAULT_LINKING.timed_gram_link  # off by default
    config = dataclasses.replace(DEFAULT_LINKING, timed_gram_link=True)
    timed_hours = config.timed_apart_hours
    assert timed_hours is not None
    assert not left_to_check(timed_hours - 0.1, 0.0, True, config)
    assert left_to_check(timed_hours, 0.0, True, config)
    assert left_to_check(7.0, 0.0, True, config)  # the captor's photo, 7 h after the capture
    # A report or a story dated by its day only keeps ``gram_link_hours``: its hours are
    # known to a day's width, and the check reads them against ``apart_hours``.
    assert not left_to_check(7.0, 0.0, False, config)
    assert left_to_check(config.apart_hours, config.apart_hours, False, config)  # grown
    # Both headlines name one date: the calendar says they tell one day's development.
    assert not left_to_check(12.0, 0.0, True, config, named_day=True)
    assert left_to_check(config.apart_hours, config.apart_hours, True, config, named_day=True)
    off = dataclasses.replace(config, timed_gram_link=False)
    assert not left_to_check(7.0, 0.0, True, off)
    assert not left_to_check(7.0, 0.0, True, dataclasses.replace(config, timed_apart_hours=None))
