"""Original prose for the bundled sample PDFs (written for this project; no third-party text).

Each document is a list of pages; each page is a list of paragraphs. The first paragraph of a page is set
as a heading where the generator says so. The ground truth of a page is its paragraphs joined by a blank line.
"""

SINGLE_PAGE_EN = [
    [
        "Keeping Bees on a City Rooftop",
        "When the first hives appeared on the roof of the old printing works on Calder Street, most of the "
        "neighbours assumed they would not last a season. The roof is exposed to wind from the river, the "
        "nearest park is a fifteen-minute walk away, and the building's caretaker was openly doubtful that "
        "anything useful could live among the ventilation ducts. Four years later the rooftop holds six "
        "colonies, and the honey they produce has become a small local legend.",
        "Urban bees do surprisingly well because cities are rarely the green deserts people imagine. Street "
        "trees such as lime and horse chestnut flower heavily in early summer, and private gardens, railway "
        "embankments and neglected lots supply a long sequence of blossom from March until the first frosts. "
        "A colony foraging within three kilometres of the roof can reach thousands of different plants, many "
        "more than a hive placed at the edge of a single crop field.",
        "The difficulties are practical rather than biological. Every frame, smoker and bucket has to be "
        "carried up a narrow staircase, and a full honey super can weigh more than twenty kilograms. Swarming "
        "is a particular worry, because a cluster of bees hanging from a bus shelter tends to alarm "
        "passers-by, so the keepers inspect the colonies every week in spring and split them before they grow "
        "crowded. Water is supplied in shallow trays filled with pebbles, which stops the bees from visiting "
        "the neighbours' swimming pools.",
        "The project has also changed how the street talks about insects. School groups visit on calm "
        "afternoons, wearing borrowed veils, and the caretaker now keeps a notebook of which trees are in "
        "flower. Honey from the roof is darker than the supermarket kind and tastes faintly of mint and lime "
        "blossom. It is sold in plain jars at the corner shop, and the money pays for new equipment and for "
        "the wildflower seed that volunteers scatter along the river path each autumn.",
    ]
]

REPORT_HEADER = "Harbour Valley Water Cooperative \u2014 Annual Operations Report 2023"

