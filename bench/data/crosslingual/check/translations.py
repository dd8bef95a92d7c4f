"""Hand translations of the check part: real item id -> {language: (headline, lead)}.

Written for this check only, after the linker was frozen (README.md, "Check part"): each
renders one real item of captured.jsonl the way an outlet of the target language would
write it, with names, places and numbers as that outlet spells them and nothing added.
A headline-only original (no lead in the capture) gets no lead either.
"""

TR: dict[str, dict[str, tuple[str, str]]] = {
    "presskz-putin-order": {
        "uk": (
            "Міжнародний суд у Гаазі видав ордер на арешт Володимира Путіна",
            "Міжнародний кримінальний суд повідомив про видачу ордера на арешт президента "
            "Росії Володимира Путіна за воєнні злочини через його можливу причетність до "
            "незаконної депортації дітей з України.",
        ),
    },
    "vm-1000016": {
        "uk": (
            "Путін підписав договори про «прийняття» до складу РФ чотирьох областей України",
            "Президент Росії Володимир Путін підписав чотири договори про «прийняття» до "
            "складу Росії так званих ДНР і ЛНР, а також Запорізької та Херсонської областей.",
        ),
        "en": (
            "Putin signs treaties to annex four Ukrainian regions",
            "Russian President Vladimir Putin signed four treaties on incorporating the "
            'self-proclaimed Donetsk and Luhansk "people\'s republics" and the Zaporizhzhia '
            "and Kherson regions into Russia.",
        ),
    },
    "fakty-biden-kyiv": {
        "ru": (
            "Байден прибыл с визитом в Киев",
            "Президент США Джо Байден 20 февраля прибыл с официальным визитом в Киев. Это "
            "исторический день: между нынешним и предыдущим визитом американских лидеров в "
            "Украину прошло почти 15 лет.",
        ),
        "en": (
            "Biden arrives in Kyiv on a visit",
            "U.S. President Joe Biden arrived in Kyiv on an official visit on Feb. 20, the "
            "first visit by an American president to Ukraine in almost 15 years.",
        ),
    },
    "ksforum-wagner-rostov": {
        "en": (
            "Wagner fighters led by Prigozhin leave headquarters in Rostov",
            "Wagner Group owner Yevgeny Prigozhin and his fighters have left the headquarters "
            "of Russia's Southern Military District in Rostov, which they seized the day "
            "before.",
        ),
    },
    "onlineua-en-881583": {
        "uk": (
            "Відео: сьогоднішня ракетна атака росіян зруйнувала дитячу лікарню «Охматдит» у Києві",
            "У Києві під час російського обстрілу 8 липня пошкоджено приміщення дитячої "
            "лікарні «Охматдит». Пошуково-рятувальні роботи тривають, під завалами можуть "
            "бути діти.",
        ),
        "ru": (
            "Видео: сегодняшняя ракетная атака россиян разрушила детскую больницу «Охматдет» "
            "в Киеве",
            "В Киеве во время российского обстрела 8 июля повреждены помещения детской "
            "больницы «Охматдет». Поисково-спасательные работы продолжаются, под завалами "
            "могут быть дети.",
        ),
    },
    "udf-278236": {
        "en": (
            "Russia strikes Sumy with ballistic missiles on Palm Sunday, dozens killed",
            "Russian forces hit the center of Sumy with two ballistic missiles on the morning "
            "of April 13. At least 20 people are known to have been killed.",
        ),
    },
    "rusmonitor-shishimarin": {
        "uk": (
            "Шишимаріна засудили до довічного ув'язнення",
            "Київський суд засудив російського солдата Шишимаріна до довічного ув'язнення за "
            "вбивство мирного жителя України.",
        ),
    },
    "unn-exchange-200": {
        "en": (
            "Zelensky announces new exchange: 200 Ukrainians return home, including "
            "defenders of Mariupol",
            "President Volodymyr Zelensky announced a new exchange that brought home 200 "
            "Ukrainians, among them soldiers of the Armed Forces, the State Special "
            "Transport Service, border guards and National Guard members, including "
            "defenders of Mariupol.",
        ),
        "ru": (
            "Зеленский сообщил о новом обмене: домой вернулись 200 украинцев, среди них "
            "защитники Мариуполя",
            "Президент Украины Владимир Зеленский сообщил о новом обмене, в рамках которого "
            "домой вернулись 200 украинцев, в том числе военные ВСУ, Государственной "
            "специальной службы транспорта, пограничники и нацгвардейцы, среди них "
            "защитники Мариуполя.",
        ),
    },
    "24newnews-3776943": {
        "en": (
            "Moscow and Kyiv agree to present their ceasefire proposals",
            "Moscow and Kyiv agreed at the talks in Istanbul to each present their vision of "
            "a ceasefire, Vladimir Medinsky, the Russian presidential aide heading Russia's "
            "delegation, said on May 16 after the meeting.",
        ),
    },
    "rbcru-video-zelensky-leaves": {
        "uk": (
            "Від'їзд Зеленського з Білого дому. Відео",
            "Президент України Володимир Зеленський залишив Білий дім після переговорів із "
            "президентом США Дональдом Трампом, частина яких проходила на підвищених тонах.",
        ),
        "en": (
            "Zelensky leaves the White House. Video",
            "Ukrainian President Volodymyr Zelensky left the White House after talks with "
            "U.S. President Donald Trump, part of which took place in raised voices.",
        ),
    },
    "unn-vance-nypost": {
        "en": (
            '"Probably the most famous thing I\'ve done": Vance on his clash with Zelensky '
            "at the White House",
            "U.S. Vice President JD Vance said the row with Ukrainian President Volodymyr "
            'Zelensky in the Oval Office was "probably the most famous thing" he has ever '
            "done.",
        ),
    },
    "meduza-avdiivka": {
        "uk": (
            "Головнокомандувач ЗСУ Олександр Сирський оголосив про виведення українських "
            "військ з Авдіївки",
            "Головнокомандувач Збройних сил України Олександр Сирський оголосив про "
            "виведення українських військ із міста Авдіївка Донецької області.",
        ),
        "en": (
            "Ukraine's commander-in-chief Oleksandr Syrskyi announces withdrawal of troops "
            "from Avdiivka",
            "The commander-in-chief of Ukraine's Armed Forces, Oleksandr Syrskyi, announced "
            "the withdrawal of Ukrainian troops from the city of Avdiivka in Donetsk Oblast.",
        ),
    },
    "fakty-martial-2026": {
        "en": (
            "Ukraine extends martial law and mobilization: Zelensky signs the laws",
            "Volodymyr Zelensky signed the laws extending martial law and general "
            "mobilization until 05:30 on May 4, 2026.",
        ),
    },
    "ipress-378170": {
        "en": (
            "Zelensky signs laws extending martial law and mobilization",
            "Mobilization and martial law will last at least until February 3, 2026.",
        ),
        "ru": (
            "Зеленский подписал законы о продлении военного положения и мобилизации",
            "Мобилизация и военное положение продлятся как минимум до 3 февраля 2026 года.",
        ),
    },
    "krdo-cnn-2024-08-26": {
        "uk": (
            "Росія завдала смертоносного нічного удару по містах і енергомережах по всій Україні",
            "Росія вночі проти понеділка здійснила «масовану» ракетно-дронову атаку на "
            "енергетичну інфраструктуру по всій Україні, повідомили українські посадовці: "
            "щонайменше четверо загиблих, у кількох містах зникло світло.",
        ),
        "ru": (
            "Россия нанесла смертоносный ночной удар по городам и энергосетям по всей Украине",
            "Россия в ночь на понедельник нанесла «массированный» ракетно-дроновый удар по "
            "энергетической инфраструктуре по всей Украине, сообщили украинские чиновники: "
            "погибли по меньшей мере четыре человека, в нескольких городах пропал свет.",
        ),
    },
    "babel-122448": {
        "en": (
            "U.S. imposes sanctions on Russia's Rosneft and Lukoil",
            "The United States has imposed sanctions on Rosneft and Lukoil, Russia's two "
            "largest oil and gas companies. A number of their subsidiaries were also added "
            "to the sanctions list.",
        ),
    },
    "meduzamirror-crimean-bridge": {
        "uk": (
            "Під час вибуху на Кримському мосту загинуло подружжя з Бєлгородської області, "
            "їхня донька поранена",
            "За даними російського слідства, у ніч проти 17 липня спецслужби України "
            "пошкодили одну із секцій Кримського мосту. Загинули чоловік і жінка, які їхали "
            "мостом легковиком, їхня неповнолітня донька поранена.",
        ),
        "en": (
            "Couple from Belgorod region killed in Crimean Bridge blast, their daughter injured",
            "According to Russian investigators, Ukrainian special services damaged one "
            "section of the Crimean Bridge overnight into July 17. A man and a woman "
            "driving across the bridge were killed and their teenage daughter was injured.",
        ),
    },
    "kpua-a711837": {
        "en": (
            "SBU struck four military airfields in Russia on Sunday, media report",
            "In a large-scale special operation, SBU drones attacked military airfields in "
            "four regions of Russia, DW reports citing sources.",
        ),
        "ru": (
            "В воскресенье СБУ атаковала четыре военных аэродрома в России, — СМИ",
            "В рамках масштабной спецоперации дроны СБУ атаковали военные аэродромы в "
            "четырех регионах России, пишет DW со ссылкой на источники.",
        ),
    },
    "liga-ternopil-26": {
        "en": (
            "Attack on Ternopil: three children and adults unreachable, death toll rises to 26",
            "As of 20:05, 21 children were known to have been injured in Ternopil. The total "
            "death toll stands at 26, Interior Minister Ihor Klymenko said.",
        ),
        "ru": (
            "Атака на Тернополь. Трое детей и взрослые не выходят на связь, погибших уже 26 – фото",
            "По состоянию на 20:05 в Тернополе было известно о 21 пострадавшем ребенке. "
            "Общее количество погибших составляет 26 человек, сообщил министр внутренних дел "
            "Игорь Клименко.",
        ),
    },
    "babel-en-121296": {
        "uk": (
            "Польща хоче задіяти статтю 4 Статуту НАТО через ситуацію з дронами. Що це означає",
            "Польща, член НАТО, вже звернулася до Альянсу із запитом задіяти статтю 4 "
            "Північноатлантичного договору через вторгнення російських дронів у її "
            "повітряний простір у ніч на 10 вересня.",
        ),
        "ru": (
            "Польша хочет задействовать статью 4 Устава НАТО из-за ситуации с дронами. Что "
            "это значит",
            "Польша, член НАТО, уже обратилась к Альянсу с запросом задействовать статью 4 "
            "Североатлантического договора из-за вторжения российских дронов в ее воздушное "
            "пространство в ночь на 10 сентября.",
        ),
    },
    "vz-1353068": {
        "uk": ("На Алясці завершилися переговори Путіна і Трампа", ""),
        "en": ("Putin-Trump talks in Alaska end", ""),
    },
    "regionews-ua-1757229265": {
        "en": (
            "Attack on the Cabinet of Ministers building in Kyiv: fire on the upper floors",
            "The Russian army attacked the Cabinet of Ministers building for the first time "
            "since the start of the war, causing a fire",
        ),
    },
    "unn-plan28-axios": {
        "en": (
            "Trump's full 28-point peace plan between Ukraine and Russia: Axios publishes "
            "all the points",
            "Axios has published the draft of U.S. President Donald Trump's 28-point plan "
            "for peace in Ukraine, citing confirmation from Ukrainian and American officials "
            "and a source familiar with the proposal.",
        ),
        "ru": (
            "Полный мирный план Трампа из 28 пунктов между Украиной и Россией: Axios "
            "опубликовал все пункты",
            "Проект плана президента США Дональда Трампа из 28 пунктов о мире в Украине "
            "обнародовало издание Axios, ссылаясь на подтверждение украинских и "
            "американских официальных лиц и источника, знакомого с предложением.",
        ),
    },
    "liga-kryvyi-rih": {
        "en": (
            "Russian ballistic missile strike on Kryvyi Rih kills 16, including six children",
            "Russian forces struck the city of Kryvyi Rih on Friday evening, April 4, said "
            "Serhii Lysak, head of the Dnipropetrovsk Oblast Military Administration.",
        ),
    },
    "charter97-664756": {
        "uk": (
            "Зеленський: Єрмак написав заяву про відставку",
            "Президент України Володимир Зеленський у вечірньому зверненні в п'ятницю, 28 "
            "листопада, оголосив, що керівник його Офісу Андрій Єрмак іде у відставку.",
        ),
        "en": (
            "Zelensky: Yermak has submitted his resignation",
            "Ukrainian President Volodymyr Zelensky announced in his evening address on "
            "Friday, Nov. 28, that the head of his office, Andriy Yermak, is resigning.",
        ),
    },
    "drobro-390": {
        "en": (
            'Our people are home: 390 prisoners return to Ukraine under the "1,000 for '
            '1,000" exchange',
            'The first stage of the "1,000 for 1,000" prisoner exchange has taken place. '
            '"Today, 390 people. On Saturday and Sunday we expect the exchange to '
            'continue," President Volodymyr Zelensky said.',
        ),
    },
    "kyivindependent-vladimir-stop": {
        "uk": (
            "«Володимире, зупинись!» — Трамп «незадоволений» смертоносною атакою Росії на Київ",
            "Президент США Дональд Трамп 24 квітня розкритикував удар Росії по Києву, "
            "унаслідок якого загинули щонайменше дев'ятеро цивільних і 90 поранено, назвавши "
            "його «непотрібним».",
        ),
        "ru": (
            "«Владимир, остановись!» — Трамп «недоволен» смертоносной атакой России на Киев",
            "Президент США Дональд Трамп 24 апреля раскритиковал удар России по Киеву, в "
            "результате которого погибли по меньшей мере девять мирных жителей и 90 ранены, "
            "назвав его «ненужным».",
        ),
    },
    "rbcua-1755551704": {
        "en": (
            "Zelensky's meeting with Trump and EU leaders at the White House ends, but "
            "there is a catch",
            "The meeting of U.S. President Donald Trump with President Volodymyr Zelensky "
            "and the leaders of several EU countries has ended in Washington. The leaders, "
            "however, remain at the White House.",
        ),
        "ru": (
            "В Белом доме завершилась встреча Зеленского, Трампа и лидеров ЕС, но есть нюанс",
            "В Вашингтоне завершилась встреча президента США Дональда Трампа с президентом "
            "Владимиром Зеленским и лидерами ряда стран ЕС. Однако лидеры остаются в Белом "
            "доме.",
        ),
    },
    "glavnoe-epicentr": {
        "en": (
            "Many people missing after strike on Epicenter in Kharkiv",
            'After the strike on the home improvement store "we have a large number of '
            'people missing," Kharkiv Mayor Ihor Terekhov said.',
        ),
    },
    "village-341529": {
        "en": (
            "Russian missile hits Transfiguration Cathedral in Odesa; houses damaged, "
            "people injured and one killed",
            "Russian forces carried out another missile strike on Odesa overnight on July "
            "23. The Transfiguration Cathedral in the city center and the House of "
            "Scientists were damaged, as were at least six residential buildings, dozens of "
            "cars and port infrastructure.",
        ),
    },
}
