"""workers.commentary: a third party's comment on news is not the news; read in three
languages, and through the n-grams' immediate link and the clusterer's checks
(workers/story_linking.py, workers/cluster.py) on real timed reports of the held9, held10
and held12 tuning parts."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.factories import checked_stories
from workers.commentary import commentary_apart, comments
from workers.story_linking import LinkConfig, headlines_apart

LINKING = LinkConfig()
OFF = dataclasses.replace(LINKING, commentary_apart=False)
# held12: "Трамп побажав Байдену одужати після виявленої онкології" (uk), 0.8 h after "У Джо
# Байдена диагностировали рак простаты" (ru).
WISH = ("kun-uz-ru-2025-05-19-bayden-rak-prostaty", "ua-news-tramp-pobazhav-bajdenu-oduzhaty")
# held10: "Трамп заявив про кінець війни між Ізраїлем та Іраном, проте удари тривали" (uk)
# and, 1.1 h later, "В Кремле заявили, что надеются на устойчивое прекращение огня между
# Ираном и Израилем" (ru).
KREMLIN = ("day-kyiv-240625-kinets-viyny", "novoye-vremya-az-1750756692")
TOPIC = dataclasses.replace(LINKING, topic_frame=True)
NO_TOPIC = dataclasses.replace(LINKING, topic_frame=False)
# held25: the Ukrainian "У Магдебургу на ярмарку стався теракт" (20 December 2024, 21:39
# Kyiv) and the English "Tragedy Strikes at Magdeburg Christmas Market" (an hour later), the
# Russian "Зеленский о теракте в Магдебурге: Насилие никогда и нигде не должно побеждать"
# (13:06 the next day) and the Ukrainian "Серед постраждалих унаслідок теракту в Магдебургу
# українка" (21:16): four developments but the first two.
MAGDEBURG = (
    "interfax-ua-uk-1035684",
    "devdiscourse-3202747",
    "interfax-ua-ru-1035760",
    "interfax-ua-uk-1035818",
)


@pytest.mark.parametrize(
    "headline",
    [
        "Kremlin hopes for a lasting ceasefire between Iran and Israel",
        "Macron expresses concern over the strikes on Kyiv",
        "Trump wishes Biden a speedy recovery",
        "Pentagon denies reports of a strike on the convoy",
        "Orban believes sanctions will fail",
        "Trump doubts Putin wants peace",
        "White House comments on the Moscow talks",
        "Медведев отметил, что Зеленскому не поможет выбор нового главы своего офиса",
        "В Кремле заявили, что надеются на устойчивое прекращение огня",
        "Пребывание украинцев на борту Air India не подтверждается - МИД",
        "Путин пожелал Байдену скорейшего выздоровления",
        "Песков прокомментировал удар по Днепру",
        "Лавров считает, что переговоры зашли в тупик",
        "Трамп побажав Байдену одужати після виявленої онкології",
        "Сибіга зазначив, що Росія затягує переговори",
        "У Кремлі сподіваються на продовження переговорів",
        "МЗС спростувало: українців на борту немає",
        "Макрон висловив стурбованість ударами по Києву",
    ],
)
def test_a_headline_telling_a_comment_comments(headline: str) -> None:
    assert comments(f"{headline}. The lead.")


@pytest.mark.parametrize(
    "headline",
    [
        # The authority reporting the event: versions say it so too.
        "Russian air attack kills seven in Lviv, mayor says",
        "Zelensky says 41 killed, 180 injured in Russian attack on Poltava",
        "Entire Kyiv region has been liberated from Russian occupiers, - Maliar",
        "Песков заявил о прекращении действия зерновой сделки",
        "Генштаб ЗСУ офіційно повідомив, що українські військові вийшли з Лисичанську",
        # Words kept out: a celebration, a noun, a Title Case verb, a ruling, an appeal,
        # a protest, a count.
        "Путин отметил юбилей в Кремле",
        "Hopes for a ceasefire fade as strikes go on",
        # "hopes", "doubts" and "comments" as nouns: after a possessive or an adjective,
        # with a verb of change later, or "doubts" before a preposition.
        "New hopes for peace talks after Trump call",
        "Ukraine's hopes for NATO invitation dashed at Vilnius summit",
        "Ceasefire hopes for Gaza fade as talks stall",
        "Fresh doubts over Gaza ceasefire as strikes go on",
        "Trump's comments on NATO spark outrage in Europe",
        "Ceasefire Hopes Fade As Strikes Go On",
        "Court denies bail to the former minister",
        "36 countries call on Russia to withdraw its troops from Ukraine immediately",
        "Зеленський і Рютте закликали росію негайно припинити війну",
        "Три російські МіГ-31 вторглися в повітряний простір Естонії: Таллін висловив протест",
        "В Харькове считают ущерб после обстрела",
    ],
)
def test_a_report_or_a_word_kept_out_does_not_comment(headline: str) -> None:
    assert not comments(f"{headline}. Медведев отметил, что это ошибка.")  # lead unread


def test_exactly_one_side_commenting_by_a_third_party_sets_them_apart() -> None:
    event = "Zelensky decides to appoint Budanov as head of the Office. Lead."
    comment = "Медведев отметил, что Зеленскому не поможет выбор нового главы офиса. Лид."
    comment_uk = "Медведєв зазначив, що Зеленському не допоможе вибір нового голови Офісу. Лід."
    assert commentary_apart(comment, [event]) and commentary_apart(event, [comment])
    assert commentary_apart(event, [comment, comment_uk])  # a story of comments
    assert not commentary_apart(comment, [comment_uk])  # a comment beside a comment
    assert not commentary_apart(event, [event])
    assert not commentary_apart(comment, [])  # nothing to compare


def test_the_speaker_named_in_the_other_headline_is_its_actor() -> None:
    """The speaker's own words on his act are a version of it, across scripts too
    (Трамп and Trump read one key)."""
    comment = "Трамп отметил, что Израиль и Иран договорились о прекращении огня. Лид."
    assert not commentary_apart(comment, ["Trump announces Israel-Iran ceasefire. Lead."])
    assert commentary_apart(comment, ["Israel and Iran agree to a ceasefire. Lead."])


def test_a_short_speaker_s_name_is_read_in_the_other_headline_s_case_forms() -> None:
    """A four-letter name's key meets its case forms (Merz: "Мерцем", "Мерца"), as the
    band's shared names read them: the speaker is named there."""
    comment = "Merz noted that the talks with Zelensky in Berlin went well. Lead."
    assert not commentary_apart(comment, ["Зеленский провел переговоры с Мерцем. Лид."])
    assert not commentary_apart(comment, ["Зеленський прибув до Мерца в Берлін. Лід."])
    assert commentary_apart(comment, ["Зеленский провел переговоры в Берлине. Лид."])