REPORT_EN = [
    [
        "1. Summary of the Year",
        "The cooperative supplied drinking water to 48,200 households and 1,130 businesses in 2023, an "
        "increase of about two percent on the previous year. Average daily production was 21.4 million "
        "litres, with a peak of 29.8 million litres during the heat wave in the second half of July. Despite "
        "that peak, no customer was placed under a usage restriction, and the reservoirs never fell below "
        "sixty percent of their capacity.",
        "The most important event of the year was the completion of the new filtration hall at the Millbrook "
        "treatment works. The hall replaces sand filters that had been in service since 1974 and allows the "
        "works to treat water from the river intake as well as from the groundwater wells. Construction "
        "finished three weeks ahead of schedule and slightly below the approved budget.",
        "Members approved two changes to the rules of the cooperative at the general assembly in May. The "
        "first allows households to vote by post, and the second creates a hardship fund that helps members "
        "who fall behind on their bills because of illness or unemployment.",
    ],
    [
        "2. Distribution Network and Leakage",
        "The distribution network consists of 612 kilometres of mains, of which roughly a quarter are cast "
        "iron pipes laid before 1960. These older mains account for most of the bursts recorded each winter, "
        "when the ground freezes and moves. In 2023 the network crews repaired 184 bursts and 1,036 smaller "
        "leaks, and replaced 9.2 kilometres of cast iron main with polyethylene pipe.",
        "Leakage is estimated by comparing the volume of water leaving the treatment works with the volume "
        "recorded by customer meters, corrected for unmetered uses such as fire fighting and the flushing of "
        "mains. By this measure, losses fell from 17.5 percent of production in 2022 to 15.1 percent in 2023. "
        "The improvement is largely due to the pressure management scheme introduced in the northern "
        "district, where night-time pressure is now reduced automatically.",
        "Acoustic loggers were installed on 340 valves during the year. The loggers listen for the "
        "characteristic hiss of escaping water and report suspected leaks each morning, which allows crews to "
        "find small faults before they become visible on the surface.",
    ],
    [
        "3. Drinking Water Quality",
        "The laboratory analysed 9,870 samples taken from the treatment works, service reservoirs and "
        "customer taps. Of the 61,300 individual tests carried out on those samples, 61,288 met the legal "
        "standard, a compliance rate of 99.98 percent. The twelve failures were all minor and were resolved "
        "within forty-eight hours; most concerned the taste or colour of water standing in customers' "
        "internal plumbing rather than the quality of the supply itself.",
        "Nitrate concentrations in the groundwater wells continued the slow decline that began when the "
        "cooperative started paying farmers in the catchment to sow winter cover crops. The average nitrate "
        "level at the Eastfield wells was 31 milligrams per litre, compared with 38 milligrams per litre five "
        "years ago and a legal limit of 50.",
        "Customers contacted the cooperative 412 times about the appearance, taste or smell of their water. "
        "The most common complaint was a chlorine taste after maintenance work, which usually disappears once "
        "the mains have been flushed.",
    ],
    [
        "4. Finances and Tariffs",
        "Total income for the year was 14.6 million, of which 12.9 million came from water charges and the "
        "remainder from connection fees, interest and the sale of surplus land. Operating costs rose by six "
        "percent to 10.8 million, driven mainly by the price of electricity for pumping, which increased by "
        "almost a third during the first half of the year.",
        "The capital programme amounted to 5.3 million, financed partly from reserves and partly from a "
        "long-term loan at a fixed rate of 3.1 percent. The largest items were the Millbrook filtration hall, "
        "the replacement of cast iron mains and the purchase of two new service vehicles with electric drive.",
        "The standing charge was left unchanged, while the volumetric tariff rose from 1.84 to 1.97 per cubic "
        "metre from the first of April. For a typical household using one hundred cubic metres a year, this "
        "means an increase of about eleven cents per week. The hardship fund paid out 38,000 to 214 "
        "households in its first eight months.",
    ],
    [
        "5. Priorities for 2024",
        "The board has set three priorities for the coming year. The first is to continue replacing old cast "
        "iron mains at a rate of at least ten kilometres a year, with the streets around the hospital and the "
        "two secondary schools at the top of the list. The second is to reduce leakage below fourteen percent "
        "by extending pressure management to the western district.",
        "The third priority is to prepare for longer and drier summers. Climate projections for the region "
        "suggest that the peak demand seen in July 2023 may become normal within fifteen years. The "
        "cooperative will therefore study a second river intake, encourage members to collect rainwater for "
        "their gardens, and offer free water audits to the fifty largest business customers.",
        "The board thanks the staff, whose work during the July heat wave kept every tap running, and the "
        "members, whose patience during street works made the year's progress possible. The next general "
        "assembly will take place on the eighteenth of May at the Millbrook community hall.",
    ],
]

TWO_COLUMN_TITLE = "Harvesting the Tides: A Short Introduction"
TWO_COLUMN_LEFT = [
    "Twice a day, the gravitational pull of the moon and the sun lifts the oceans and lets them fall again. "
    "Along most coasts the difference between high and low water is modest, but in a few narrow bays and "
    "estuaries the shape of the seabed concentrates the tide until the water rises by ten metres or more. "
    "Engineers have looked at these places for more than a century as a source of power that, unlike wind "
    "or sunshine, can be predicted years in advance.",
    "The oldest approach is the tidal barrage, a dam built across the mouth of an estuary. Water flows "
    "through sluices as the tide comes in and is held back when it turns; once the level difference is "
    "large enough, the water is released through turbines. The barrage at La Rance in Brittany has worked "
    "in this way since 1966.",
]
TWO_COLUMN_RIGHT = [
    "Barrages are expensive, however, and they change the estuaries behind them. Mudflats that feed wading "
    "birds may be drowned, and the movement of fish and sediment is disturbed. For this reason most recent "
    "projects use tidal stream turbines instead, which stand on the seabed like underwater windmills and "
    "turn in the fast currents between islands or around headlands.",
    "Stream turbines face problems of their own. Salt water corrodes metal, marine growth fouls moving "
    "parts, and maintenance can only be done during short periods of slack water. Even so, small arrays in "
    "Scotland and France have now supplied electricity to the grid for several years, and their operators "
    "expect costs to fall as designs become standard and more machines are built.",
]

