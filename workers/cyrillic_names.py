"""Reading place names across Latin and Cyrillic (pure).

How a place's name is read in a text of Latin or Cyrillic letters, for the gazetteer
(workers/places.py) and the link check's towns (workers/link_towns.py), which index the
names of GeoNames' cities and towns with these and read texts by them:

* the words of a text (``TOKEN``) and a word's key (``folded``: casefolded, Ukrainian's
  apostrophes made one);
* the stems of a Cyrillic name's case forms: ``add_stem`` indexes a name by its stems
  ("Одеса" as "одес", "Кременчук" also as "кременчуц" for "у Кременчуці"),
  ``add_pair_stems`` a name of two words (``is_two_word_name``: "Кривий Ріг" for "у
  Кривому Розі"), and ``cyrillic_stem`` and ``pair_stems`` find a word's stem in a text,
  some endings taken only by a stem of the right last letter (``STEM_FINALS``: "Балаклією",
  not "Андрей"), and those only a plural or a feminine in -ь takes read as whole words
  (``own_case_forms``: "у Чернівцях", "Тверью"; not "Українцями"), as are a four-letter
  feminine name's, whose stem is too short to read (``short_case_forms``: "у Досі", "по
  Дохе");
* whether a Cyrillic name spells an English one (``spells``: "Белгород" and "Belgorod",
  not a former name such as Tver's "Калинин");
* Ukraine's national romanisation of a GeoNames name (``national_romanisation``:
  "Kryvyy Rih" as "Kryvyi Rih").
"""

from __future__ import annotations

import re

# Case endings of Ukrainian/Russian adjectives and nouns, longest first.
CYRILLIC_ENDINGS = tuple(
    sorted(
        {
            "а",
            "ої",
            "ій",
            "у",
            "ою",
            "ий",
            "ого",
            "ому",
            "им",
            "их",
            "і",
            "и",
            "ая",
            "ой",
            "ую",
            "ом",
            "е",
            "ю",
            "я",
            "ям",
            "ах",
            "ів",
            "ові",
            "ем",
            "ею",
            "ії",
            "ия",
            "ии",
            "ы",
            "ї",
            "єю",
            "ей",
        },
        key=len,
        reverse=True,
    )
)
# Endings that only some stems take, by the stem's last letter: a noun in -ія/-ия/-ея
# ("Балаклія", "Олександрія", "Коломия", "Балаклея") keeps its і, и or е before the
# ending, so its Ukrainian genitive, dative and locative is -ї and its instrumental -єю
# ("до Балаклії", "Балаклією"), its Russian instrumental -ей ("Балаклеей"), which Russian
# also writes after ц ("Винницей"). Elsewhere such a word is another word's form:
# "Андрей" is no case of "Андра" (a Russian village), "Нової" (new) an adjective's after
# the stem of "Новое", "ключей" (keys) and "хорошей" (good) a plural's and an adjective's
# after ч, щ, ж or ш.
STEM_FINALS = {
    "ї": "еиі",
    "єю": "еиі",
    "ей": "аеєиіїоуюяыэёц",
}
MIN_STEM = 4  # never strip a word down to fewer letters: short stems collide
# The endings by length, longest first: a word ends in at most one ending of each length,
# so one set look-up per length finds what trying every ending in turn finds.
_CYRILLIC_ENDINGS_BY_LENGTH = tuple(
    (length, frozenset(e for e in CYRILLIC_ENDINGS if len(e) == length))
    for length in sorted({len(e) for e in CYRILLIC_ENDINGS}, reverse=True)
)
# A two-word name's words, as GeoNames writes them, lose these to their stems
# (``add_pair_stems``): the adjective its nominative ending, the noun its final vowel.
_ADJECTIVE_ENDINGS = ("ий", "ій", "ой", "ый", "ая", "яя", "ое", "ие", "ые", "а", "я", "е", "є", "і")
_NOUN_FINALS = ("а", "я", "о", "е", "и", "і", "ь", "ы")
# Endings only a plural noun takes (``own_case_forms``): the dative, instrumental and
# locative plural, hard and soft.
_HARD_PLURAL = ("ам", "ами", "ах")
_SOFT_PLURAL = ("ям", "ями", "ях")
# The case endings of both words of a two-word name in a text (``pair_stems``): the
# endings of single names, the plural's ("в Набережных Челнах") and the adjectives'
# ("кривім", "Кривым", "Белой").
_PAIR_ENDINGS = tuple(
    sorted(set(CYRILLIC_ENDINGS) | set(_ADJECTIVE_ENDINGS) | set(_HARD_PLURAL + _SOFT_PLURAL)
           | {"ім", "ым", "ых", "ей", "ь"}, key=len, reverse=True)
)  # fmt: skip

