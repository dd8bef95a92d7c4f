"""Which Cyrillic names of a city abroad the gazetteer reads (pure).

The gazetteer (workers/places.py) reads a city outside Ukraine, Russia and Belarus by its
English name when it is a capital, one of the news places or a city of
``CITY_MIN_POPULATION`` people or more. GeoNames lists such a city's names in other
languages too, among them its Ukrainian and Russian ones; ``is_world_name`` says which
of those the gazetteer reads as the city, in any case form as it reads a Ukrainian
city's ("у Стамбулі", "в Пусане", "в Нью-Йорке").

Ukrainian and Russian write most world cities by a name of their own, not a spelling of
the English one ("Стамбул" and Istanbul, "Пекин" and Beijing, "Париж" and Paris, "Пусан"
and Busan, "Нью-Йорк" and New York, "Чикаго" and Chicago), so a city's Cyrillic name
is read whether it spells the English name or not (``cyrillic_names.spells`` is what a
city of Russia or Belarus must pass: GeoNames lists their former names, which are
people's: Tver's "Калинин"). A city abroad has few such names, and a former one names the
same city ("Бомбей", "Сайгон"). Left out:

* a name with a letter that neither Ukrainian nor Russian writes (``_UK_RU_NAME``):
  GeoNames' names in Serbian, Macedonian, Kazakh or Bulgarian ("Њујорк", "Стамбұл",
  "Лос Анђелес"), and names of several words apart (a hyphen joins the words of the names
  the two languages write: "Рио-де-Жанейро", "Лос-Анджелес");
* a name that is also a common Ukrainian or Russian word (``WORD_NAMES``: "Брод" a ford,
  "Думай" think, "Газа" gas's, "Кантон" a canton, "Тойота" the carmaker), unless the
  city is a capital or a news place ("Рига", "Вена": a capital's name in the news is the
  capital): a sentence's or a headline's first word is capitalised, and such a word
  there names no city. The words are those a spelling dictionary holds in lower case
  (bench/world_name_words.py: Debian's hunspell-uk and hunspell-ru);
* a name that news write for something else (``OTHER_NAMES``), capital or not: the
  country's or a region's name ("Бразилия" Brazil for Brasília, and "Бразилиа", whose
  stem reads Brazil's forms: "в Бразилии"; "Бенин" Benin for Benin
  City, "Гуджарат" the Indian state for Gujrat), a first name ("Рашид" for Rosetta), or
  a name whose forms the gazetteer reads by its stem are common words ("Совето": "Совета
  Федерации"; "Уральск": "Уральском федеральном округе"; "Талін": "талон" a coupon, as
  "Львів" gives "Львова").
"""

from __future__ import annotations

import re

# One word, or words joined by hyphens, in the letters of Ukrainian and Russian (with
# Ukrainian's apostrophe), the first capitalised.
_UK_RU_NAME = re.compile(r"[А-ЯЁІЇЄҐ][а-яёіїєґ’'ʼ]*(?:-[А-ЯЁІЇЄҐа-яёіїєґ][а-яёіїєґ’'ʼ]*)*")
# Cyrillic names of one word of the cities abroad that are not capitals nor news places,
# that a Ukrainian or Russian spelling dictionary holds in lower case, in the nominative
# or a case form the gazetteer reads whole (bench/world_name_words.py).
WORD_NAMES = frozenset(
    """арак арок атланта багата банну барели бари барина барі батам батман бекаси бекасі
    белен бида бліда бозе болонья бонн бостон бристоль брод буда будим бурса варна
    верный вуси вуху вірний газа гама гули дамам дели диадема дуала дуле думай заря
    ироду йола кавасакі кали кальян калі кантон карай катания катану колам корба кордоба
    кордова кота котону краків кумана кумаси кумасі куми куска кусти кікую ломе лоне
    макао малага манчестер маркам марсель матура мекка мири мишко муар мінна нара орал
    пальма пеща пуна пюра рака рали ралі решт розета роли ролі сале самба сидни смирна
    табора тамале танго тане тегу тете тойота туба тулуза тусан тэгу ухань феникс франка
    франко хама хила хохот""".split()
)

# Cyrillic names of cities abroad, capitals or not, that the news write for another place
# or a person, or whose forms read by the name's stem are common words.
OTHER_NAMES = frozenset(
    """армения бархи белла бельо бенин бразилиа бразилия бразиліа бразилія гуджарат
    рашид совето талин талін уралск уральск уральськ""".split()
)


def is_world_name(alt: str, capital: bool) -> bool:
    """Whether the gazetteer reads ``alt``, a GeoNames alternate name of a city abroad, as
    the city (``capital``: the city is a capital or a news place, read by its names
    whether they are words or not: "Рига", "Вена")."""
    key = alt.casefold()
    return (
        bool(_UK_RU_NAME.fullmatch(alt))
        and key not in OTHER_NAMES
        and (capital or key not in WORD_NAMES)
    )
