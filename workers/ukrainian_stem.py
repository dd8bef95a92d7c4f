"""Ukrainian stems: the steps of Snowball's Russian stemmer with Ukrainian endings (pure).

Snowball has no Ukrainian stemmer, and its Russian one leaves the Ukrainian endings in
і, ї, є and "-ів" on the word: "загиблі" / "загиблих" (the dead), "обстріли" /
"обстрілу" (shelling), "танків" / "танки" (tanks) stay apart under it. This follows the Russian
algorithm's first step (snowballstem.org, "Russian stemming algorithm"), which is where
the endings are, with the endings of Ukrainian grammar:

* the region where endings may go is what follows the word's first vowel (RV);
* a perfective gerund ending ("-вши", "-ивши") ends the step; otherwise a reflexive
  ending ("-ся", or "-сь" after a vowel) goes, then the first of an adjective, a verb or
  a noun ending that the word has, longest first;
* then a final "-и" or soft sign, and a double "нн" becomes "н".

Verb endings of the past tense ("-в", "-ла", "-ли") and of the infinitive ("-ти") count
only after "а" or "я", as in Russian, so that nouns ending in "-ла" keep their stem; after
"и" and "у" the whole ending is listed ("оголосив" / "оголосила", "загинув" / "загинули").
Like any light stemmer it conflates a few unrelated words and misses the vowel
alternations of Ukrainian roots ("Львів" / "Львову"); names are never stemmed by the
clusterer (workers/story_features.py), so those stay as written.
"""

from __future__ import annotations

import re

_VOWEL = re.compile(r"[аеиоуюяіїє]")
_PERFECTIVE_GERUND = re.compile(r"(?:ивши|ившись|(?<=[ая])(?:вши|вшись))$")
# "-сь" only after a vowel, as verbs take it ("сталось", "вдалась"): nouns end in a
# consonant and "-сь" ("вісь", "рись") and keep it. "-си" is no standard Ukrainian ending but
# the plural of nouns in "-с" ("курси", "ресурси", "траси"), which keep it for the noun step.
_REFLEXIVE = re.compile(r"(?:ся|(?<=[аеиоуюяіїє])сь)$")
_ADJECTIVE = re.compile(
    r"(?:ими|іми|ього|ого|ьому|ому|ої|ою|ій|ий|ім|им|их|іх|ая|яя|ее|ую|юю|еє|єє)$"
)
_VERB = re.compile(
    r"(?:(?<=[ая])(?:ла|ло|ли|в|ти|ть|ють|ємо|єте|є|ю|л)"
    r"|ила|ило|или|ил|ив|ула|уло|ули|ув|ити|іти|ить|іть|ять|ать|ують|юють|ує|ює|уть|имо|ите)$"
)
_NOUN = re.compile(
    r"(?:ями|ами|ові|еві|єві|ах|ях|ям|ам|ом|ем|єм|ою|ею|ією|єю|ів|їв|ей|ій|ія|ії|ію"
    r"|а|е|є|и|і|ї|й|о|у|ю|я|ь)$"
)
_STEP_ONE = (_ADJECTIVE, _VERB, _NOUN)


def ukrainian_stem(word: str) -> str:
    """The stem of a casefolded Ukrainian word (the word itself when it has no vowel)."""
    first_vowel = _VOWEL.search(word)
    if first_vowel is None:
        return word
    start, rv = word[: first_vowel.end()], word[first_vowel.end() :]
    stripped = _PERFECTIVE_GERUND.sub("", rv)
    if stripped == rv:
        rv = _REFLEXIVE.sub("", rv)
        for ending in _STEP_ONE:
            stripped = ending.sub("", rv)
            if stripped != rv:
                break
    rv = stripped.removesuffix("и").removesuffix("ь")
    if rv.endswith("нн"):
        rv = rv[:-1]
    return start + rv