# A token: a run of letters and digits, then each run of joiners (_ . ' ’ ‘ -) that another
# such run follows, then a final dot, so it ends on a letter, a digit or that dot. The runs
# are possessive: the engine never backs one off a character at a time.
TOKEN = re.compile(r"[^\W_]++(?:[_.'’‘-]++[^\W_]++)*+\.?")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Ukrainian writes its apostrophe as ', ’, ʼ (U+02BC, the standard's) or ‘, and GeoNames
# lists names with ' ("Кам'янське") and with ’ ("Слов’янськ"): a key writes each as ’, in
# the tables (``one_apostrophe_keys``) and in the text read, so every spelling meets every
# other ("у Кам’янському", "Словʼянськ").
_APOSTROPHES = (("'", "’"), ("ʼ", "’"), ("‘", "’"))
# Cyrillic consonants in Latin letters (``_consonants``); vowels and the soft sign drop.
_CONSONANTS = str.maketrans({
    "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ж": "zh", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
})  # fmt: skip


def folded(word: str) -> str:
    """``word`` as the tables key it: casefolded, the apostrophes ', ʼ and ‘ written ’."""
    key = word.casefold()
    for apostrophe, written in _APOSTROPHES:  # str.replace: translate looks up every character
        key = key.replace(apostrophe, written)
    return key


def one_apostrophe_keys(table: dict[str, str]) -> dict[str, str]:
    """``table`` with each key ``folded`` (its apostrophes written ’), the first place a
    key names kept where two keys fold alike: the tables are keyed as ``folded`` reads."""
    found: dict[str, str] = {}
    for key, place in table.items():
        found.setdefault(folded(key), place)
    return found


# Ukraine's national romanisation (Resolution of the Cabinet of Ministers of Ukraine No. 55
# of 27 January 2010), letter by letter from a Ukrainian name: є, ї, й, ю, я are ye, yi, y,
# yu, ya at a word's start and ie, i, i, iu, ia elsewhere; зг is zgh; the soft sign and the
# apostrophe are not written ("Саки" -> "Saky", "Джанкой" -> "Dzhankoi", "Слов’янськ" ->
# "Sloviansk").
_UKRAINIAN_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "’": "",
})  # fmt: skip
_UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# Letters of Russian only: a name that writes one is Russian's, not Ukrainian's.
_RUSSIAN_ONLY = frozenset("ыэёъ")
_LATIN_LETTER = re.compile(r"[a-z]")


def ukrainian_romanisation(name: str) -> str | None:
    """``name`` (a Ukrainian place's Cyrillic name) in Ukraine's national romanisation,
    casefolded; None for a name with a Latin letter (GeoNames' full table lists Latin names
    among the alternate names too), with a letter only Russian writes, or with another that
    is no Ukrainian letter."""
    key = folded(name)
    if _LATIN_LETTER.search(key) or not _RUSSIAN_ONLY.isdisjoint(key):
        return None
    words = []
    for word in re.split(r"([ -])", key):
        initial = _UKRAINIAN_INITIAL.get(word[:1])
        rest = word[1:] if initial else word
        words.append((initial or "") + rest.replace("зг", "zgh").translate(_UKRAINIAN_LATIN))
    found = "".join(words)
    return found if found.isascii() else None


# Ukraine's national romanisation (2010), which the English-language press writes, where
# GeoNames writes an older one: й, ї, є, ю, я after a letter are i, i, ie, iu, ia, and -ий
# is -yi ("Kryvyy Rih" -> "Kryvyi Rih", "Mykolayiv" -> "Mykolaiv", "Vinnytsya" ->
# "Vinnytsia", "Izyum" -> "Izium"). A word's first letter keeps y- (Yalta, Yenakiieve).
_NATIONAL_ROMANISATION = (
    (re.compile(r"yy\b"), "yi"),
    (re.compile(r"(?<=[aeiou])yi"), "i"),
    (re.compile(r"(?<=\w)y(?=[aeu])"), "i"),
)


def national_romanisation(name: str) -> str:
    """A Ukrainian place's GeoNames name in Ukraine's national romanisation."""
    for pattern, written in _NATIONAL_ROMANISATION:
        name = pattern.sub(written, name)
    return name


def is_two_word_name(alt: str, english: str) -> bool:
    """Whether a Cyrillic alternate name of two words is the city's own name ("Кривий Ріг",
    "Біла Церква", "Нова Каховка"): two capitalized Cyrillic words that spell the English
    name (``spells``). GeoNames also lists a city's districts and epithets in several
    words ("Шевченківський район", "Старе місто", "Південна столиця"), which spell no
    English name of the city."""
    words = alt.split(" ")
    return (
        len(words) == 2
        and all(CYRILLIC.match(word) and word[0].isupper() for word in words)
        and spells(alt, english)
    )


