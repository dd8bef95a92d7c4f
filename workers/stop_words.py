"""Ukrainian and Russian words that say nothing about a development (pure data).

The clusterer drops English function words and the verb of attribution ("says", "said")
before weighing a headline (workers/story_text.py, ``STOP``). Ukrainian and Russian need
the same, and more of it: they inflect their pronouns and auxiliaries, so "про"/"об"
("about"), "це"/"это" ("this") or "який"/"который" ("which") appear in many forms, none of
them a word of the development. Left in, a sparse stream counts them among the rare words
two reports share (workers/story_evidence.py, ``rare_shared`` and ``rare_count``), which
made two different developments of one day look like one.

Kept to closed classes: prepositions, conjunctions, particles, pronouns and their case
forms, forms of "to be" and "can", the adverbs of time and degree that go with any news,
"new" (in the English list too) and the verbs of attribution in the past and present
(заявив / заявил, повідомив / сообщил, каже / говорит). No noun, name or verb of what
happened is here: "заява" / "заявление" (a statement, a resignation letter) stays.
Each word is written as ``story_text.fold`` reads a word of a text (casefolded).
"""

from __future__ import annotations

UKRAINIAN = frozenset(
    """а аж або адже але ані б би бо був була були було буде будуть бути в вам вас ваш
    ваша ваше ваші вже ви від він вона вони воно все всі всього всіх вся втім де для до
    же ж з за зі із і й його її їй їм їх їхній їхня їхнє їхні йому як яка яке які який
    якого якої яким якій яких якими якому якщо ще що щоб щодо на над навіть нам нас наш
    наша наше наші не неї нею нього ним ними них ні ніж ну о об от ось по під після про
    при поки проти та так також там те тим тих то тобто той тому тут у уже усі усіх
    хто хоча хоч це цей ця ці цього цієї цим цих цю цьому цією цими через чи чим чого чому між
    якою такий така таке такі такого такої таких котрий котра котре котрі мене мені
    лише тільки саме свій своє своя свої свого своєї своїх свою своїй своїм собі себе
    сам сама самі є може можуть має мають біля понад близько задля крізь без серед
    навколо вздовж перед поза коли тоді потім тепер зараз знову теж нині
    новий нова нове нові нового нової нових новим новій
    каже кажуть сказав сказала сказали заявив заявила заявили заявляє заявляють
    повідомив повідомила повідомили повідомляє повідомляють""".split()
)

RUSSIAN = frozenset(
    """а без более бы был была были было быть в вам вас ваш ваша ваше ваши весь во вот
    все всё всего всех вы где да даже для до его ее её ей ему если есть ещё еще ж же за
    здесь и из или им ими их к как какой какая какое какие когда кто ли либо между
    меня мне мы на над надо наш наша наше наши не него нее неё ней нем нём нет ни них
    ним ними но ну о об однако он она они оно от очень по под после при про против с
    со так также такой там те тем то того тоже той только том ты у уже хотя чего чем
    что чтобы эта эти это этого этой этом этот эту этим этих этому этими я который которая
    которое которые которого которой которых котором которым которую которому которыми
    такая такое такие таких нашей нашего нашим тех своей свой своего свои
    своих свою своим себя себе сам сама сами будет будут может могут около через перед
    среди вокруг вместо кроме тогда потом теперь сейчас снова опять
    новый новая новое новые нового новой новых новым
    говорит говорят сказал сказала сказали заявил заявила заявили заявляет заявляют
    сообщил сообщила сообщили сообщает сообщают""".split()
)