FRENCH_FR = [
    [
        "Une nuit à la boulangerie",
        "À trois heures du matin, la rue des Tanneurs est encore silencieuse, mais la lumière brille déjà "
        "derrière la vitrine de la boulangerie Moreau. Depuis plus de vingt ans, Claire Moreau commence sa "
        "journée bien avant le lever du soleil. Elle pèse la farine, vérifie la température de la pâte qui a "
        "reposé toute la nuit et allume le grand four à sole que son grand-père avait fait construire après "
        "la guerre.",
        "Le secret d'une bonne baguette, dit-elle, tient moins à la recette qu'à la patience. La pâte ne "
        "contient que de la farine, de l'eau, du sel et un peu de levain, mais elle doit fermenter lentement, "
        "au frais, pendant de longues heures. C'est pendant ce repos que se développent les arômes et la "
        "croûte légèrement caramélisée que les clients reconnaissent dès la première bouchée.",
        "Vers cinq heures, les premières fournées sortent du four. Les baguettes sont posées debout dans de "
        "grands paniers en osier, les croissants refroidissent sur des grilles et l'odeur du beurre chaud "
        "envahit la rue. Le livreur passe prendre les commandes des deux restaurants voisins et de l'école "
        "primaire, qui sert du pain frais à la cantine chaque midi.",
        "Le métier a pourtant beaucoup changé. Le prix de l'électricité et de la farine a fortement augmenté, "
        "et de nombreuses petites boulangeries ont fermé dans la région ces dernières années. Claire a choisi "
        "de proposer moins de produits, mais de meilleure qualité, et de travailler avec un meunier installé "
        "à trente kilomètres. Elle forme aussi deux apprentis, car elle espère que la boutique restera "
        "ouverte bien après son départ à la retraite.",
    ]
]

GERMAN_DE = [
    [
        "Die Fahrradwerkstatt am Bahnhof",
        "Wer morgens am Bahnhof von Lindenau ankommt, sieht neben dem Eingang eine kleine Werkstatt, vor der "
        "schon um sieben Uhr die ersten Fahrräder stehen. Hier arbeitet Jonas Becker, der das Geschäft vor "
        "zwölf Jahren von seinem Onkel übernommen hat. Die meisten Kunden sind Pendler, die ihr Rad am Morgen "
        "abgeben und es am Abend repariert wieder abholen, bevor sie mit dem Zug nach Hause fahren.",
        "Die häufigsten Arbeiten sind einfach: ein platter Reifen, eine gerissene Kette, verstellte Bremsen "
        "oder ein Licht, das nicht mehr funktioniert. Schwieriger wird es bei Elektrofahrrädern, deren Zahl "
        "in den letzten Jahren stark gestiegen ist. Für Motoren und Akkus braucht man spezielle Werkzeuge und "
        "Schulungen, und manche Hersteller geben Ersatzteile nur an Vertragswerkstätten ab.",
        "Becker ärgert sich darüber, dass viele Räder schon nach wenigen Jahren weggeworfen werden, obwohl "
        "sie sich reparieren ließen. Deshalb bietet er einmal im Monat einen offenen Abend an, an dem "
        "Nachbarn unter Anleitung selbst schrauben können. Die Teilnehmer lernen, wie man einen Schlauch "
        "flickt, eine Schaltung einstellt oder Lager reinigt, und sie dürfen das Werkzeug der Werkstatt "
        "kostenlos benutzen.",
        "Im Winter wird es ruhiger, doch Langeweile kennt Becker nicht. Dann überholt er alte Rahmen, die ihm "
        "Kunden überlassen haben, und verkauft sie im Frühjahr zu günstigen Preisen an Studenten. Die Stadt "
        "plant inzwischen ein neues Parkhaus für Fahrräder direkt am Bahnsteig, und Becker hofft, dass seine "
        "Werkstatt dort einen festen Platz bekommt.",
    ]
]