def add_pair_stems(stems: dict[str, str], name: str, place: str) -> None:
    """Index a two-word Cyrillic name (an adjective and a noun) by the stems of both words,
    a space between: "нова каховка" -> "нов каховк" and "нов каховц" (``_oblique_stems``),
    so that its case forms read ("у Новій Каховці", "у Кривому Розі", "в Кривом Роге",
    ``pair_stems``). A name of two words is read before either word alone: "Нова
    Каховка" is not Kakhovka."""
    adjective, noun = name.split(" ")
    first = _strip_ending(adjective, _ADJECTIVE_ENDINGS)
    closed = noun[-1] not in VOWELS
    for second in _oblique_stems(_strip_ending(noun, _NOUN_FINALS), closed):
        stems.setdefault(f"{first} {second}", place)


def _strip_ending(word: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)]
    return word


def _consonants(name: str) -> str:
    """The consonants of ``name`` in Latin letters, sounds spelled alike made one (г/h/g,
    х/kh/h, ц/ts, й/y/j left out with the vowels): "Белгород" and "Belgorod" both
    "blhrd", "Брянськ" and "Bryansk" both "brnsk"."""
    latin = name.casefold().translate(_CONSONANTS)
    for spelled, one in (("kh", "h"), ("g", "h"), ("ts", "c"), ("w", "v"), ("x", "ks")):
        latin = latin.replace(spelled, one)
    return "".join(c for c in latin if "a" <= c <= "z" and c not in "aeiouyj")


# Sounds English spells otherwise than a transliteration does (``spells``): "Moscow" and
# "Москва" (c/к), "Warsaw" and "Варшава" (s/ш), "Geneva" and "Женева" (g/ж).
_SPELLED_ALIKE = (("sh", "s"), ("zh", "h"), ("ch", "k"), ("c", "k"), ("q", "k"))


def _spelling(name: str) -> str:
    """``_consonants`` with the sounds of ``_SPELLED_ALIKE`` made one."""
    latin = _consonants(name)
    for spelled, one in _SPELLED_ALIKE:
        latin = latin.replace(spelled, one)
    return latin


def spells(cyrillic: str, english: str) -> bool:
    """Whether a Cyrillic alternate name is a spelling of the English name (not a former
    name, nor another people's)."""
    return _spelling(cyrillic) == _spelling(english)


def add_stem(stems: dict[str, str], word: str, place: str) -> None:
    """Index a Cyrillic city name without its final vowel: Одеса -> одес (Одесі, Одесу),
    and its stems before a case ending (``_oblique_stems``: Кременчук -> у Кременчуці).

    Ukrainian closes -ів/-їв in the nominative only: Харків -> у Харкові, Київ -> у Києві.
    """
    if word.endswith("ів"):
        stems.setdefault(word[:-2] + "ов", place)
    elif word.endswith("їв"):
        stems.setdefault(word[:-2] + "єв", place)
    closed = word[-1] not in VOWELS
    if word[-1] in "аяоеиіуюь" and len(word) - 1 >= MIN_STEM:
        word = word[:-1]
    for stem in _oblique_stems(word, closed):
        stems.setdefault(stem, place)


# A plural noun's last letter in the nominative ("Суми", "Чернівці", "Сумы").
PLURAL_FINALS = "иіы"
# Consonants after which Ukrainian and Russian write the plural's endings hard: -ам, not
# -ям ("Дергачам", "Прилукам", "Ключам").
_HARD_BEFORE_PLURAL = "жчшщкгх"


def own_case_forms(name: str) -> list[str]:
    """The case forms of a Cyrillic name (casefolded) in the endings only some nouns take,
    read as whole words, not as endings of every stem (the same letters after another
    stem are another word's: "Українцями", "Выборами", "Деньгами" are no town's):

    * a plural name's (one word in -и, -і, -ы: "Суми", "Чернівці", "Сумы") dative,
      instrumental and locative, "Сумам", "Сумами", "у Сумах", "у Чернівцях": hard after
      ж, ч, ш, щ, к, г, х and in Russian's -ы, soft after Ukrainian's -і, either after -и
      (Ukrainian "Броварами", Russian "Грязями");
    * the instrumental of a feminine noun in -ь, -ью ("Тверью", "Кубанью"; "Грязью" is
      no case of "Грязи", "Зеленью" none of "Зелене")."""
    stem, final = name[:-1], name[-1]
    if final == "ь":
        return [stem + "ью"]
    if final not in PLURAL_FINALS or len(stem) < 2:
        return []
    endings: tuple[str, ...] = _HARD_PLURAL
    if final != "ы" and stem[-1] not in _HARD_BEFORE_PLURAL:
        endings = _SOFT_PLURAL if final == "і" else _HARD_PLURAL + _SOFT_PLURAL
    return [stem + ending for ending in endings]


