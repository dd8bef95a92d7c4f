"""Hand translations of the real Russian-language items (title, lead) into Ukrainian and English.

Keyed by the real item's id (see build.py). Most of these feed items carry a headline only
(the scraper-made feeds repeat the title as the summary); their translated leads restate the
headline and name the original outlet ("... reports The Insider"), which is the only thing
added. Names are transliterated the way outlets of each language write them.
"""

TR = {
    "holod-18": {
        "uk": (
            "Десятки людей загинули внаслідок удару по кафе та готелю в Херсонській області",
            "Про загибель десятків людей під час удару по кафе і готелю на Херсонщині повідомляє видання «Холод».",
        ),
        "en": (
            "Dozens killed in strike on cafe and hotel in Kherson region",
            "Dozens of people were killed in a strike on a cafe and a hotel in the Kherson region, "
            "the Russian outlet Kholod reports.",
        ),
    },
    "novaya-0": {
        "uk": (
            "В анексованому Криму офіційно почали сповільнювати й вимикати мобільний інтернет",
            "«Люди можуть не дізнатися про атаку»: «Нова газета Європа» з'ясувала, чому навіть "
            "прихильники війни не підтримали такий захід.",
        ),
        "en": (
            "Annexed Crimea officially starts slowing and cutting mobile internet",
            "'People may not find out about an attack': Novaya Gazeta Europe looked into why even "
            "supporters of the war did not back the measure.",
        ),
    },
    "novaya-6": {
        "uk": (
            "У США оприлюднили розмови Путіна і Буша-молодшого про Іран, КНДР і Україну",
            "«Вступ України до НАТО створить поле конфлікту для вас і для нас». «Нова газета Європа» "
            "розповідає головне з документів.",
        ),
        "en": (
            "US discloses Putin's talks with George W. Bush on Iran, North Korea and Ukraine",
            "'Ukraine joining NATO will create a field of conflict for you and for us': Novaya Gazeta "
            "Europe sums up the main points of the documents.",
        ),
    },
    "novaya-8": {
        "uk": (
            "Призов до армії цілий рік, традиційне кіно, більше податків: які закони набудуть чинності в Росії у 2026 році",
            "«Нова газета Європа» розповідає, які закони почнуть діяти у 2026 році і як вони змінять життя росіян.",
        ),
        "en": (
            "Year-round military conscription, traditional cinema, more taxes: Russia's new laws for 2026",
            "Novaya Gazeta Europe lists the laws taking effect in 2026 and how they will change Russians' lives.",
        ),
    },
    "novaya-11": {
        "uk": (
            "СБУ уразила танкер російського тіньового флоту",
            "Це не перша й не остання атака дронів у морі, але чи стане вона початком морського етапу "
            "війни, запитує «Нова газета Європа».",
        ),
        "en": (
            "Ukraine's SBU hits Russian shadow fleet tanker",
            "It is neither the first nor the last drone attack at sea, but will it mark the start of a "
            "naval phase of the war, asks Novaya Gazeta Europe.",
        ),
    },
    "novaya-19": {
        "uk": (
            "Зеленський і Трамп не погодили мирний план на зустрічі у Флориді",
            "З двадцяти пунктів спірними лишаються два: питання територій і управління Запорізькою АЕС. "
            "«Нова газета Європа» розбирає позиції сторін.",
        ),
        "en": (
            "Zelensky and Trump fail to agree peace plan at Florida meeting",
            "Two of the twenty points remain in dispute: territory and the management of the "
            "Zaporizhzhia nuclear power plant. Novaya Gazeta Europe looks at both sides' positions.",
        ),
    },
    "novaya-27": {
        "uk": (
            "Російські генерали звітують про успіхи, в Україні кажуть, що армія РФ бере міста «в кредит»",
            "Українці називають заяви російських генералів фейками, пише «Нова газета Європа».",
        ),
        "en": (
            "Russian generals keep reporting gains; Ukrainians say Russia's army takes towns 'on credit'",
            "Ukrainians call the Russian generals' claims fakes, Novaya Gazeta Europe reports.",
        ),
    },
    "novaya-41": {
        "uk": (
            "Вірменія збирається видати Росії антивоєнного емігранта Володимира Ухалова",
            "«Нова газета Європа» поговорила з Ухаловим, який називав ФСБ злочинною організацією.",
        ),
        "en": (
            "Armenia set to extradite anti-war emigrant Vladimir Ukhalov to Russia",
            "Novaya Gazeta Europe spoke to Ukhalov, who had called the FSB a criminal organisation.",
        ),
    },
    "bbcru-5": {
        "uk": (
            "Нова норма: чому публікація розмови Віткоффа з Ушаковим (не) поставить хрест на переговорах про мир в Україні",
            "Російська служба BBC аналізує, чи зірве оприлюднення розмови Віткоффа та Ушакова мирні переговори.",
        ),
        "en": (
            "The new normal: why publication of Witkoff's call with Ushakov will (not) end talks on peace in Ukraine",
            "BBC Russian looks at whether the publication of the Witkoff-Ushakov conversation spells the end of the peace talks.",
        ),
    },
    "bbcru-10": {
        "uk": (
            "«У нас було два вороги — українці та наше командування». Як «герой Z» став дезертиром",
            "Російська служба BBC розповідає історію «героя Z», який став дезертиром.",
        ),
        "en": (
            "'We had two enemies: the Ukrainians and our own command.' How a 'Z hero' became a deserter",
            "BBC Russian tells the story of a 'Z hero' who became a deserter.",
        ),
    },
    "bbcru-14": {
        "uk": (
            "«Центр патріотів»: як у Росії вербувальники грабують завербованих",
            "Російська служба BBC розповідає, як вербувальники в Росії грабують людей, яких завербували.",
        ),
        "en": (
            "'Patriots' Centre': how recruiters in Russia rob the people they recruit",
            "BBC Russian reports on recruiters in Russia who rob the people they have signed up.",
        ),
    },
    "bbcru-18": {
        "uk": (
            "Туди й назад: як український підліток утік із Фінляндії до Росії",
            "Російська служба BBC розповідає історію українського підлітка, який утік із Фінляндії до Росії.",
        ),
        "en": (
            "There and back: how a Ukrainian teenager ran away from Finland to Russia",
            "BBC Russian tells the story of a Ukrainian teenager who fled Finland for Russia.",
        ),
    },
    "bbcru-27": {
        "uk": (
            "«Поганий мир не влаштує близько 10% українців». Соціолог — про те, яку мирну угоду готові прийняти українці",
            "Російська служба BBC поговорила з українським соціологом Олексієм Антиповичем про настрої "
            "українців, можливі поступки в межах гіпотетичної мирної угоди і вплив корупційних скандалів "
            "на ставлення до влади.",
        ),
        "en": (
            "'A bad peace won't suit about 10% of Ukrainians': sociologist on what peace deal Ukrainians would accept",
            "BBC Russian spoke to Ukrainian sociologist Oleksiy Antypovych about Ukrainians' mood, the "
            "concessions they might make in a hypothetical peace deal and whether corruption scandals "
            "changed attitudes to the government.",
        ),
    },
    "verstka-0": {
        "uk": (
            "«Ви знали, на що йшли»: кубинців, які воюють за Росію, та їхніх близьких масово штрафують за незаконне проживання в РФ",
            "Про це пише видання «Вьорстка».",
        ),
        "en": (
            "'You knew what you were getting into': Cubans fighting for Russia and their families fined en masse for illegal residence",
            "Cubans fighting for Russia and their relatives are being fined en masse for living in Russia "
            "illegally, Verstka reports.",
        ),
    },
    "verstka-1": {
        "uk": (
            "«У мене в голові живе братик». Як воюють люди з психічними розладами",
            "«Вьорстка» розповідає, як на війні воюють люди з психічними розладами.",
        ),
        "en": (
            "'A little brother lives in my head': how people with mental disorders fight in the war",
            "Verstka reports on people with mental disorders who are fighting in the war.",
        ),
    },
    "verstka-2": {
        "uk": (
            "«З нього діла вже не буде, він помре, хай просто лежить»: репортаж із районної лікарні на Херсонщині",
            "«Вьорстка» побувала в районній лікарні в Херсонській області.",
        ),
        "en": (
            "'He's done for, he'll die, just let him lie there': report from a district hospital in Kherson region",
            "Verstka reports from a district hospital in the Kherson region.",
        ),
    },
    "verstka-12": {
        "uk": (
            "«Як навоюються, так і поговорять». Чому провалилися спроби Дональда Трампа помирити Росію та Україну",
            "«Вьорстка» аналізує, чому не вдалися спроби Трампа помирити Росію й Україну.",
        ),
        "en": (
            "'They'll talk once they've fought enough': why Donald Trump's attempts to reconcile Russia and Ukraine failed",
            "Verstka looks at why Trump's efforts to make peace between Russia and Ukraine have failed.",
        ),
    },
    "donbass-0": {
        "uk": (
            "Повертаються під обстріли: як родини з дітьми уникають евакуації на Донеччині і що робить держава",
            "Про це пише видання «Новини Донбасу».",
        ),
        "en": (
            "Back under shelling: how families with children avoid evacuation in Donetsk region and what the state does",
            "Novosti Donbasu reports on families with children in the Donetsk region who avoid evacuation.",
        ),
    },
    "donbass-1": {
        "uk": (
            "Ціни в окупації: як за три роки дорожчало в Донецьку, Маріуполі та Мелітополі",
            "«Новини Донбасу» проаналізували, як за три роки зростали ціни в Донецьку, Маріуполі й Мелітополі.",
        ),
        "en": (
            "Prices under occupation: three years of rising costs in Donetsk, Mariupol and Melitopol",
            "Novosti Donbasu traces how prices rose over three years in Donetsk, Mariupol and Melitopol.",
        ),
    },
    "donbass-2": {
        "uk": (
            "Пушилін на «прямій лінії» проігнорував зруйновані міста і гострі питання жителів Донбасу",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "Pushilin ignores ruined towns and hard questions in 'direct line' with Donbas residents",
            "Novosti Donbasu reports that Pushilin ignored destroyed towns and pointed questions during his 'direct line'.",
        ),
    },
    "donbass-3": {
        "uk": (
            "У Шереметьєві посилюють фільтрацію, українців масово розвертають. Що шукають у телефонах?",
            "«Новини Донбасу» розповідають про посилення фільтрації в аеропорту Шереметьєво.",
        ),
        "en": (
            "Filtration at Sheremetyevo tightens as Ukrainians are turned back en masse. What do they look for in phones?",
            "Novosti Donbasu reports on tougher filtration checks at Sheremetyevo airport.",
        ),
    },
    "donbass-6": {
        "uk": (
            "«Шахед» влучив у тепловоз із людьми: як гірники Донбасу виживають під час війни і де працюють після закриття шахт",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "Shahed hits locomotive carrying people: how Donbas miners survive the war and where they work after pits close",
            "Novosti Donbasu reports on the lives of Donbas miners during the war.",
        ),
    },
    "donbass-8": {
        "uk": (
            "Що відбувається на окупованих територіях після ухвалення в РФ закону про експропріацію",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "What is happening in the occupied territories after Russia passed its expropriation law",
            "Novosti Donbasu looks at the occupied territories after the adoption of Russia's expropriation law.",
        ),
    },
    "donbass-9": {
        "uk": (
            "Депутати з Приморського краю і Казані, улюбленці РПЦ і компанії, пов'язані з Мінбудом РФ: хто забудовує Маріуполь під іпотеку",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "Lawmakers from Primorye and Kazan, Orthodox Church favourites and firms tied to Russia's construction ministry: who builds mortgage housing in Mariupol",
            "Novosti Donbasu looks at who is building mortgage-financed housing in Mariupol.",
        ),
    },
    "donbass-10": {
        "uk": (
            "Як переселенцю отримати 2 млн гривень на житло: історія прикордонника з Маріуполя, звільненого з полону",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "How a displaced person can get 2 million hryvnias for housing: the story of a Mariupol border guard freed from captivity",
            "Novosti Donbasu tells the story of a border guard from Mariupol released from captivity.",
        ),
    },
    "donbass-12": {
        "uk": (
            "Ціна тиші. Що означає план «демілітаризації» Донбасу для людей і держави?",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "The price of quiet: what a plan to 'demilitarise' Donbas means for people and the state",
            "Novosti Donbasu examines the plan to 'demilitarise' Donbas.",
        ),
    },
    "donbass-13": {
        "uk": (
            "Влітку 2026 року може розпочатися «велике заселення» окупованих територій України «понаїхалими» з глибинки РФ",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "A 'great settlement' of occupied Ukraine by newcomers from Russia's provinces may begin in summer 2026",
            "Novosti Donbasu reports that the settlement of occupied Ukrainian territories may begin in summer 2026.",
        ),
    },
    "donbass-14": {
        "uk": (
            "Покровськ і Мирноград: чи захопить армія РФ їх до Нового року?",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "Pokrovsk and Myrnohrad: will Russia's army capture them by New Year?",
            "Novosti Donbasu looks at whether Russian forces will take Pokrovsk and Myrnohrad by New Year.",
        ),
    },
    "donbass-16": {
        "uk": (
            "Від співпраці до в'язниці: чому Росія позбувається українських колаборантів",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "From collaboration to prison: why Russia is getting rid of Ukrainian collaborators",
            "Novosti Donbasu looks at why Russia is jailing Ukrainians who collaborated with it.",
        ),
    },
    "donbass-17": {
        "uk": (
            "Троянди за колючим дротом: де росіяни утримують полонених українок",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "Roses behind barbed wire: where Russians hold captive Ukrainian women",
            "Novosti Donbasu reports on where Russia holds Ukrainian women prisoners.",
        ),
    },
    "donbass-19": {
        "uk": (
            "З колонії в Кіровську на обмін напередодні Нового року: довгий шлях додому журналіста з Маріуполя і бійця ТрО",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "From a prison colony in Kirovsk to a New Year's Eve exchange: the long way home of a Mariupol journalist and a territorial defence fighter",
            "Novosti Donbasu tells how a journalist from Mariupol and a territorial defence fighter came home in an exchange.",
        ),
    },
    "donbass-20": {
        "uk": (
            "Ремонти, які потребують нових ремонтів: як Росія «відбудовує» і заселяє Сєвєродонецьк",
            "Про це пишуть «Новини Донбасу».",
        ),
        "en": (
            "Repairs that need new repairs: how Russia 'rebuilds' and resettles Sievierodonetsk",
            "Novosti Donbasu reports on Russia's 'reconstruction' of Sievierodonetsk.",
        ),
    },
    "theins-1": {
        "uk": (
            "Пірати на «снігоходах»: як компанії «Дрейк» і «Морган» постачають Росії китайські деталі для «Шахедів»",
            "Розслідування The Insider.",
        ),
        "en": (
            "Pirates on 'snowmobiles': how the firms Drake and Morgan supply Russia with Chinese parts for Shaheds",
            "An investigation by The Insider.",
        ),
    },
    "theins-2": {
        "uk": (
            "Росія в обхід санкцій ввозить австрійські верстати, придатні для кування стволів гаубиць",
            "Про це з'ясував The Insider.",
        ),
        "en": (
            "Russia imports Austrian machine tools fit for forging howitzer barrels, bypassing sanctions",
            "The Insider reports that Russia is evading sanctions to import the machines.",
        ),
    },
    "theins-3": {
        "uk": (
            "Віза в один кінець: як влада російських регіонів бере участь у вербуванні арабських найманців на війну",
            "Розслідування The Insider.",
        ),
        "en": (
            "One-way visa: how Russian regional authorities help recruit Arab mercenaries for the war",
            "An investigation by The Insider.",
        ),
    },
    "theins-6": {
        "uk": (
            "Директор французької компанії, що продає зброю ЗСУ, літає до Москви і керує грошима «кремлівського общака»",
            "«Паризький консильєрі» — розслідування The Insider.",
        ),
        "en": (
            "Head of French firm selling arms to Ukraine's army flies to Moscow and manages 'Kremlin slush fund' money",
            "'The Paris consigliere': an investigation by The Insider.",
        ),
    },
    "theins-7": {
        "uk": (
            "«Нам забороняють казати, що це для війни»: як сотні тисяч школярів залучили до розробки дронів під виглядом освітніх гуртків",
            "Розслідування The Insider.",
        ),
        "en": (
            "'We're not allowed to say it's for the war': how hundreds of thousands of schoolchildren were drawn into drone development disguised as school clubs",
            "An investigation by The Insider.",
        ),
    },
    "theins-19": {
        "uk": (
            "Ян на службі ФСБ: як завербований шахрай-мільярдер Ян Марсалек облаштувався в Москві і бере участь у спецопераціях в Україні",
            "Розслідування The Insider.",
        ),
        "en": (
            "Jan in the FSB's service: how recruited fraudster billionaire Jan Marsalek settled in Moscow and takes part in special operations in Ukraine",
            "An investigation by The Insider.",
        ),
    },
    "theins-20": {
        "uk": (
            "«Підвели до якоїсь жінки і сказали, що впіймали на гарячому»: як кадировці використовують провокації з дівчатами для вербування на війну",
            "Розслідування The Insider.",
        ),
        "en": (
            "'They led me to some woman and said I'd been caught red-handed': how Kadyrov's men use set-ups with women to recruit for the war",
            "An investigation by The Insider.",
        ),
    },
    "theins-22": {
        "uk": (
            "Війна і вино: дефіцитний бюджет і атаки дронів не заважають процвітати виноробням Путіна біля його палацу в Геленджику та в Криму",
            "Розслідування The Insider.",
        ),
        "en": (
            "War and wine: a budget deficit and drone strikes fail to stop Putin's wineries around his Gelendzhik palace and in Crimea from thriving",
            "An investigation by The Insider.",
        ),
    },
    "theins-25": {
        "uk": (
            "Продавці ненависті: за час війни доходи Скабєєвої та Попова зросли в півтора раза, вони купили елітний особняк",
            "Про це з'ясував The Insider.",
        ),
        "en": (
            "Merchants of hate: Skabeyeva and Popov's income rose by half during the war, and they bought a luxury mansion",
            "The Insider reports on the propagandists' earnings.",
        ),
    },
    "theins-27": {
        "uk": (
            "Пов'язана з Дерипаскою фірма купила реактивні двигуни на основі американської технології, їх ставлять на «Шахеди»",
            "Про це з'ясував The Insider.",
        ),
        "en": (
            "Deripaska-linked firm bought jet engines based on US technology that are fitted to Shaheds",
            "The Insider reports.",
        ),
    },
    "theins-28": {
        "uk": (
            "The Insider встановив головних брокерів підсанкційного імпорту до Росії",
            "«Комусь не можна, а комусь митниця» — розслідування The Insider.",
        ),
        "en": (
            "The Insider identifies the main brokers of sanctioned imports into Russia",
            "An investigation by The Insider into who brings sanctioned goods into Russia.",
        ),
    },
    "theins-29": {
        "uk": (
            "Від «нелегалів» до «психоперацій»: як змінюється діяльність ГРУ в Європі",
            "Розслідування The Insider.",
        ),
        "en": (
            "From 'illegals' to 'psy-ops': how GRU activity in Europe is changing",
            "An investigation by The Insider.",
        ),
    },
    "theins-31": {
        "uk": (
            "Російський ВПК критично залежить від імпорту хімічної продукції, зокрема західної, — The Insider",
            "Про це з'ясував The Insider.",
        ),
        "en": (
            "Russia's defence industry is critically dependent on imported chemicals, including Western ones, The Insider finds",
            "An investigation by The Insider.",
        ),
    },
    "theins-34": {
        "uk": (
            "Російська митниця почала приховувати дані про імпорт підсанкційних товарів",
            "Про це повідомляє The Insider.",
        ),
        "en": (
            "Russian customs starts hiding data on imports of sanctioned goods",
            "The Insider reports.",
        ),
    },
    "svoboda-0": {
        "uk": (
            "Кеш і треш: рекордні пожертви фондам Медведєва",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Cash and trash: record donations to Medvedev's foundations",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-1": {
        "uk": (
            "«Приходь до мене лікуватися»: російські військові в лікарнях Білорусі",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Russian soldiers in Belarusian hospitals",
            "Radio Svoboda reports on Russian military personnel being treated in hospitals in Belarus.",
        ),
    },
    "svoboda-3": {
        "uk": (
            "Статус за гроші? Як стати «фронтовиком», не бувши на війні",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Status for money? How to become a 'frontline veteran' without being at the war",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-4": {
        "uk": (
            "«Доброкор»: нова схема вербування найманців на війну під контролем ГРУ",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "'Dobrokor': a new GRU-controlled scheme to recruit mercenaries for the war",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-5": {
        "uk": (
            "Кільце Саурона: нові вежі для ППО на «малій бетонці» навколо Москви",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Ring of Sauron: new air-defence towers on the 'small concrete ring' around Moscow",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-8": {
        "uk": (
            "«Варварські методи»: як Росія застосовує хімічну зброю у війні",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "'Barbaric methods': how Russia uses chemical weapons in the war",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-9": {
        "uk": (
            "Секретні інгредієнти: хто постачає харчування російській армії",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Secret ingredients: who supplies food to the Russian army",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-11": {
        "uk": (
            "«Іскандери» все ближче: таємна військова база в Білорусі",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Iskanders ever closer: a secret military base in Belarus",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-13": {
        "uk": (
            "Таємниця центру «Рубікон»: спецназ БпЛА в парку «Патріот»",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "The secret of the Rubicon centre: a drone special forces unit in Patriot Park",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-14": {
        "uk": (
            "«Око ГРУ»: нові способи вербування диверсантів російською військовою розвідкою",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "'Eye of the GRU': new ways Russian military intelligence recruits saboteurs",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-23": {
        "uk": (
            "Смертельний трюк: як «Мосфільм» закуповує дрони та засоби РЕБ для війни",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Deadly stunt: how Mosfilm buys drones and electronic warfare systems for the war",
            "An investigation by Radio Svoboda.",
        ),
    },
    "svoboda-27": {
        "uk": (
            "Син колишнього українського міністра Галущенка навчається в дорогому приватному коледжі у Швейцарії",
            "«Енергія Альп» — розслідування Радіо Свобода.",
        ),
        "en": (
            "Son of former Ukrainian minister Galushchenko attends expensive private college in Switzerland",
            "'Alpine energy': an investigation by Radio Svoboda.",
        ),
    },
    "svoboda-28": {
        "uk": (
            "Прихована мобілізація: іноземців змушують підписувати контракт з армією РФ",
            "Розслідування Радіо Свобода.",
        ),
        "en": (
            "Hidden mobilisation: foreigners forced to sign contracts with Russia's army",
            "An investigation by Radio Svoboda.",
        ),
    },
    "idel-1": {
        "uk": (
            "Соціологиня Олена Конєва про ставлення росіян до війни: «Близько 60% відчувають депресію або тривожність»",
            "Інтерв'ю «Idel.Реалії».",
        ),
        "en": (
            "Sociologist Elena Koneva on Russians' attitudes to the war: 'About 60% feel depression or anxiety'",
            "An interview with Idel.Realii.",
        ),
    },
    "dossier-22": {
        "uk": (
            "Центр «Досьє» знайшов імовірних мародерів, чиї посилки застрягли на шляху до Росії",
            "Командир взводу — перекупник авто, ротний — шахрай, комбат — злісний боржник.",
        ),
        "en": (
            "Dossier Center identifies suspected looters whose parcels got stuck on the way to Russia",
            "The platoon commander resells cars, the company commander is a fraudster, the battalion commander a persistent debtor.",
        ),
    },
    "dossier-41": {
        "uk": (
            "Розчаровані армією і Путіним та готові віддати захоплене заради миру: що насправді думають прихильники війни",
            "Дослідження Центру «Досьє».",
        ),
        "en": (
            "Disillusioned with the army and Putin, ready to give up what was seized for peace: what war supporters really think",
            "A study by the Dossier Center.",
        ),
    },
    "dossier-50": {
        "uk": (
            "У 2021 році Кремль планував захопити не лише Україну, а й Білорусь",
            "Про це пише Центр «Досьє».",
        ),
        "en": (
            "In 2021 the Kremlin planned to seize not only Ukraine but also Belarus",
            "The Dossier Center reports.",
        ),
    },
    "dossier-54": {
        "uk": (
            "«Я вважаю президента воєнним злочинцем»",
            "Інтерв'ю офіцера ФСО, який працював з Путіним і втік з Росії.",
        ),
    },
    "dossier-62": {
        "uk": (
            "Російська влада організувала акції протесту в Європі, щоб посварити Туреччину, ЄС і Україну",
            "«Мітинг під прикриттям» — розслідування Центру «Досьє».",
        ),
        "en": (
            "Russian authorities staged protests in Europe to set Turkey, the EU and Ukraine against each other",
            "'A rally under cover': an investigation by the Dossier Center.",
        ),
    },
    "dossier-63": {
        "uk": (
            "Гаманець заступника міністра: як заробляє на війні головний будівельник Міноборони Тимур Іванов",
            "Розслідування Центру «Досьє».",
        ),
        "en": (
            "The deputy minister's wallet: how defence ministry chief builder Timur Ivanov profits from the war",
            "An investigation by the Dossier Center.",
        ),
    },
    "dossier-67": {
        "uk": (
            "Минуле і майбутнє Пригожина",
            "Як власник ПВК «Вагнер» створив свою армію — і що робитиме після заколоту.",
        ),
        "en": (
            "Prigozhin's past and future",
            "How the owner of the Wagner private military company built his army, and what he will do after the mutiny.",
        ),
    },
    "dossier-76": {
        "uk": (
            "«Ховайтесь, москалики»: чим агент ГРУ займався в Україні перед вторгненням",
            "І як ведеться психологічна війна в Telegram — розслідування Центру «Досьє».",
        ),
        "en": (
            "What a GRU agent was doing in Ukraine before the invasion",
            "And how psychological warfare is waged on Telegram: an investigation by the Dossier Center.",
        ),
    },
    "dossier-87": {
        "uk": (
            "Після арешту заступника міністра оборони Іванова головним забудовником Маріуполя може стати компанія, пов'язана з Маратом Хуснулліним",
            "«Маріупольський бенефіціар» — розслідування Центру «Досьє».",
        ),
        "en": (
            "After deputy defence minister Ivanov's arrest, a company linked to Marat Khusnullin may become Mariupol's main developer",
            "'The Mariupol beneficiary': an investigation by the Dossier Center.",
        ),
    },
    "dossier-89": {
        "uk": (
            "Спокуса Бєлоусова: портрет нового міністра оборони",
            "Центр «Досьє» розповідає про нового міністра оборони Росії.",
        ),
        "en": (
            "The temptation of Belousov: a portrait of the new defence minister",
            "The Dossier Center profiles Russia's new defence minister.",
        ),
    },
    "dossier-93": {
        "uk": (
            "Точка відліку — «СВО»: як в Адміністрації президента РФ планують поставити культуру на службу війні",
            "Розслідування Центру «Досьє».",
        ),
        "en": (
            "Year zero is the 'special military operation': how the Kremlin administration plans to put culture at the service of the war",
            "An investigation by the Dossier Center.",
        ),
    },
    "dossier-94": {
        "uk": (
            "Диверсії з безпечної відстані: хто стоїть за новою тактикою ГРУ в Європі",
            "Розслідування Центру «Досьє».",
        ),
        "en": (
            "Sabotage from a safe distance: who is behind the GRU's new tactics in Europe",
            "An investigation by the Dossier Center.",
        ),
    },
    "dossier-113": {
        "uk": (
            "Осередок ГРУ в Польщі координував рецидивіст із Ростова",
            "Центр «Досьє» з'ясував, хто такий Олександр Безрукавий.",
        ),
        "en": (
            "GRU cell in Poland was coordinated by a repeat offender from Rostov",
            "The Dossier Center found out who Aleksandr Bezrukavy is.",
        ),
    },
    "dossier-125": {
        "uk": (
            "Дрони над військовими базами в Європі запускають, імовірно, з цивільних суден, пов'язаних з Росією",
            "«Кораблі, поліція і безпілотники» — розслідування Центру «Досьє».",
        ),
        "en": (
            "Drones over military bases in Europe are likely launched from Russia-linked civilian ships",
            "'Ships, police and drones': an investigation by the Dossier Center.",
        ),
    },
    "dossier-127": {
        "uk": (
            "Пірати північних морів: хто стоїть за найбільшою аферою зі страхуванням «тіньового флоту»",
            "Розслідування Центру «Досьє».",
        ),
        "en": (
            "Pirates of the northern seas: who is behind the biggest 'shadow fleet' insurance scam",
            "An investigation by the Dossier Center.",
        ),
    },
    "dossier-130": {
        "uk": (
            "Маріупольський переділ: в окупованому місті відбирають квартири навіть у прихильників Росії і передають силовикам",
            "Розслідування Центру «Досьє».",
        ),
        "en": (
            "Carve-up in Mariupol: flats in the occupied city are seized even from Russia's supporters and handed to security officials",
            "An investigation by the Dossier Center.",
        ),
    },
    "dossier-131": {
        "uk": (
            "«Нормальні в нас закінчилися у 23–24 році»: інтерв'ю капітана російської армії, який утік",
            "Про «обнулення», вимагання і шашлик у шпиталь за 30 тисяч рублів.",
        ),
        "en": (
            "'We ran out of normal ones in 2023-24': interview with a Russian army captain who fled",
            "On 'zeroing', extortion and shashlik for the hospital at 30,000 roubles.",
        ),
    },
    "dossier-37": {
        "uk": (
            "Нафта доби війни: Росія знайшла канал постачання сировини до США в обхід санкцій",
            "Розслідування Центру «Досьє».",
        ),
        "en": (
            "Wartime oil: Russia found a channel to supply crude to the US bypassing sanctions",
            "An investigation by the Dossier Center.",
        ),
    },
    # Distractors kept only in translation (the Russian original is not in the stream).
    "bbcru-4": {
        "uk": (
            "«Нас оголошують терористами»: як росіяни раптово залишаються без банківських послуг за кордоном",
            "Російська служба BBC розповідає, як росіяни втрачають доступ до банків за кордоном.",
        ),
    },
    "donbass-22": {
        "uk": (
            "Виїзд з окупації: як люди з простроченими паспортами стають жертвами перевізників",
            "Про це пишуть «Новини Донбасу».",
        ),
    },
    "idel-4": {
        "uk": (
            "«Я очікую великої ескалації війни»: політемігрант із Саратова Дмитро Цибірьов — про стрімку мілітаризацію російських шкіл",
            "Інтерв'ю «Idel.Реалії».",
        ),
    },
    "dossier-109": {
        "uk": (
            "Мазутний слід біля Кіпру: як танкери російського тіньового флоту загрожують Середземному морю",
            "Розслідування Центру «Досьє».",
        ),
    },
    "novaya-25": {
        "en": (
            "Parallel firs: how Danish Christmas trees reach Russian markets and Red Square despite sanctions",
            "Novaya Gazeta Europe traces the trees' route around the sanctions.",
        ),
    },
    "donbass-7": {
        "en": (
            "The gas bubble burst: how unrecognised Transnistria lives without Ukrainian transit of Russian gas",
            "Novosti Donbasu reports from the breakaway region.",
        ),
    },
    "theins-14": {
        "en": (
            "By the bottleneck: 9 weak spots where Russian industry critically depends on imports",
            "An investigation by The Insider.",
        ),
    },
    "dossier-114": {
        "en": (
            "Defence industry under lock: how Russian arms makers keep working under sanctions",
            "An investigation by the Dossier Center.",
        ),
    },
    "dossier-20": {
        "uk": (
            "«У Президента й Уряду є план дій, усі варіанти прораховано»",
            "Хто готує методички для російських школярів і студентів і про що в них пишуть — розслідування Центру «Досьє».",
        ),
        "en": (
            "'The President and the Government have a plan of action, all options have been worked out'",
            "Who writes the guidance manuals for Russian schoolchildren and students, and what they say: "
            "an investigation by the Dossier Center.",
        ),
    },
    "novaya-13": {
        "uk": (
            "«Підйом з колін — після повернення»: четвертий спортивний рік Росії в ізоляції",
            "Огляд «Нової газети Європа».",
        ),
    },
    "theins-10": {
        "en": (
            "Sleeping dragon: 5 simple ways China could instantly stop the war in Ukraine",
            "An analysis by The Insider.",
        ),
    },
    # A NewsAPI response of 9-10 October 2022 (captured.jsonl); the leads translate the
    # outlet's own summary where NewsAPI gave one, else restate the headline and name the outlet.
    "newsapi-korrespondent-4524231": {
        "uk": (
            "Кількість жертв ударів РФ по Запоріжжю зросла",
            "У лікарні помер постраждалий під час обстрілів 6 жовтня, а під завалами зруйнованого напередодні "
            "будинку знайшли вже 14 тіл.",
        ),
        "en": (
            "Death toll from Russian strikes on Zaporizhzhia rises",
            "A man injured in the shelling on 6 October has died in hospital, and 14 bodies have now been found "
            "under the rubble of the building destroyed the day before.",
        ),
    },
    "newsapi-zona-putin": {
        "uk": (
            "Путін назвав терактом підрив Кримського мосту й звинуватив українські спецслужби",
            "Президент Володимир Путін назвав терактом підрив Кримського мосту і звинуватив у ньому українські "
            "спецслужби.",
        ),
        "en": (
            "Putin calls Crimean Bridge blast a terrorist attack and blames Ukrainian special services",
            "President Vladimir Putin called the blast on the Crimean Bridge a terrorist attack and blamed "
            "Ukraine's special services for it.",
        ),
    },
    "newsapi-kommersant-5606453": {
        "uk": (
            "Прикордонний комітет Білорусі: Україна підірвала майже всі мости на кордоні",
            "Україна підірвала майже всі мости на кордоні з Білоруссю, заявили в прикордонному комітеті "
            "Білорусі, пише «Коммерсантъ».",
        ),
        "en": (
            "Belarus border committee: Ukraine has blown up almost all bridges on the border",
            "Ukraine has blown up almost all the bridges on the border, Belarus's border committee said, "
            "Kommersant reports.",
        ),
    },
    "newsapi-unian-12004665": {
        "uk": (
            "Знищено понад 80 окупантів і пункт управління: стало відомо про нові здобутки ЗСУ на півдні",
            "Наша авіація завдала низки ударів по опорних пунктах ворога.",
        ),
        "en": (
            "More than 80 occupiers and a command post destroyed: new gains by Ukraine's forces in the south",
            "Our aviation carried out a series of strikes on enemy strongholds.",
        ),
    },
    "newsapi-ura-1052593630": {
        "uk": (
            "«Ведомости»: переговори Путіна і голови МАГАТЕ Гроссі можуть відбутися цього тижня",
            "Переговори Путіна і голови МАГАТЕ Гроссі можуть відбутися цього тижня, пише URA.RU "
            "з посиланням на «Ведомости».",
        ),
        "en": (
            "Vedomosti: Putin may hold talks with IAEA chief Grossi this week",
            "Putin and IAEA chief Grossi may hold talks this week, URA.RU reports, citing Vedomosti.",
        ),
    },
}