def test_a_comment_beside_a_reaction_answers_the_same_news() -> None:
    comment = "В Кремле заявили, что надеются на прекращение огня. Лид."
    reaction = "EU welcomes the Israel-Iran ceasefire. Lead."
    assert not commentary_apart(comment, [reaction]) and not commentary_apart(reaction, [comment])


def test_the_rule_is_one_of_the_linker_s_headline_rules() -> None:
    comment = "Трамп побажав Байдену одужати. Лід."
    event = "У Джо Байдена диагностировали рак простаты. Лид."
    assert headlines_apart(LINKING, comment, [event])
    assert not headlines_apart(OFF, comment, [event])


def test_a_wish_of_recovery_and_the_diagnosis_stay_two_stories() -> None:
    assert len(checked_stories("held12", WISH, 0.897, LINKING).stories()) == 2


def test_without_the_rule_the_wish_joined_the_diagnosis() -> None:
    [merged] = checked_stories("held12", WISH, 0.897, OFF).stories()
    assert set(merged.languages) == {"ru", "uk"}


def test_the_check_does_not_link_the_kremlin_s_hope_to_trump_s_announcement() -> None:
    assert len(checked_stories("held10", KREMLIN, 0.861, LINKING).stories()) == 2
    assert len(checked_stories("held10", KREMLIN, 0.861, OFF).stories()) == 1


def test_a_story_holding_its_event_beside_a_comment_keeps_the_event_s_versions() -> None:
    """A story whose compared kept reports tell the event as well as a comment it joined
    (its speaker is the event's actor) is the event's story: a version of the event that
    does not name the speaker is compared with the event's report as any report."""
    event = "Trump announces Israel-Iran ceasefire. Lead."
    own_comment = "Трамп отметил, что Израиль и Иран договорились о прекращении огня. Лид."
    version = "Israel and Iran agree to a ceasefire. Lead."
    assert not commentary_apart(own_comment, [event])  # joined: the speaker is the actor
    assert not commentary_apart(version, [event, own_comment])
    assert not commentary_apart(version, [own_comment, event])