# A feminine name of ``MIN_STEM`` letters in -а ("Доха", "Рига", "Ялта", "Буча") has a stem
# under ``MIN_STEM``, which the stems never read: its case forms are read as whole words
# (``short_case_forms``). The endings by the stem's last consonant: after ж, ч, ш, щ the
# genitive -і (Ukrainian) or -и (Russian) and the instrumental -ею/-ей ("Бучею"); after
# г, к, х the genitive -и and the Ukrainian locative -і after ``_ALTERNATING`` ("у Досі",
# "у Ризі"); after another the genitive -и (Ukrainian) or -ы (Russian) and the locative -і.
# Every one: the Russian locative -е, the accusative -у.
_SHORT_ENDINGS_SIBILANT = ("и", "і", "е", "у", "ей", "ею")
_SHORT_ENDINGS_VELAR = ("и", "е", "у", "ой", "ою")
_SHORT_ENDINGS_HARD = ("и", "ы", "і", "е", "у", "ой", "ою")


def short_case_forms(name: str) -> list[str]:
    """The case forms of a feminine Cyrillic name (casefolded) of ``MIN_STEM`` letters in -а,
    read as whole words: "доха" -> "дохи", "дохе", "доху", "дохой", "дохою", "досі". A
    name of other letters or length gives none (its stem is read, or it is indeclinable:
    "Осло", "Баку")."""
    if len(name) != MIN_STEM or name[-1] != "а" or name[-2] in VOWELS:
        return []
    stem = name[:-1]
    if stem[-1] in "жчшщ":
        return [stem + ending for ending in _SHORT_ENDINGS_SIBILANT]
    if stem[-1] in _ALTERNATING:
        alternated = stem[:-1] + _ALTERNATING[stem[-1]]
        return [*(stem + ending for ending in _SHORT_ENDINGS_VELAR), alternated + "і"]
    return [stem + ending for ending in _SHORT_ENDINGS_HARD]


# Ukrainian's first palatalization before the ending -і (the locative, and the dative of
# nouns in -а): к -> ц, г -> з, х -> с ("Кременчук" -> "у Кременчуці", "Каховка" -> "у
# Каховці", "Прага" -> "у Празі").
_ALTERNATING = {"к": "ц", "г": "з", "х": "с"}
# Ukrainian's і of a closed final syllable is о (or е) where the syllable opens in the
# case forms: "Ріг" -> "Рогу", "у Розі"; "Харків" -> "у Харкові".
_OPENED_VOWELS = ("о", "е")
VOWELS = "аеєиіїоуюяыэё"


def _oblique_stems(stem: str, closed: bool) -> list[str]:
    """``stem`` and the stems its case forms take: the final consonant alternated before -і
    (``_ALTERNATING``) and, where the nominative ends in a consonant or the soft sign
    (``closed``) and the stem's last vowel is an і before its last consonant, that і opened
    (``_OPENED_VOWELS``; "Сміла" keeps its і: the syllable is open already)."""
    found = [stem]
    if closed and len(stem) >= 3 and stem[-2] == "і" and stem[-1] not in VOWELS:
        found += [stem[:-2] + vowel + stem[-1] for vowel in _OPENED_VOWELS]
    found += [s[:-1] + _ALTERNATING[s[-1]] for s in list(found) if s[-1] in _ALTERNATING]
    return found


def cyrillic_stem(token: str, stems: dict[str, str]) -> str | None:
    """The stem of ``stems`` that ``token`` is with one of ``CYRILLIC_ENDINGS``, the
    longest ending tried first, a stem taking only the endings ``STEM_FINALS`` allows it."""
    for length, endings in _CYRILLIC_ENDINGS_BY_LENGTH:
        if len(token) - length >= MIN_STEM and token[-length:] in endings:
            stem = token[:-length]
            if stem in stems and _takes(stem, token[-length:]):
                return stem
    return None


def _takes(stem: str, ending: str) -> bool:
    """Whether ``stem`` takes ``ending`` (``STEM_FINALS``; every other ending, any stem)."""
    finals = STEM_FINALS.get(ending)
    return finals is None or stem[-1] in finals


def pair_stems(key: str) -> list[str]:
    """The stems a Cyrillic word of a two-word name may have: itself and itself without
    each case ending that leaves two letters or more."""
    return [key] + [
        key[: -len(ending)]
        for ending in _PAIR_ENDINGS
        if key.endswith(ending) and len(key) - len(ending) >= 2
    ]
