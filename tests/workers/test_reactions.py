"""workers.reactions: a report of a reaction is not the development it reacts to; read in
three languages, and through the n-grams' immediate link and the clusterer's checks
(workers/story_linking.py, workers/cluster.py) on real timed reports of the held11 and
held12 tuning parts."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from tests.factories import checked_stories, part_rows, part_stories
from workers.cluster import Clusterer
from workers.reactions import reaction_apart, reacts
from workers.story_linking import LinkConfig, Linker

LINKING = LinkConfig()
OFF = dataclasses.replace(LINKING, reactions_apart=False)
KINDS = dataclasses.replace(LINKING, reaction_kinds=True)
NO_KINDS = dataclasses.replace(LINKING, reaction_kinds=False)
# held25: the Ukrainian "У Туреччині затримали понад 300 осіб під час протестів через
# затримання мера Стамбула" (21 March 2025) and, 12.8 h later, the Russian "Прокуратура
# попросила суд арестовать мэра Стамбула".
PROTESTS = ("interfax-ua-uk-1057930", "vesti-az-ru-540828")
DAN = ("vz-russiaru-1332999-nikushor-dan-pobedil", "interfax-ua-1072851")
INVITATION = (
    "radio1-putin-ofitsialno-priglasil-zelenskogo-v-moskvu",
    "pravda-eng-2025-09-3-7529199",
)


@pytest.mark.parametrize(
    "headline",
    [
        "Ukraine responds to Putin's proposal for Zelenskyy to meet him in Moscow",
        "Kremlin reacts to Trump's tariffs",
        "Macron congratulates Merz on his election",
        "Kyiv welcomes the UN resolution",
        "Kyiv welcomes EU decision to extend sanctions",
        "Ukraine welcomes Trump's decision to send Patriots",
        "EU condemns the strike on Odesa",
        "Zelensky hails the prisoner exchange",
        "Biden praises the ceasefire deal",
        "Orban criticises EU sanctions",
        "Trump denounced the ruling",
        "Трамп отреагировал на заявление Зеленского",
        "В Кремле ответили на предложение Макрона",
        "Путин поздравил Трампа с победой",
        "МИД Украины приветствует решение ЕС",
        "Лавров осудил удар по Белгороду",
        "Песков раскритиковал решение Сената",
        "Зеленський відреагував на заяву Путіна",
        "Сибіга відповів на пропозицію Путіна",
        "Президентка Молдови привітала Нікушора Дана з перемогою",
        "Зеленський розкритикував рішення Угорщини",
    ],
)
def test_a_headline_telling_a_reaction_reacts(headline: str) -> None:
    assert reacts(f"{headline}. The lead.")


@pytest.mark.parametrize(
    "headline",
    [
        "Nicusor Dan wins Romania's presidential election",
        # A noun, a passive, a sentence, a mood: the news itself, no reaction.
        "Zelensky gets red-carpet welcome at White House",
        "Zelensky sacks Ukraine's ambassador to UK after criticism",
        "Zelensky welcomed at the White House",
        "Navalny condemned to nine more years",
        "The deal was praised by allies",
        "Російського політика-опозиціонера засудили до 25 років за ґратами",
        "Розчаровані армією і Путіним: що думають прихильники війни",
        "Его осудили на пять лет",
        # An interview's answer to a question, and a storm slamming a coast.
        "Путин ответил на вопросы журналистов",
        "Зеленський відповів на питання про вибори",
        "Володимир Зеленський відповів на запитання представників російських ЗМІ",
        # A court's "осудил" is a conviction, the news itself.
        "Мосгорсуд заочно осудил журналиста",
        "Суд осудил бывшего министра",
        "Hurricane Melissa slams Jamaica",
        # A host receiving a guest: the visit itself, whose versions say "meets", "arrives".
        "Trump welcomes Zelensky to the White House",
        "Pope Leo welcomes Zelensky at Castel Gandolfo",
    ],
)
def test_an_event_or_a_word_kept_out_does_not_react(headline: str) -> None:
    assert not reacts(f"{headline}. Путин поздравил Трампа.")  # the lead is not read


def test_exactly_one_side_reacting_sets_them_apart() -> None:
    event = "Мэр Бухареста Никушор Дан победил на выборах президента Румынии. Лид."
    reaction = "Президентка Молдови привітала Нікушора Дана з перемогою. Лід."
    reaction_ru = "Президент Молдавии поздравила Никушора Дана с победой. Лид."
    assert reaction_apart(reaction, [event]) and reaction_apart(event, [reaction])
    assert reaction_apart(event, [reaction, reaction_ru])  # a story of the reaction
    assert not reaction_apart(reaction, [reaction_ru])  # a reaction beside a reaction
    assert not reaction_apart(event, [event])
    assert not reaction_apart(reaction, [])  # nothing to compare


def dan_then_congratulation(config: LinkConfig) -> tuple[Clusterer, list[str]]:
    """The Russian "Никушор Дан победил на выборах президента Румынии" (19 May 2025, 00:52
    Moscow) and, 31 minutes later, the Ukrainian "Президентка Молдови привітала Нікушора
    Дана з перемогою": the n-grams read the names and the election as a version's; any
    check the Ukrainian report leaves is answered at a sure cosine (0.902, what the
    embedding gives the two)."""
    clusterer, stories = part_stories(
        "held12",
        lambda row: row["id"] in DAN,
        config,
    )
    for check in clusterer.pending_checks():
        clusterer.resolve_check(check.id, [0.902] * len(check.candidates))
    return clusterer, stories


def test_a_congratulation_and_the_victory_it_answers_stay_two_stories() -> None:
    clusterer, stories = dan_then_congratulation(LINKING)
    assert len(set(stories)) == 2
    assert {story.id for story in clusterer.stories()} == set(stories)


def test_without_the_rule_the_congratulation_joined_the_victory() -> None:
    clusterer, _ = dan_then_congratulation(OFF)
    [merged] = clusterer.stories()
    assert set(merged.languages) == {"ru", "uk"}


def invitation_then_response(config: LinkConfig) -> Clusterer:
    """The Russian "Путин официально пригласил Владимира Зеленского в Москву" (3 September
    2025, 17:03 Moscow) and, 2 h later, the English "Ukraine responds to Putin's proposal
    for Zelenskyy to meet him in Moscow": the English report's check on the invitation's
    story, answered at 0.84 (the place band for two timed stories, from
    ``timed_place_cosine``: Moscow in both; the model scored the pair 0.829)."""
    clusterer, stories = part_stories(
        "held11",
        lambda row: row["id"] in INVITATION,
        config,
    )
    [check] = clusterer.pending_checks()
    assert check.story == stories[1] and [sid for sid, _ in check.candidates] == stories[:1]
    clusterer.resolve_check(check.id, [0.84])
    return clusterer


def test_the_check_does_not_link_a_response_to_the_proposal_it_answers() -> None:
    assert len(invitation_then_response(LINKING).stories()) == 2
    assert len(invitation_then_response(OFF).stories()) == 1


def version_of_a_victory_that_grew_a_congratulation(config: LinkConfig) -> str | None:
    """The story the Russian "Никушор Дан победил" began, an English congratulation joined
    since (its kept latest report), and a Ukrainian version of the victory, which shares
    n-grams at 0.68 with the story: the story the version joins at once, if any."""
    event = next(row for row in part_rows("held12") if row["id"] == DAN[0])
    began = datetime.fromisoformat(event["published"]).timestamp()
    linker = Linker(config)
    linker.join("s1", linker.read("a", "ru", began, event["title"], event["text"]))
    congratulation = linker.read(
        "b",
        "en",
        began + 900,
        "Macron congratulates Nicusor Dan on his victory",
        "French President Emmanuel Macron congratulated Nicusor Dan, the mayor of Bucharest, "
        "on winning Romania's presidency.",
    )
    linker.join("s1", congratulation)
    version = linker.read(
        "c",
        "uk",
        began + 1800,
        "Мер Бухареста Нікушор Дан переміг на виборах президента Румунії",
        event["text"].replace("Мэр", "Мер"),
    )
    return linker.triage(version)[0]


def test_a_story_that_grew_a_reaction_still_takes_its_event_s_version_at_once() -> None:
    """The version is compared with the victory's report, as a check would compare it: the
    reaction the story also keeps does not hold the version's immediate link."""
    assert version_of_a_victory_that_grew_a_congratulation(LINKING) == "s1"