@pytest.mark.parametrize(
    ("comment", "version"),
    [
        ("Зеленский: надеемся на прогресс в Женеве", "Zelensky expects progress at Geneva talks"),
        ("Сибіга: сподіваємося на продовження переговорів", "Sybiha expects the talks to go on"),
    ],
)
def test_the_speaker_of_a_colon_frame_is_read(comment: str, version: str) -> None:
    """A headline framed "Speaker: words" names its speaker before the colon when the words
    after it name none ("надеемся", we hope): the other headline naming him is his own
    statement's version."""
    assert not commentary_apart(f"{comment}. Лид.", [f"{version}. Lead."])
    assert not commentary_apart(f"{version}. Lead.", [f"{comment}. Лид."])


@pytest.mark.parametrize(
    ("comment", "version"),
    [
        (
            "Песков прокомментировал удар по Днепру — подробности",
            "Peskov says the strike on Dnipro hit a military target",
        ),
        ("Сибіга зазначив, що Росія затягує переговори — деталі", "Sybiha: Russia is stalling"),
    ],
)
def test_a_closing_note_is_no_source_tag(comment: str, version: str) -> None:
    """A dash closing the headline with words in lower case ("— подробности", "— деталі",
    an outlet's note) names no source: the speaker is read before the verb."""
    assert not commentary_apart(f"{comment}. Лид.", [f"{version}. Lead."])


ARRIVAL = ("pravda-eng-7511608", "wz-lviv-532439")


@pytest.mark.parametrize("speaker", ["Мерц", "Макрон"])
def test_a_leader_s_own_words_on_his_arrival_are_its_version_across_scripts(speaker: str) -> None:
    """held9's "Macron, Starmer and German Chancellor Merz arrive in Kyiv" beside the
    Ukrainian report of the arrival, its headline made a leader's own comment on it: the
    speaker is named in the English headline (his name key meets across scripts:
    Merz/Мерц, Macron/Макрон), so he is the event's actor and the comment its version,
    joined at the check's cosine."""

    def commented(row: dict[str, Any]) -> dict[str, Any]:
        if row["language"] != "uk":
            return row
        title = f"{speaker} наголосив, що коаліція охочих у Києві підтримає Україну"
        return {**row, "title": title}

    [story] = checked_stories("held9", ARRIVAL, 0.88, LINKING, commented).stories()
    assert set(story.languages) == {"en", "uk"}


@pytest.mark.parametrize(
    "headline",
    [
        "Зеленский о теракте в Магдебурге: Насилие никогда и нигде не должно побеждать",
        "Песков о переговорах в Стамбуле: «Пока рано говорить о результатах»",
        "Сибіга про удар по Одесі: Росія воює з цивільними",
        "Zelensky on Magdeburg attack: 'Violence must never win'",
    ],
)
def test_a_speaker_s_words_on_a_topic_comment(headline: str) -> None:
    assert comments(f"{headline}. The lead.")
    assert not comments(f"{headline}. The lead.", frame=False)


@pytest.mark.parametrize(
    "headline",
    [
        "Угода про копалини: нюанси для українців",  # a kicker's subtitle in lower case
        "Strike on Kyiv: Five Killed",  # an English topic, the statement unquoted
        "Пригожин офіційно заявив про відступ: «Приречені»",  # a statement verb, not a frame
        "Удар по Києву: загинули п'ятеро",  # no "о", "про", "on"
    ],
)
def test_a_kicker_or_a_statement_verb_frames_no_topic(headline: str) -> None:
    assert not comments(f"{headline}. The lead.")


def test_a_speaker_on_a_topic_named_in_the_other_headline_is_its_actor() -> None:
    comment = "Зеленский о переговорах в Стамбуле: Мы готовы. Лид."
    version = "Zelensky says Ukraine is ready for Istanbul talks. Lead."
    event = "Ukraine and Russia meet for talks in Istanbul. Lead."
    assert not commentary_apart(comment, [version]) and not commentary_apart(version, [comment])
    assert commentary_apart(comment, [event]) and commentary_apart(event, [comment])
    assert not commentary_apart(comment, [event], frame=False)


def magdeburg(config: LinkConfig) -> list[set[str]]:
    """held25's four Magdeburg reports (``MAGDEBURG``), every check answered at 0.829 (what
    the embedding gives the comment and the attack): each story's report ids."""
    clusterer = checked_stories("held25", MAGDEBURG, 0.829, config)
    return [{member.article_id for member in story.members} for story in clusterer.stories()]


def test_a_leader_s_words_on_an_attack_take_no_report_of_it() -> None:
    comment = {"interfax-ua-ru-1035760"}
    assert comment in magdeburg(TOPIC)
    assert comment not in magdeburg(NO_TOPIC)  # the comment took the victims' report