SPANISH_ES = [
    [
        "La cosecha de la aceituna",
        "En los pueblos del sur, noviembre no es solo el mes de las primeras lluvias, sino también el "
        "comienzo de la cosecha de la aceituna. Desde muy temprano, familias enteras salen hacia los olivares "
        "con mantas, varas y cestos. Los más jóvenes suben a las ramas altas, mientras los mayores extienden "
        "las redes bajo los árboles y vigilan que ningún fruto se pierda entre las piedras.",
        "La recogida tradicional consiste en golpear suavemente las ramas para que las aceitunas caigan sobre "
        "las mantas. Hoy muchas fincas utilizan máquinas que sacuden el tronco durante unos segundos, pero en "
        "los terrenos con mucha pendiente el trabajo sigue haciéndose a mano. Es una tarea dura, y al final "
        "del día los brazos y la espalda se resienten.",
        "Las aceitunas se llevan a la almazara el mismo día, porque la calidad del aceite depende de que el "
        "fruto se procese cuanto antes. Allí se lavan, se muelen y se baten hasta formar una pasta, de la que "
        "después se separa el aceite. El primer aceite de la temporada, todavía turbio y de color verde "
        "intenso, tiene un sabor amargo y picante que los aficionados esperan durante todo el año.",
        "En los últimos años, la sequía y las altas temperaturas han reducido las cosechas en muchas zonas. "
        "Algunos agricultores han empezado a instalar riego por goteo y a plantar variedades más "
        "resistentes, mientras otros confían en las cooperativas para vender su aceite a mejor precio. Aun "
        "así, cuando termina la campaña, casi todos los pueblos celebran una fiesta con pan recién hecho, "
        "aceite nuevo y música en la plaza.",
    ]
]

RUSSIAN_RU = [
    [
        "Зима на Байкале",
        "Зимой озеро Байкал превращается в огромную ледяную равнину. В январе лёд становится таким толстым, "
        "что по нему прокладывают настоящие дороги, и местные жители ездят на машинах из одной деревни в "
        "другую прямо через озеро. Толщина льда в некоторых местах превышает метр, но опытные водители всё "
        "равно объезжают трещины и участки, где под снегом может скрываться тонкий лёд.",
        "Байкальский лёд знаменит своей прозрачностью. Когда ветер сдувает снег, сквозь лёд можно увидеть "
        "камни на дне и пузырьки газа, застывшие на разной глубине. Туристы приезжают сюда со всего мира, "
        "чтобы сфотографировать эти узоры и послушать, как лёд трещит и гудит по ночам, когда резко "
        "меняется температура.",
        "Для рыбаков зима тоже важное время. Они сверлят лунки, ставят небольшие палатки и часами ждут, "
        "когда клюнет омуль, самая известная рыба озера. Пойманную рыбу часто коптят или замораживают прямо "
        "на льду, а потом продают на рынках Иркутска и Улан-Удэ.",
        "Учёные внимательно следят за состоянием озера. За последние десятилетия лёд стал образовываться "
        "позже и таять раньше, чем прежде. Исследователи измеряют температуру воды, берут пробы и изучают, "
        "как эти изменения влияют на рыб, нерпу и крошечных рачков, от которых зависит вся жизнь в Байкале.",
    ]
]

