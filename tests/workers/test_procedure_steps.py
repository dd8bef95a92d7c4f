"""workers.procedure_steps: two steps of one procedure are two developments; read in three
languages, and through the n-grams' immediate link and the clusterer's checks
(workers/story_linking.py, workers/cluster.py) on real timed reports of the held11-held14
tuning parts."""

from __future__ import annotations

import dataclasses

import pytest

from tests.factories import checked_stories
from workers.procedure_steps import steps, steps_apart
from workers.story_linking import LinkConfig

LINKING = LinkConfig()
OFF = dataclasses.replace(LINKING, steps_apart=False)
VOTE_THEN_SIGNATURE = ("regionews-1753955857-319-golosiv", "interfax-ua-ru-1092125")
ELECTED_THEN_IN_OFFICE = ("interfax-ua-1069526", "eurointegration-ru-7211011")
SENTENCE_THEN_APPEAL = ("rbc-ua-1758800330", "nsn-sarkozi-obzhalovat-prigovor")
MEETING_AHEAD_THEN_ARRIVAL = ("report-az-en-zelenskyy-to-meet-canada-s-pm", "novyny-live-ru-302744")


@pytest.mark.parametrize(
    ("headline", "step"),
    [
        ("Abu Dhabi talks will be held on Friday", "scheduled"),
        ("The grain deal will be signed in Istanbul on July 22", "scheduled"),
        ("В Абу-Даби пройдут первые трехсторонние переговоры", "scheduled"),
        ("У Туреччині назвали дату підписання договору", "scheduled"),
        ("Переговори відбудуться у Женеві", "scheduled"),
        ("Trilateral talks begin in Abu Dhabi", "began"),
        ("В Абу-Дабі розпочалися тристоронні переговори", "began"),
        ("В Абу-Даби начались переговоры", "began"),
        ("Ukraine's parliament passes the mobilisation bill", "voted"),
        ("Senate approves the defence budget", "voted"),
        ("Рада ухвалила закон про НАБУ", "voted"),
        ('319 голосів "за”: законопроєкт включили до порядку денного', "voted"),
        ("Госдума приняла закон о налогах", "voted"),
        ("Госдума приняла в первом чтении законопроект о налогах", "voted"),
        ("Zelensky signs the law restoring NABU's independence", "signed"),
        ("Зеленський підписав закон про НАБУ", "signed"),
        ("Украина подписала свою часть сделки", "signed"),
        ("The law enters into force", "in force"),
        ("Закон набув чинності", "in force"),
        ("Закон вступил в силу", "in force"),
        ("Merz elected chancellor on second ballot", "elected"),
        ("Фрідріха Мерца обрано федеральним канцлером", "elected"),
        ("Мерц избран канцлером", "elected"),
        ("Nicusor Dan wins Romania's presidential election", "elected"),
        ("Merz sworn in as chancellor", "in office"),
        ("Фридрих Мерц официально стал канцлером Германии", "in office"),
        ("Нікушор Дан склав присягу", "in office"),
        ("Zelenskyy to meet Canada's PM before talks with Trump", "scheduled"),
        ("Trump will meet Putin in Budapest", "scheduled"),
        ("Трамп зустрінеться із Зеленським у неділю", "scheduled"),
        ("Путин встретится с Трампом на Аляске", "scheduled"),
        ("Zelensky arrives in Washington", "arrived"),
        ("Зеленський прибув до Канади", "arrived"),
        ("Зеленский прибыл в Канаду — с кем встретится", "arrived"),  # asked: no schedule
        ("Sarkozy sentenced to five years in prison", "sentenced"),
        ("Саркозі засудили до п'яти років позбавлення волі", "sentenced"),
        ("Саркози приговорили к пяти годам заключения", "sentenced"),
        ("Sarkozy to appeal his sentence", "appealed"),
        ("Саркозі оскаржить вирок", "appealed"),
        ("Саркози заявил о намерении обжаловать приговор суда", "appealed"),
        ("Адвокаты Саркози подали апелляцию", "appealed"),
        ("Захист подав апеляцію на вирок", "appealed"),
    ],
)
def test_a_headline_reads_its_step(headline: str, step: str) -> None:
    assert steps(f"{headline}. The lead.") == {step}


@pytest.mark.parametrize(
    "headline",
    [
        # The announcement of a signature, a decision, an attendance, a sign-up: no step.
        "Zelensky to sign the law on Friday",
        "Путин принял участие в саммите",
        "Кабмін ухвалив рішення про евакуацію",
        "Путин принял решение о перемирии",
        "Trump signs up for talks",
        "The agreement was signed off by the ministry",
        "Подписание соглашения перенесли",
        # An arrival announced, an address called an appeal, a sentencing as a noun, a
        # meeting asked about.
        "Zelensky to arrive in Washington",
        "Putin's appeal to the nation is postponed",
        "Sarkozy's Sentencing: A Historic Verdict and Its Repercussions",
        "С кем встретится Зеленский в Канаде",
        # An appeals court named by its adjective or as a noun phrase: the court, not
        # a party's appeal.
        "Апелляционный суд оставил приговор Саркози в силе",
        "Апеляційний суд залишив вирок без змін",
        "Appeals court ruling on tariffs due Friday",
    ],
)
def test_words_of_no_step_read_none(headline: str) -> None:
    assert steps(f"{headline}. Зеленський підписав закон.") == set()  # the lead is not read