def test_a_story_holding_its_event_beside_a_reaction_is_no_reaction() -> None:
    """A story compared through its event's report and a reaction it joined is the event's
    story: an event's version is compared with it as any report, and a reaction with it as
    with the reaction it holds (workers/commentary.py reads a commenting story so)."""
    event = "Мэр Бухареста Никушор Дан победил на выборах президента Румынии. Лид."
    reaction = "Президентка Молдови привітала Нікушора Дана з перемогою. Лід."
    version = "Nicusor Dan wins Romania's presidential election. Lead."
    assert not reaction_apart(version, [event, reaction])
    assert not reaction_apart(version, [reaction, event])
    assert not reaction_apart(reaction, [event, reaction])


def test_a_story_compared_through_its_event_and_a_reaction_takes_the_event_s_version() -> None:
    """With two kept reports compared (``verify_reports``), the version is compared through
    the victory's report and the congratulation: it still joins the story at once."""
    config = dataclasses.replace(LINKING, verify_reports=2)
    assert version_of_a_victory_that_grew_a_congratulation(config) == "s1"


@pytest.mark.parametrize(
    "headline",
    [
        "343 detained in protests over Ekrem Imamoglu's arrest",
        "Protesters against the pension reform clash with police in Paris",
        "У Туреччині затримали понад 300 осіб під час протестів через затримання мера",
        "У Тбілісі тривають протести проти рішення уряду",
        "В Турции задержали сотни участников протестов из-за ареста мэра",
        "В Сербии прошли протесты против Вучича",
    ],
)
def test_protests_over_something_react(headline: str) -> None:
    assert reacts(f"{headline}. The lead.")
    assert not reacts(f"{headline}. The lead.", kinds=False)


@pytest.mark.parametrize(
    "headline",
    [
        "Thousands protest in Tbilisi",  # a protest told alone is the event
        "У Тбілісі тисячі людей вийшли на протест",
        "В Белграде начались массовые протесты",
    ],
)
def test_a_protest_told_alone_does_not_react(headline: str) -> None:
    assert not reacts(f"{headline}. The lead.")


def test_the_check_does_not_link_protests_to_the_arrest_they_are_over() -> None:
    assert len(checked_stories("held25", PROTESTS, 0.867, KINDS).stories()) == 2
    assert len(checked_stories("held25", PROTESTS, 0.867, NO_KINDS).stories()) == 1