NEAR_DUP_EN = [
    [
        "The Last Keepers of Skerry Point Light",
        "For more than a century, the lighthouse on Skerry Point was looked after by three keepers who lived "
        "with their families in a row of whitewashed cottages below the tower. The light was first lit in the "
        "autumn of 1872, after a winter in which four ships were wrecked on the reef that runs out from the "
        "point, and it remained in the care of resident keepers until the station was automated in 1987.",
        "The work was repetitive and demanding. Every evening before sunset a keeper climbed the spiral "
        "staircase of one hundred and twelve steps, lit the paraffin lamp and set the clockwork that turned "
        "the great glass lens. Through the night the keepers took turns to watch the light, wind the "
        "clockwork every two hours and record the weather in the station log. At dawn the lamp was put out, "
        "the lens was cleaned and polished, and the brass fittings were wiped free of salt.",
        "Life at the station was shaped by isolation. The nearest village lay eleven kilometres away along a "
        "track that became impassable after heavy rain, and supplies often arrived by boat. The keepers kept "
        "goats and hens, grew potatoes in walled gardens sheltered from the wind, and taught their children "
        "at a kitchen table until a small school was opened in the village in 1911.",
    ],
    [
        "The logbooks, now kept in the county archive, give a vivid picture of that life. Alongside notes on "
        "wind direction and visibility they record the birth of children, the visit of an inspector who "
        "found a smear on the lens, and the night in 1929 when the keepers rowed out in a gale to rescue the "
        "crew of a fishing boat. In long winters the entries often mention nothing but fog, and the steady "
        "sounding of the horn that warned ships away from the reef.",
        "Automation arrived gradually. An electric lamp replaced the paraffin burner in 1956, and a diesel "
        "generator was installed in a new engine house beside the cottages. Three decades later the light "
        "was connected to a monitoring centre on the mainland, and the last keepers, two brothers who had "
        "served at the station for more than twenty years, handed over the keys and moved to the village.",
        "Today the cottages are let to walkers and birdwatchers, and the tower is open to visitors on summer "
        "weekends. The lens still turns, driven now by a small electric motor, and its beam can be seen "
        "thirty kilometres out to sea. A plaque at the foot of the staircase lists the names of every keeper "
        "who served at Skerry Point, and local families still come to find the names of their grandparents "
        "among them.",
    ],
]

# The near-duplicate variant: the same text with these few words changed (each old string occurs once).
NEAR_DUP_EDITS = [
    ("autumn of 1872", "autumn of 1873"),
    ("four ships were wrecked", "five ships were wrecked"),
    ("one hundred and twelve steps", "one hundred and twenty steps"),
    ("lay eleven kilometres away", "lay nine kilometres away"),
    ("the night in 1929", "the night in 1931"),
    ("seen thirty kilometres", "seen twenty-five kilometres"),
]

SCAN_LETTER_EN = [
    [
        "Riverside Allotment Society",
        "14 March 2024",
        "Dear members,",
        "The committee met last Tuesday to plan the coming season, and I am writing to let you know what was "
        "agreed. First, the water supply to the lower plots will be switched on at the beginning of April, "
        "two weeks earlier than last year, because the new pipes laid in the autumn have passed their "
        "pressure test. Please check that your taps are closed before that date, as several were found open "
        "and dripping last spring.",
        "Second, the society has been offered a large delivery of well-rotted manure from the riding stables "
        "on Mill Lane. It will be left beside the tool shed on the morning of Saturday the twenty-third, and "
        "members may take up to six barrows each. Volunteers who can help to move it into the bays are asked "
        "to arrive at nine o'clock.",
        "Third, there are four vacant plots near the eastern gate. They will be offered first to people on "
        "the waiting list and then to members who would like a second plot. The annual rent remains "
        "unchanged at forty pounds for a full plot and twenty-two pounds for a half plot.",
        "Finally, the spring plant sale will take place on the first Sunday in May. Seedlings, cuttings and "
        "spare seeds are very welcome, and all the money raised will go towards repairing the roof of the "
        "shared greenhouse.",
        "With best wishes for a good season,",
        "Margaret Hollis, Secretary",
    ]
]

