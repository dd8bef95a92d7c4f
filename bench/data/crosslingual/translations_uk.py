"""Hand translations of the real Ukrainian items (Texty.org.ua, Ukrinform) into Russian and English.

Keyed by the real item's id (see build.py); the leads follow the feed's own summary,
shortened, with nothing added. The Ukrinform items (captured.jsonl) are headlines without a
summary: their leads restate the headline and name Ukrinform, the only thing added.
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
    # Ukrinform (captured.jsonl): headline-only items; the lead restates the headline and
    # names the original outlet.
    "ukrinform-3702941": {
        "en": (
            "Ukrainian forces have killed 190,960 Russian invaders so far",
            "The Armed Forces of Ukraine have already killed 190,960 Russian invaders, Ukrinform reports.",
        ),
        "ru": (
            "ВСУ уничтожили уже 190 960 российских захватчиков",
            "Вооруженные силы Украины уничтожили уже 190 960 российских захватчиков, сообщает Укринформ.",
        ),
    },
    "ukrinform-3703928": {
        "en": (
            "Ukraine's Armed Forces have eliminated 191,940 Russian invaders so far",
            "The Armed Forces of Ukraine have already eliminated 191,940 Russian invaders, Ukrinform reports.",
        ),
        "ru": (
            "ВСУ ликвидировали уже 191 940 российских захватчиков",
            "Вооруженные силы Украины ликвидировали уже 191 940 российских захватчиков, сообщает Укринформ.",
        ),
    },
    "ukrinform-3703012": {
        "en": (
            "Russians attacked 11 regions of Ukraine in past day - regional administrations' summary",
            "Russian forces attacked 11 regions of Ukraine over the past day, according to the summary of "
            "the regional military administrations, Ukrinform reports.",
        ),
        "ru": (
            "Россияне за сутки атаковали 11 областей Украины — сводка ОВА",
            "За сутки россияне атаковали 11 областей Украины, следует из сводки областных военных "
            "администраций, сообщает Укринформ.",
        ),
    },
    "ukrinform-3703575": {
        "en": (
            "Russians shelled nine regions of Ukraine in past day - regional administrations' summary",
            "Russian forces shelled nine regions of Ukraine over the past day, according to the summary of "
            "the regional military administrations, Ukrinform reports.",
        ),
        "ru": (
            "Россияне за сутки обстреляли девять областей Украины — сводка ОВА",
            "За сутки россияне обстреляли девять областей Украины, следует из сводки областных военных "
            "администраций, сообщает Укринформ.",
        ),
    },
    "ukrinform-3704026": {
        "en": (
            "Invaders attacked 11 Ukrainian regions in past day - regional administrations' summary",
            "The invaders attacked 11 regions of Ukraine over the past day, according to the summary of "
            "the regional military administrations, Ukrinform reports.",
        ),
        "ru": (
            "Захватчики за сутки атаковали 11 регионов Украины — сводка ОВА",
            "За сутки захватчики атаковали 11 регионов Украины, следует из сводки областных военных "
            "администраций, сообщает Укринформ.",
        ),
    },
    "ukrinform-3704553": {
        "en": (
            "Russians attacked ten regions of Ukraine in past day - regional administrations' summary",
            "Russian forces attacked ten regions of Ukraine over the past day, according to the summary of "
            "the regional military administrations, Ukrinform reports.",
        ),
        "ru": (
            "Россияне за сутки атаковали десять областей Украины — сводка ОВА",
            "За сутки россияне атаковали десять областей Украины, следует из сводки областных военных "
            "администраций, сообщает Укринформ.",
        ),
    },
    "ukrinform-3705525": {
        "en": (
            "Russians attacked nine Ukrainian regions in past day - regional administrations' summary",
            "Russian forces attacked nine regions of Ukraine over the past day, according to the summary of "
            "the regional military administrations, Ukrinform reports.",
        ),
        "ru": (
            "Россияне за сутки атаковали девять регионов Украины — сводка ОВА",
            "За сутки россияне атаковали девять регионов Украины, следует из сводки областных военных "
            "администраций, сообщает Укринформ.",
        ),
    },
    "ukrinform-3705879": {
        "en": (
            "Russian troops shelled nine regions of Ukraine in past day - regional administrations' summary",
            "Russian troops shelled nine regions of Ukraine over the past day, according to the summary of "
            "the regional military administrations, Ukrinform reports.",
        ),
        "ru": (
            "Войска РФ за сутки обстреляли девять областей Украины — сводка ОВА",
            "За сутки войска РФ обстреляли девять областей Украины, следует из сводки областных военных "
            "администраций, сообщает Укринформ.",
        ),
    },
    "ukrinform-3702924": {
        "en": (
            "Ukrainian forces repel more than 36 enemy attacks on three axes in past day",
            "Over the past day the Armed Forces of Ukraine repelled more than 36 enemy attacks on three axes, "
            "Ukrinform reports.",
        ),
        "ru": (
            "ВСУ за сутки отбили более 36 атак противника на трех направлениях",
            "За сутки Вооруженные силы Украины отбили более 36 атак противника на трех направлениях, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3703675": {
        "en": (
            "Rada extends martial law and general mobilization for another 90 days",
            "The Verkhovna Rada has extended martial law and general mobilization for another 90 days, "
            "Ukrinform reports.",
        ),
        "ru": (
            "Рада продлила военное положение и всеобщую мобилизацию еще на 90 суток",
            "Верховная Рада продлила военное положение и всеобщую мобилизацию еще на 90 суток, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3703877": {
        "en": (
            "President awards 63 service members",
            "Ukraine's President has awarded 63 service members, Ukrinform reports.",
        ),
        "ru": (
            "Президент наградил 63 военных",
            "Президент Украины наградил 63 военнослужащих, сообщает Укринформ.",
        ),
    },
    "ukrinform-3703640": {
        "en": (
            "SBU exposes dealers who financed 'DPR' militants with more than UAH 50 million",
            "The Security Service of Ukraine has exposed dealers who financed 'DPR' militants with more than "
            "UAH 50 million, Ukrinform reports.",
        ),
        "ru": (
            "СБУ разоблачила дельцов, профинансировавших боевиков «ДНР» более чем на 50 миллионов гривен",
            "Служба безопасности Украины разоблачила дельцов, которые профинансировали боевиков «ДНР» "
            "более чем на 50 миллионов гривен, сообщает Укринформ.",
        ),
    },
    "ukrinform-3703814": {
        "en": (
            "Ban on fish and timber from Russia: Rada calls on the world to expand sanctions",
            "The Verkhovna Rada calls on the world to expand sanctions and ban fish and timber from Russia, "
            "Ukrinform reports.",
        ),
        "ru": (
            "Запрет на рыбу и древесину из России: Рада призывает мир расширить санкции",
            "Верховная Рада призывает мир расширить санкции и запретить рыбу и древесину из России, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3704829": {
        "en": (
            "Zelensky and Rutte call on Russia to stop the war immediately",
            "Zelensky and Rutte have called on Russia to stop the war immediately, Ukrinform reports.",
        ),
        "ru": (
            "Зеленский и Рютте призвали Россию немедленно прекратить войну",
            "Зеленский и Рютте призвали Россию немедленно прекратить войну, сообщает Укринформ.",
        ),
    },
    "ukrinform-3702909": {
        "en": (
            "American volunteer Cooper Andrews killed in Bakhmut",
            "Cooper Andrews, an American volunteer, has been killed in Bakhmut, Ukrinform reports.",
        ),
        "ru": (
            "В Бахмуте погиб американский доброволец Купер Эндрюс",
            "В Бахмуте погиб американский доброволец Купер Эндрюс, сообщает Укринформ.",
        ),
    },
    "ukrinform-3702927": {
        "en": (
            "Russians attacked Ukraine with strategic aviation, launched 18 cruise missiles - Zaluzhnyi",
            "Russia attacked Ukraine with strategic aviation and launched 18 cruise missiles, Zaluzhnyi said, "
            "as reported by Ukrinform.",
        ),
        "ru": (
            "Россияне атаковали Украину со стратегической авиации, выпустили 18 крылатых ракет — Залужный",
            "Россия атаковала Украину со стратегической авиации и выпустила 18 крылатых ракет, заявил "
            "Залужный, сообщает Укринформ.",
        ),
    },
    "ukrinform-3703038": {
        "en": (
            "Putin did not appoint a commander for the invasion of Ukraine so as to claim 'victory' for himself - ISW",
            "Putin has not appointed a commander of the invasion of Ukraine so that he can claim the "
            "'victory' for himself, the ISW says, Ukrinform reports.",
        ),
        "ru": (
            "Путин не назначал командующего вторжением в Украину, чтобы приписать «победу» себе — ISW",
            "Путин не назначал командующего вторжением в Украину, чтобы приписать «победу» себе, считают "
            "в ISW, сообщает Укринформ.",
        ),
    },
    "ukrinform-3703134": {
        "en": (
            "Of the Western tanks, Ukraine already has Leopards and Challengers - Reznikov",
            "Of the Western tanks, Leopards and Challengers are already in Ukraine, Reznikov said, "
            "Ukrinform reports.",
        ),
        "ru": (
            "Из западных танков в Украине уже есть «Леопарды» и «Челленджеры» — Резников",
            "Из западных танков в Украине уже есть «Леопарды» и «Челленджеры», заявил Резников, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3703164": {
        "en": (
            "Ukraine asks Japan for electronic warfare equipment against Russian drones",
            "Ukraine has asked Japan for electronic warfare equipment to counter Russian drones, Ukrinform reports.",
        ),
        "ru": (
            "Украина попросила у Японии средства радиоэлектронной борьбы с российскими дронами",
            "Украина попросила у Японии средства радиоэлектронной борьбы с российскими дронами, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3703077": {
        "en": (
            "Payments of 30,000 to service members: petition to the President gets the required number of votes",
            "A petition to the President on payments of 30,000 to service members has gathered the required "
            "number of votes, Ukrinform reports.",
        ),
        "ru": (
            "Выплаты 30 тысяч военным: петиция Президенту набрала необходимое количество голосов",
            "Петиция Президенту о выплатах 30 тысяч военным набрала необходимое количество голосов, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3747976": {
        "en": (
            "German Finance Minister arrives in Kyiv",
            "Germany's Minister of Finance has arrived in Kyiv, Ukrinform reports.",
        ),
        "ru": (
            "Министр финансов Германии прибыл в Киев",
            "В Киев прибыл министр финансов Германии, сообщает Укринформ.",
        ),
    },
    "ukrinform-3767199": {
        "en": (
            "French Defence Minister arrives in Kyiv",
            "France's Minister of Defence has arrived in Kyiv, Ukrinform reports.",
        ),
        "ru": (
            "В Киев прибыл министр обороны Франции",
            "В Киев прибыл министр обороны Франции, сообщает Укринформ.",
        ),
    },
    "ukrinform-3773482": {
        "en": (
            "Russia must pay for its aggression: G7 finance ministers in Morocco back Ukraine",
            "G7 finance ministers meeting in Morocco have backed Ukraine and said Russia must pay for its "
            "aggression, Ukrinform reports.",
        ),
        "ru": (
            "Россия должна заплатить за агрессию: министры финансов G7 в Марокко поддержали Украину",
            "Министры финансов G7 в Марокко поддержали Украину: Россия должна заплатить за агрессию, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3793929": {
        "en": (
            "At OSCE Ministerial Council, 36 countries call on Russia to withdraw its troops from Ukraine immediately",
            "At the OSCE Ministerial Council, 36 countries called on Russia to withdraw its troops from Ukraine "
            "immediately, Ukrinform reports.",
        ),
        "ru": (
            "На Совете министров ОБСЕ 36 стран призвали Россию немедленно вывести войска из Украины",
            "На Совете министров ОБСЕ 36 стран призвали Россию немедленно вывести войска из Украины, "
            "сообщает Укринформ.",
        ),
    },
    "ukrinform-3793711": {
        "en": (
            "SBU serves notice of suspicion on ex-accountant who rose to 'LPR deputy minister'",
            "The SBU has served a notice of suspicion on a former accountant who rose to become a "
            "'deputy minister of the LPR', Ukrinform reports.",
        ),
        "ru": (
            "СБУ сообщила о подозрении экс-бухгалтеру, дослужившемуся до «заместителя министра ЛНР»",
            "СБУ сообщила о подозрении бывшему бухгалтеру, который дослужился до «заместителя министра ЛНР», "
            "сообщает Укринформ.",
        ),
    },
    # distractors shown only in translation (the Ukrainian original is withheld)
    "ukrinform-3704895": {
        "ru": (
            "Время комендантского часа в Запорожье не изменится — горсовет",
            "Время комендантского часа в Запорожье не изменится, сообщил городской совет; об этом пишет Укринформ.",
        ),
    },
    "ukrinform-3760594": {
        "en": (
            "British Foreign Secretary heads to Turkey to talk about the war and the grain initiative",
            "Britain's Foreign Secretary is travelling to Turkey to talk about the war and the grain "
            "initiative, Ukrinform reports.",
        ),
    },
    "ukrinform-3780019": {
        "en": (
            "G7 ministers condemn Russia's war against Ukraine and attacks on grain infrastructure",
            "G7 ministers have condemned Russia's war against Ukraine and its attacks on grain "
            "infrastructure, Ukrinform reports.",
        ),
    },
}