def test_two_sides_reading_different_steps_are_apart() -> None:
    vote = "Рада ухвалила закон про НАБУ. Лід."
    signature = "Зеленский подписал закон о НАБУ. Лид."
    both = "Рада ухвалила закон про НАБУ, Зеленський одразу його підписав. Лід."
    assert steps_apart(vote, [signature]) and steps_apart(signature, [vote])
    assert not steps_apart(signature, ["Zelensky signs the NABU law. Lead."])  # one step
    assert not steps_apart(vote, [both]) and not steps_apart(signature, [both])
    assert not steps_apart(vote, ["Protests in Kyiv over the NABU law. Lead."])  # no step
    assert not steps_apart(signature, [])  # nothing to compare


def test_a_vote_and_the_signature_hours_later_stay_two_stories() -> None:
    """The Ukrainian "319 голосів "за”: законопроєкт Зеленського включили до порядку
    денного" (31 July 2025, 12:33 Kyiv) and, 2.9 h later, the Russian "Зеленский подписал
    закон о восстановлении независимости НАБУ и САП", checked at 0.882."""
    assert len(checked_stories("held11", VOTE_THEN_SIGNATURE, 0.882, LINKING).stories()) == 2
    assert len(checked_stories("held11", VOTE_THEN_SIGNATURE, 0.882, OFF).stories()) == 1


def test_a_sentence_and_the_appeal_announced_stay_two_stories() -> None:
    """The Ukrainian "Саркозі засудили до п'яти років позбавлення волі" (25 September
    2025) and, 0.6 h later, the Russian "Саркози заявил о намерении обжаловать приговор
    суда", which the n-grams linked at once: left to the check (0.902), refused."""
    assert len(checked_stories("held14", SENTENCE_THEN_APPEAL, 0.902, LINKING).stories()) == 2
    assert len(checked_stories("held14", SENTENCE_THEN_APPEAL, 0.902, OFF).stories()) == 1


def test_a_meeting_ahead_and_the_arrival_stay_two_stories() -> None:
    """The English "Zelenskyy to meet Canada's PM before talks with Trump in Florida" and,
    4.4 h later, the Russian "Зеленский прибыл в Канаду — с кем встретится", checked at
    0.861: the planned meeting and the arrival are two steps of the visit."""
    assert len(checked_stories("held13", MEETING_AHEAD_THEN_ARRIVAL, 0.861, LINKING).stories()) == 2
    assert len(checked_stories("held13", MEETING_AHEAD_THEN_ARRIVAL, 0.861, OFF).stories()) == 1


def test_elected_and_officially_in_office_stay_two_stories() -> None:
    """The Ukrainian "Фрідріха Мерца обрано федеральним канцлером Німеччини – ЗМІ" (6 May
    2025, 17:30 Kyiv) and, 26 minutes later, the Russian "Фридрих Мерц официально стал
    канцлером Германии", checked at 0.895."""
    assert len(checked_stories("held12", ELECTED_THEN_IN_OFFICE, 0.895, LINKING).stories()) == 2
    assert len(checked_stories("held12", ELECTED_THEN_IN_OFFICE, 0.895, OFF).stories()) == 1


@pytest.mark.parametrize(
    "headline",
    [
        # Talks announced: the infinitive and a headline's present with its day are the
        # schedule, not talks begun.
        "Peace talks to begin in Geneva on Monday",
        "Peace talks could begin next week",
        "Talks begin Monday in Geneva",
        # A negated step is no step.
        "Zelensky has not signed the law",
        "Зеленський так і не підписав закон",
        "Зеленский не подписал закон",
        # "signs" as a noun.
        "Kremlin sees signs of progress in the talks",
    ],
)
def test_announced_negated_or_noun_steps_read_no_taken_step(headline: str) -> None:
    assert steps(f"{headline}. Lead.") <= {"scheduled"}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # A head of state ratifies by signing the ratification law: one act.
        ("Putin ratifies treaty with North Korea", "Путин подписал закон о ратификации договора"),
        ("Путін ратифікував договір з КНДР", "Putin signs law ratifying treaty with North Korea"),
        # A bill that "wins a vote" passed it: the vote, not an election.
        ("Starmer wins Commons vote on welfare bill", "Палата общин приняла законопроект"),
        # A truce that begins is the truce in force.
        ("Energy ceasefire begins", "Енергетичне перемир'я набуло чинності"),
        ("Великоднє перемир'я розпочалося", "Easter truce takes effect"),
        # An arrival is the visit begun: one moment with the meeting it came for
        # (held4's two versions, read as one development).
        (
            "Зеленський прибув у Білий дім для зустрічі із Трампом",
            "В Вашингтоне началась встреча Зеленского и Трампа",
        ),
        ("Putin Meets Slovak PM Fico at Kremlin", "Словацкий премьер Фицо приехал к Путину"),
        # A sentence and the appeal announced in one headline share the sentence.
        ("Sarkozy sentenced to five years, says he will appeal", "Саркозі засудили до п'яти років"),
        # The appeals court's ruling told with the term in one language, with the court in
        # the other: one ruling.
        (
            "Appeals court upholds sentence of activist jailed for five years",
            "Апелляционный суд оставил в силе приговор активисту",
        ),
        # Talks announced for Monday in both: one schedule.
        ("Peace talks to begin in Geneva on Monday", "Переговори розпочнуться в понеділок"),
        ("Talks begin Monday in Geneva", "Переговоры начнутся в понедельник"),
    ],
)
def test_versions_of_one_development_are_not_apart(one: str, other: str) -> None:
    assert not steps_apart(f"{one}. Lead.", [f"{other}. Лід."])
    assert not steps_apart(f"{other}. Лід.", [f"{one}. Lead."])


def test_a_negated_signature_is_not_apart_from_the_vote_it_follows() -> None:
    vote = "Рада ухвалила закон про НАБУ. Лід."
    assert not steps_apart("Зеленський ще не підписав закон про НАБУ. Лід.", [vote])
    assert steps_apart("Зеленський підписав закон про НАБУ. Лід.", [vote])