SCAN_MINUTES_EN = [
    [
        "Eastbrook Public Library: Minutes of the Board Meeting, 9 October 2023",
        "Present: five board members, the head librarian and two members of the public. The chair opened the "
        "meeting at seven o'clock and welcomed the new treasurer, who joined the board in September.",
        "1. Opening hours. The head librarian reported that Saturday afternoon opening, introduced as a trial "
        "in June, had been well used, with an average of 140 visitors each week. The board agreed to make the "
        "change permanent from November and to review staffing levels in the spring.",
        "2. Building repairs. Water had entered the reading room during the storm in August through a "
        "damaged gutter above the children's section. The gutter has been replaced and no books were lost, "
        "but the ceiling needs to be repainted. Three quotes have been received, and the board approved the "
        "lowest, which is within the maintenance budget.",
        "3. Digital services. Loans of electronic books rose by eighteen percent compared with the same "
        "period last year. Several older readers have asked for help with tablets and e-readers, and two "
        "volunteers have offered to run a weekly help session on Thursday mornings.",
    ],
    [
        "4. Local history collection. A family in the town has offered the library a collection of "
        "photographs, letters and maps relating to the old paper mill. The board welcomed the offer in "
        "principle. The head librarian will visit the family to assess the condition of the material and "
        "report on the cost of storing it safely.",
        "5. Budget. The treasurer presented the accounts for the first nine months of the year. Spending is "
        "close to the budget, although heating costs are expected to exceed the estimate if the winter is "
        "cold. The board agreed to ask the town council for a small increase in next year's grant to cover "
        "the purchase of new large-print books.",
        "6. Any other business. A member of the public asked whether the library could host the chess club "
        "during the winter months. The board agreed, provided that the club uses the meeting room on "
        "evenings when it is not otherwise booked.",
        "The meeting closed at half past eight. The next meeting will be held on the eleventh of December.",
    ],
]

MIXED_EN = [
    [
        "Caring for Cast Iron Cookware",
        "A cast iron pan that is looked after properly will outlive its owner. The secret lies in the "
        "seasoning, a thin layer of oil that has been heated until it hardens into a smooth, dark coating. "
        "Seasoning protects the metal from rust and gives the pan its natural resistance to sticking, and it "
        "improves every time the pan is used for frying.",
        "To season a new or badly rusted pan, scrub it thoroughly, dry it over a low flame and rub a very "
        "small amount of vegetable oil over every surface, including the handle and the underside. Wipe away "
        "as much oil as you can, so that the pan looks almost dry, and bake it upside down in a hot oven for "
        "an hour. Repeating this process three or four times builds a durable finish.",
        "After cooking, clean the pan while it is still warm. Hot water and a stiff brush are usually enough; "
        "a little soap does no harm to a well-seasoned surface, but the pan should never be left to soak in "
        "the sink. Dry it immediately on the stove and wipe a few drops of oil over the inside before putting "
        "it away.",
    ],
    [
        "Common problems and how to fix them",
        "If food begins to stick, the seasoning has probably worn thin in places. Cooking fatty foods such as "
        "bacon or shallow-fried potatoes for a few weeks will often repair it without any special treatment. "
        "Avoid simmering tomatoes, wine or vinegar for long periods until the coating is well established, "
        "because acids can strip it away.",
        "Sticky or gummy patches are a sign that too much oil was applied during seasoning. Heat the pan in "
        "the oven for another hour, or scrub the patches with coarse salt and a little oil, then wipe the pan "
        "clean.",
        "Orange spots of rust appear when a pan is stored damp. They look alarming but are easy to remove "
        "with steel wool. Once the bare metal is clean, season that area again, and store the pan in a dry "
        "cupboard with a sheet of kitchen paper inside to absorb moisture.",
        "A cracked pan, on the other hand, cannot be repaired safely and should be recycled.",
    ],
]

ENCRYPTED_EN = [
    [
        "Quarterly Inventory Summary",
        "This document is protected with a password so that only the warehouse staff can read it. It lists "
        "the stock counts taken at the end of the third quarter and the differences found between the "
        "counted quantities and the figures in the inventory system.",
        "Overall, the counted stock matched the records for 96 percent of the items. Most of the differences "
        "were small and concerned fast-moving items such as packing tape, cable ties and printer paper, where "
        "deliveries had been received but not yet booked. Two pallets of floor tiles were found in the wrong "
        "aisle and have been moved back to their correct location.",
        "The next full count is planned for the last week of December.",
    ]
]

NOT_A_PDF_TEXT = (
    "This is a plain text file with a .pdf name. It has no PDF header, no objects and no cross-reference\n"
    "table, so every PDF reader must refuse it. Ingest and classification stages should record it as a\n"
    "failed document rather than crash.\n"
)
