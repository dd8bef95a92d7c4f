"""Hand translations of the real Ukrainian items (Texty.org.ua) into Russian and English.

Keyed by the real item's id (see build.py); the leads follow the feed's own summary,
shortened, with nothing added.
"""

TR = {
    "texty-1": {
        "ru": (
            "Ракетный обстрел — возможность заработать. Грязные приемы телеграм-каналов для роста аудитории",
            "Информация о воздушных атаках, «точные» графики отключений, возможность подзаработать: "
            "Texty.org.ua исследовали, как анонимные телеграм-каналы заманивают аудиторию и зарабатывают на этом.",
        ),
        "en": (
            "A missile strike as a way to earn: the dirty tricks Telegram channels use to grow their audience",
            "Air-raid information, 'accurate' power-cut schedules, chances to earn extra money: Texty.org.ua "
            "examined how anonymous Telegram channels lure readers and make money from it.",
        ),
    },
    "texty-4": {
        "ru": (
            "Невидимая сила взрыва. Как ударная волна разрушает здания",
            "На примере конкретного удара российской армии по Киеву Texty.org.ua смоделировали, как "
            "взрывная волна проходит сквозь дома и улицы.",
        ),
        "en": (
            "The invisible force of a blast: how a shock wave destroys buildings",
            "Using one specific Russian strike on Kyiv, Texty.org.ua modelled how a blast wave travels "
            "through buildings and streets.",
        ),
    },
    "texty-6": {
        "ru": (
            "20 километров серой зоны. Линия фронта стала размытой",
            "Что такое килзона на фронте, чем она отличается от серой зоны в российско-украинской войне "
            "и сколько дней пехота сидит на позициях — проект Texty.org.ua.",
        ),
        "en": (
            "20 kilometres of grey zone: the front line has become blurred",
            "What the 'kill zone' at the front is, how it differs from the grey zone in the Russian-Ukrainian "
            "war and how many days infantry spend in their positions: a Texty.org.ua project.",
        ),
    },
    "texty-9": {
        "ru": (
            "Один из сотен тысяч. История украинского сироты, пропавшего в России и лишенного идентичности",
            "Мальчик из Херсонской области остался сиротой в России. С помощью собственной методики на "
            "основе ИИ Texty.org.ua и NZZ нашли Остапа Тополина на Урале, где его отдали на усыновление.",
        ),
        "en": (
            "One of hundreds of thousands: the story of a Ukrainian orphan who vanished in Russia and lost his identity",
            "A boy from the Kherson region was left an orphan in Russia. Using their own AI-based method, "
            "Texty.org.ua and NZZ found Ostap Topolin in the Urals, where he had been given up for adoption.",
        ),
    },
}
