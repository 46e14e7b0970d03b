"""Generate the place and country gazetteers shipped in ``cronaca/lang``.

Writes ``cronaca/lang/countries.yaml`` and ``cronaca/lang/<it|en>/places.yaml`` from:
babel's CLDR territory names (the base country names per language) plus the curated tables below
(ISO codes, extra names, nationality adjectives, capitals and seats, places, bodies). The shipped
YAML is static: babel is needed only to run this script, never at run time.

Usage: ``python tools/build_places.py`` (from the repository root).
"""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import babel
import yaml

LANG_DIR = Path(__file__).resolve().parents[1] / "cronaca" / "lang"

# ISO 3166-1 alpha-3 and alpha-2 of the 193 UN members plus Taiwan, Kosovo, Palestine, Vatican.
CODES = """
AFG AF ALB AL DZA DZ AND AD AGO AO ATG AG ARG AR ARM AM AUS AU AUT AT AZE AZ BHS BS BHR BH BGD BD
BRB BB BLR BY BEL BE BLZ BZ BEN BJ BTN BT BOL BO BIH BA BWA BW BRA BR BRN BN BGR BG BFA BF BDI BI
CPV CV KHM KH CMR CM CAN CA CAF CF TCD TD CHL CL CHN CN COL CO COM KM COG CG COD CD CRI CR CIV CI
HRV HR CUB CU CYP CY CZE CZ DNK DK DJI DJ DMA DM DOM DO ECU EC EGY EG SLV SV GNQ GQ ERI ER EST EE
SWZ SZ ETH ET FJI FJ FIN FI FRA FR GAB GA GMB GM GEO GE DEU DE GHA GH GRC GR GRD GD GTM GT GIN GN
GNB GW GUY GY HTI HT HND HN HUN HU ISL IS IND IN IDN ID IRN IR IRQ IQ IRL IE ISR IL ITA IT JAM JM
JPN JP JOR JO KAZ KZ KEN KE KIR KI PRK KP KOR KR KWT KW KGZ KG LAO LA LVA LV LBN LB LSO LS LBR LR
LBY LY LIE LI LTU LT LUX LU MDG MG MWI MW MYS MY MDV MV MLI ML MLT MT MHL MH MRT MR MUS MU MEX MX
FSM FM MDA MD MCO MC MNG MN MNE ME MAR MA MOZ MZ MMR MM NAM NA NRU NR NPL NP NLD NL NZL NZ NIC NI
NER NE NGA NG MKD MK NOR NO OMN OM PAK PK PLW PW PAN PA PNG PG PRY PY PER PE PHL PH POL PL PRT PT
QAT QA ROU RO RUS RU RWA RW KNA KN LCA LC VCT VC WSM WS SMR SM STP ST SAU SA SEN SN SRB RS SYC SC
SLE SL SGP SG SVK SK SVN SI SLB SB SOM SO ZAF ZA SSD SS ESP ES LKA LK SDN SD SUR SR SWE SE CHE CH
SYR SY TJK TJ TZA TZ THA TH TLS TL TGO TG TON TO TTO TT TUN TN TUR TR TKM TM TUV TV UGA UG UKR UA
ARE AE GBR GB USA US URY UY UZB UZ VUT VU VEN VE VNM VN YEM YE ZMB ZM ZWE ZW TWN TW XKX XK PSE PS
VAT VA
"""

# Canonical English names where CLDR's display name is not the usual one in prose.
CANONICAL_EN = {
    "COG": "Republic of the Congo", "COD": "Democratic Republic of the Congo",
    "CIV": "Côte d'Ivoire", "MMR": "Myanmar", "BIH": "Bosnia and Herzegovina",
    "ATG": "Antigua and Barbuda", "KNA": "Saint Kitts and Nevis", "LCA": "Saint Lucia",
    "VCT": "Saint Vincent and the Grenadines", "STP": "São Tomé and Príncipe",
    "TTO": "Trinidad and Tobago", "TUR": "Turkey", "PSE": "Palestine", "VAT": "Vatican City",
}

# International bodies: code -> English name (countries.yaml), Italian and English names,
# optional adjectives per language.
BODIES = {
    "UN": ("United Nations",
           "Nazioni Unite; Onu; ONU; Organizzazione delle Nazioni Unite; Palazzo di Vetro; "
           "Consiglio di sicurezza dell'Onu; Consiglio di sicurezza delle Nazioni Unite; "
           "Consiglio di Sicurezza dell'Onu; Consiglio di Sicurezza delle Nazioni Unite; "
           "Assemblea generale dell'Onu; Assemblea generale delle Nazioni Unite",
           "United Nations; UN; U.N.; UN Security Council; U.N. Security Council; "
           "United Nations Security Council; UN General Assembly; United Nations General Assembly"),
    "NATO": ("North Atlantic Treaty Organization",
             "Nato; NATO; Alleanza Atlantica; Alleanza atlantica; Patto Atlantico",
             "NATO; Nato; North Atlantic Treaty Organization; Atlantic Alliance"),
    "EU": ("European Union",
           "Unione Europea; Unione europea; Ue; UE; Commissione europea; Commissione Europea; "
           "Consiglio europeo; Consiglio Europeo; Parlamento europeo; Parlamento Europeo",
           "European Union; EU; E.U.; European Commission; European Council; European Parliament"),
    "IAEA": ("International Atomic Energy Agency",
             "Aiea; AIEA; Agenzia internazionale per l'energia atomica; "
             "Agenzia Internazionale per l'Energia Atomica; IAEA",
             "IAEA; International Atomic Energy Agency"),
    "MSMT": ("Multilateral Sanctions Monitoring Team",
             "Msmt; MSMT; Team di monitoraggio multilaterale delle sanzioni; "
             "Multilateral Sanctions Monitoring Team",
             "MSMT; Multilateral Sanctions Monitoring Team"),
    "AU": ("African Union", "Unione Africana; Unione africana; UA",
           "African Union; AU"),
    "ASEAN": ("Association of Southeast Asian Nations", "Asean; ASEAN",
              "ASEAN; Association of Southeast Asian Nations"),
    "OSCE": ("Organization for Security and Co-operation in Europe",
             "Osce; OSCE; Organizzazione per la sicurezza e la cooperazione in Europa",
             "OSCE; Organization for Security and Co-operation in Europe"),
    "WHO": ("World Health Organization",
            "Oms; OMS; Organizzazione mondiale della sanità; Organizzazione Mondiale della Sanità",
            "WHO; World Health Organization"),
    "ICC": ("International Criminal Court",
            "Corte penale internazionale; Corte Penale Internazionale; Cpi; CPI",
            "International Criminal Court; ICC"),
    "ICJ": ("International Court of Justice",
            "Corte internazionale di giustizia; Corte Internazionale di Giustizia",
            "International Court of Justice; ICJ; World Court"),
    "IMF": ("International Monetary Fund",
            "Fondo monetario internazionale; Fondo Monetario Internazionale; Fmi; FMI",
            "International Monetary Fund; IMF"),
    "WB": ("World Bank", "Banca mondiale; Banca Mondiale", "World Bank"),
    "WTO": ("World Trade Organization",
            "Organizzazione mondiale del commercio; Organizzazione Mondiale del Commercio; Wto; WTO",
            "World Trade Organization; WTO"),
    "G7": ("Group of Seven", "G7; G-7", "G7; G-7; Group of Seven"),
    "G20": ("Group of Twenty", "G20; G-20", "G20; G-20; Group of Twenty"),
    "BRICS": ("BRICS", "Brics; BRICS", "BRICS"),
    "OPEC": ("Organization of the Petroleum Exporting Countries", "Opec; OPEC; Opec+; OPEC+",
             "OPEC; OPEC+; Organization of the Petroleum Exporting Countries"),
    "OECD": ("Organisation for Economic Co-operation and Development",
             "Ocse; OCSE; Organizzazione per la cooperazione e lo sviluppo economico",
             "OECD; Organisation for Economic Co-operation and Development"),
    "COE": ("Council of Europe", "Consiglio d'Europa", "Council of Europe"),
    "ECB": ("European Central Bank", "Banca centrale europea; Banca Centrale Europea; Bce; BCE",
            "European Central Bank; ECB"),
    "LAS": ("Arab League", "Lega Araba; Lega araba", "Arab League; League of Arab States"),
    "GCC": ("Gulf Cooperation Council",
            "Consiglio di cooperazione del Golfo; Consiglio di Cooperazione del Golfo",
            "Gulf Cooperation Council; GCC"),
    "OAS": ("Organization of American States",
            "Organizzazione degli Stati americani; Organizzazione degli Stati Americani",
            "Organization of American States; OAS"),
    "CSTO": ("Collective Security Treaty Organization",
             "Organizzazione del trattato di sicurezza collettiva; Csto; CSTO",
             "Collective Security Treaty Organization; CSTO"),
    "SCO": ("Shanghai Cooperation Organisation",
            "Organizzazione per la cooperazione di Shanghai; SCO",
            "Shanghai Cooperation Organisation; Shanghai Cooperation Organization; SCO"),
    "UNHCR": ("UN Refugee Agency", "Unhcr; UNHCR; Alto commissariato delle Nazioni Unite per i rifugiati",
              "UNHCR; UN Refugee Agency"),
    "UNICEF": ("United Nations Children's Fund", "Unicef; UNICEF", "UNICEF; Unicef"),
    "UNESCO": ("UNESCO", "Unesco; UNESCO", "UNESCO; Unesco"),
    "FAO": ("Food and Agriculture Organization", "Fao; FAO", "FAO; Food and Agriculture Organization"),
    "WFP": ("World Food Programme", "Programma alimentare mondiale; WFP",
            "World Food Programme; WFP"),
    "UNRWA": ("UN Relief and Works Agency for Palestine Refugees", "Unrwa; UNRWA", "UNRWA"),
    "OPCW": ("Organisation for the Prohibition of Chemical Weapons",
             "Opac; OPAC; Organizzazione per la proibizione delle armi chimiche",
             "OPCW; Organisation for the Prohibition of Chemical Weapons"),
    "IOM": ("International Organization for Migration",
            "Oim; OIM; Organizzazione internazionale per le migrazioni",
            "IOM; International Organization for Migration"),
    "ILO": ("International Labour Organization",
            "OIL; Organizzazione internazionale del lavoro", "ILO; International Labour Organization"),
    "INTERPOL": ("Interpol", "Interpol", "Interpol; INTERPOL"),
    "ECOWAS": ("Economic Community of West African States",
               "Ecowas; ECOWAS; Comunità economica degli Stati dell'Africa occidentale; Cedeao",
               "ECOWAS; Economic Community of West African States"),
    "MERCOSUR": ("Mercosur", "Mercosur", "Mercosur"),
    "CIS": ("Commonwealth of Independent States", "Comunità degli Stati Indipendenti; Comunità degli Stati indipendenti",
            "Commonwealth of Independent States; CIS"),
}
BODY_ADJECTIVES = {"it": {"EU": "europeo"}, "en": {}}  # it: lemmas as in IT; en: ", " forms

# ---------------------------------------------------------------------------------------------
# Italian. One line per country: ISO3 | extra names | adjective lemmas | capital; seats.
# Adjective lemmas expand by Italian morphology (-o: o/a/i/e; -e: e/i; -a: a/i/e, belga/belghe;
# other endings: invariable); "a/b/c/d" lists the forms verbatim (irregular plurals, -co, -cio).
# Names from CLDR are added automatically.
IT = """
AFG | | afghano | Kabul
ALB | | albanese | Tirana
DZA | | algerino | Algeri
AND | | andorrano | Andorra la Vella
AGO | | angolano | Luanda
ATG | Antigua | antiguo | Saint John's
ARG | | argentino | Buenos Aires; Casa Rosada
ARM | | armeno | Erevan; Yerevan
AUS | | australiano | Canberra
AUT | | austriaco/austriaca/austriaci/austriache | Vienna
AZE | Azerbaijan | azero azerbaigiano | Baku
BHS | Isole Bahamas | bahamense | Nassau
BHR | Bahrain | bahreinita | Manama
BGD | | bengalese bangladese | Dacca; Dhaka
BRB | | barbadiano | Bridgetown
BLR | Belarus | bielorusso | Minsk
BEL | | belga | Bruxelles
BLZ | | beliziano | Belmopan
BEN | | beninese | Porto-Novo
BTN | | bhutanese | Thimphu
BOL | | boliviano | La Paz
BIH | Bosnia-Erzegovina; Bosnia | bosniaco/bosniaca/bosniaci/bosniache | Sarajevo
BWA | | botswano | Gaborone
BRA | | brasiliano | Brasilia; Brasília; Planalto
BRN | | bruneiano | Bandar Seri Begawan
BGR | | bulgaro | Sofia
BFA | | burkinabé | Ouagadougou
BDI | | burundese | Gitega
CPV | | capoverdiano | Praia
KHM | | cambogiano | Phnom Penh
CMR | | camerunense | Yaoundé
CAN | | canadese | Ottawa
CAF | Centrafrica | centrafricano | Bangui
TCD | | ciadiano | N'Djamena
CHL | | cileno | Santiago del Cile; La Moneda
CHN | Repubblica Popolare Cinese; Repubblica popolare cinese; Rpc | cinese | Pechino; Zhongnanhai
COL | | colombiano | Bogotà; Bogotá
COM | Isole Comore | comoriano | Moroni
COG | Repubblica del Congo; Congo | congolese | Brazzaville
COD | Repubblica Democratica del Congo; Repubblica democratica del Congo; Rd Congo; RD Congo; Rdc; RDC; Congo | congolese | Kinshasa
CRI | | costaricano costaricense | San José
CIV | | ivoriano | Yamoussoukro
HRV | | croato | Zagabria
CUB | | cubano | L'Avana; Avana
CYP | | cipriota | Nicosia
CZE | Repubblica Ceca; Repubblica ceca | ceco/ceca/cechi/ceche | Praga
DNK | | danese | Copenaghen
DJI | | gibutiano | 
DMA | | dominicense | Roseau
DOM | | dominicano | Santo Domingo
ECU | | ecuadoriano | Quito
EGY | | egiziano | Il Cairo; Cairo
SLV | | salvadoregno | San Salvador
GNQ | | equatoguineano | Malabo
ERI | | eritreo | Asmara
EST | | estone | Tallinn
SWZ | Swaziland | swazi | Mbabane
ETH | | etiope | Addis Abeba; Addis Ababa
FJI | Isole Figi; Fiji | figiano | Suva
FIN | | finlandese | Helsinki
FRA | | francese transalpino | Parigi; Eliseo; Quai d'Orsay; Matignon
GAB | | gabonese | Libreville
GMB | | gambiano | Banjul
GEO | | georgiano | Tbilisi
DEU | | tedesco/tedesca/tedeschi/tedesche | Berlino; Bundestag
GHA | | ghanese | Accra
GRC | | greco/greca/greci/greche ellenico/ellenica/ellenici/elleniche | Atene
GRD | | grenadino | Saint George's
GTM | | guatemalteco/guatemalteca/guatemaltechi/guatemalteche | Città del Guatemala
GIN | Guinea-Conakry; Guinea Conakry | guineano | Conakry
GNB | | bissauguineano | Bissau
GUY | | guyanese | Georgetown
HTI | | haitiano | Port-au-Prince
HND | | honduregno | Tegucigalpa
HUN | | ungherese magiaro | Budapest
ISL | | islandese | Reykjavik; Reykjavík
IND | | indiano | Nuova Delhi; New Delhi
IDN | | indonesiano | Giacarta; Jakarta
IRN | Repubblica Islamica dell'Iran; Repubblica islamica dell'Iran | iraniano | Teheran; Tehran
IRQ | Irak | iracheno | Baghdad; Bagdad
IRL | | irlandese | Dublino
ISR | Stato di Israele; Stato ebraico | israeliano | Gerusalemme; Tel Aviv; Knesset
ITA | | italiano | Roma; Palazzo Chigi; Farnesina; Viminale; Quirinale; Montecitorio; Palazzo Madama
JAM | | giamaicano | Kingston
JPN | | giapponese nipponico/nipponica/nipponici/nipponiche | Tokyo; Tokio
JOR | | giordano | Amman
KAZ | Kazakhstan | kazako | Astana
KEN | | keniota keniano | Nairobi
KIR | | kiribatiano | Tarawa
PRK | Nordcorea; Repubblica Popolare Democratica di Corea; Repubblica popolare democratica di Corea; Rpdc; RPDC; Corea | nordcoreano coreano | Pyongyang
KOR | Sudcorea; Repubblica di Corea; Corea | sudcoreano coreano | Seul; Seoul; Casa Blu
KWT | | kuwaitiano | Kuwait City; Città del Kuwait
KGZ | Kirghizia; Kyrgyzstan | kirghiso | Bishkek
LAO | | laotiano | Vientiane
LVA | | lettone | Riga
LBN | | libanese | Beirut
LSO | | lesothiano | Maseru
LBR | | liberiano | Monrovia
LBY | | libico/libica/libici/libiche | Tripoli
LIE | | liechtensteinese | Vaduz
LTU | | lituano | Vilnius
LUX | | lussemburghese | 
MDG | | malgascio/malgascia/malgasci/malgasce | Antananarivo
MWI | | malawiano | Lilongwe
MYS | Malesia | malese malaysiano | Kuala Lumpur; Putrajaya
MDV | Isole Maldive | maldiviano | Malé
MLI | | maliano | Bamako
MLT | | maltese | La Valletta; Valletta
MHL | | marshallese | Majuro
MRT | | mauritano | Nouakchott
MUS | | mauriziano | Port Louis
MEX | | messicano | Città del Messico
FSM | Stati Federati di Micronesia | micronesiano | Palikir
MDA | Moldova | moldavo | Chisinau; Chișinău
MCO | Principato di Monaco; Monaco | monegasco/monegasca/monegaschi/monegasche | 
MNG | | mongolo | Ulan Bator; Ulaanbaatar
MNE | | montenegrino | Podgorica
MAR | | marocchino | Rabat
MOZ | | mozambicano | Maputo
MMR | | birmano | Naypyidaw; Naypyitaw
NAM | | namibiano | Windhoek
NRU | | nauruano | Yaren
NPL | | nepalese | Kathmandu
NLD | Olanda | olandese | Amsterdam; L'Aia; L'Aja
NZL | | neozelandese | Wellington
NIC | | nicaraguense | Managua
NER | | nigerino | Niamey
NGA | | nigeriano | Abuja
MKD | Macedonia | macedone | Skopje
NOR | | norvegese | Oslo
OMN | | omanita | Mascate; Muscat
PAK | | pakistano | Islamabad
PLW | | palauano | Ngerulmud
PAN | | panamense | Città di Panama; Panama City
PNG | | papuano | Port Moresby
PRY | | paraguaiano | Asunción; Asuncion
PER | Peru | peruviano | Lima
PHL | | filippino | Manila
POL | | polacco/polacca/polacchi/polacche | Varsavia
PRT | | portoghese lusitano | Lisbona
QAT | | qatariota qatarino | Doha
ROU | | rumeno romeno | Bucarest
RUS | Federazione Russa; Federazione russa; Unione Sovietica; Urss; URSS | russo sovietico/sovietica/sovietici/sovietiche | Mosca; Cremlino; Duma
RWA | Rwanda | ruandese | Kigali
KNA | | kittitiano | Basseterre
LCA | Santa Lucia | santaluciano | Castries
VCT | | sanvincentino | Kingstown
WSM | | samoano | Apia
SMR | | sammarinese | 
STP | Sao Tomé e Principe | santomense | São Tomé
SAU | | saudita | Riad; Riyadh
SEN | | senegalese | Dakar
SRB | | serbo | Belgrado
SYC | | seychellese | 
SLE | | sierraleonese | Freetown
SGP | | singaporiano singaporese | 
SVK | | slovacco/slovacca/slovacchi/slovacche | Bratislava
SVN | | sloveno | Lubiana
SLB | | salomonese | Honiara
SOM | | somalo | Mogadiscio
ZAF | Sud Africa | sudafricano | Pretoria
SSD | Sudan del Sud; Sudan meridionale | sudsudanese | Giuba; Juba
ESP | | spagnolo | Madrid; Moncloa
LKA | | srilankese singalese | Sri Jayawardenepura Kotte
SDN | | sudanese | Khartum; Khartoum
SUR | | surinamese | Paramaribo
SWE | | svedese | Stoccolma
CHE | Confederazione Elvetica; Confederazione elvetica | svizzero elvetico/elvetica/elvetici/elvetiche | Berna
SYR | | siriano | Damasco
TJK | | tagiko | Dushanbe
TZA | | tanzaniano | Dodoma
THA | Tailandia | thailandese | Bangkok
TLS | Timor Leste; Timor-Leste; Timor orientale | timorese | Dili
TGO | | togolese | Lomé
TON | | tongano | Nuku'alofa
TTO | | trinidadiano | Port of Spain
TUN | | tunisino | Tunisi
TUR | Türkiye | turco/turca/turchi/turche | Ankara
TKM | | turkmeno | Ashgabat
TUV | | tuvaluano | Funafuti
UGA | | ugandese | Kampala
UKR | | ucraino | Kiev; Kyiv; Bankova
ARE | Emirati | emiratino | Abu Dhabi
GBR | Gran Bretagna; Inghilterra | britannico/britannica/britannici/britanniche inglese | Londra; Downing Street; Whitehall; Westminster
USA | Stati Uniti d'America; Usa; USA; America | statunitense americano | Washington; Casa Bianca; Pentagono; Dipartimento di Stato; Capitol Hill
URY | | uruguaiano | Montevideo
UZB | | uzbeko | Tashkent
VUT | | vanuatuano | Port Vila
VEN | | venezuelano | Caracas
VNM | | vietnamita | Hanoi
YEM | | yemenita | Sanaa; Sana'a
ZMB | | zambiano | Lusaka
ZWE | | zimbabwiano | Harare
TWN | Repubblica di Cina; Formosa | taiwanese | Taipei
XKX | | kosovaro | Pristina
PSE | Palestina; Stato di Palestina; Territori palestinesi | palestinese | Ramallah
VAT | Vaticano; Santa Sede; Stato della Città del Vaticano | vaticano | Oltretevere
"""
IT_DROP_NAMES = {"Territori Palestinesi": "PSE"}  # CLDR's label; prose says "Palestina"
IT_SEAT_SECTORS = {"Pentagono": "MIL", "Knesset": "LEG", "Montecitorio": "LEG",
                   "Palazzo Madama": "LEG", "Westminster": "LEG", "Capitol Hill": "LEG",
                   "Duma": "LEG", "Bundestag": "LEG"}

# Places that are not seats of government: ISO3 | names separated by ";".
IT_PLACES = """
ITA | Abruzzo; Basilicata; Calabria; Campania; Emilia-Romagna; Friuli-Venezia Giulia; Friuli Venezia Giulia; Lazio; Liguria; Lombardia; Marche; Molise; Piemonte; Puglia; Sardegna; Sicilia; Toscana; Trentino-Alto Adige; Trentino Alto Adige; Alto Adige; Sudtirolo; Trentino; Umbria; Valle d'Aosta; Veneto; Friuli
ITA | Agrigento; Alessandria; Ancona; Aosta; Arezzo; Ascoli Piceno; Asti; Avellino; Bari; Barletta; Andria; Trani; Belluno; Benevento; Bergamo; Biella; Bologna; Bolzano; Brescia; Brindisi; Cagliari; Caltanissetta; Campobasso; Caserta; Catania; Catanzaro; Chieti; Como; Cosenza; Cremona; Crotone; Cuneo; Enna; Ferrara; Firenze; Foggia; Forlì; Cesena; Frosinone; Genova; Gorizia; Grosseto; Imperia; Isernia; L'Aquila; La Spezia; Lecce; Lecco; Livorno; Lodi; Lucca; Macerata; Mantova; Carrara; Matera; Messina; Milano; Modena; Monza; Napoli; Novara; Nuoro; Oristano; Padova; Palermo; Parma; Pavia; Perugia; Pesaro; Urbino; Pescara; Piacenza; Pisa; Pistoia; Pordenone; Potenza; Prato; Ragusa; Ravenna; Reggio Calabria; Reggio Emilia; Rieti; Rimini; Rovigo; Salerno; Sassari; Savona; Siena; Siracusa; Sondrio; Carbonia; Taranto; Teramo; Terni; Torino; Trapani; Trento; Treviso; Trieste; Udine; Varese; Venezia; Verbania; Vercelli; Olbia; Tempio Pausania; Iglesias; Sanluri; Villacidro; Tortolì; Lanusei; Verona; Vibo Valentia; Vicenza; Viterbo
ITA | Lampedusa; Brianza; Salento; Capri; Ischia; Elba; Taormina; Pompei; Sanremo; Bolzano-Bozen
UKR | Kharkiv; Charkiv; Kharkov; Char'kiv; Zaporizhzhia; Zaporozhye; Zaporizhia; Zaporižžja; Zaporizhzhya; Zaporižžia; Kherson; Cherson; Lugansk; Luhansk; Donetsk; Doneck; Donbass; Donbas; Crimea; Mariupol; Bakhmut; Artemivsk; Avdiivka; Avdiyivka; Odessa; Odesa; Leopoli; Lviv; Dnipro; Dnipropetrovsk; Mykolaiv; Mikolaiv; Nikolaev; Sumy; Chernihiv; Černihiv; Poltava; Vinnytsia; Vinnycja; Zhytomyr; Rivne; Lutsk; Ivano-Frankivsk; Ternopil; Khmelnytskyi; Uzhhorod; Chernivtsi; Kropyvnytskyi; Cherkasy; Kramatorsk; Sloviansk; Slovjansk; Pokrovsk; Kupiansk; Chasiv Yar; Vuhledar; Toretsk; Severodonetsk; Sjevjerodonec'k; Lysychansk; Melitopol; Berdiansk; Enerhodar; Nova Kakhovka; Izium; Bucha; Bucia; Irpin; Hostomel; Kostiantynivka; Kostjantynivka; Kurakhove; Kurachove; Kupjansk; Lisichansk; Izyum; Velyka Novosilka; Robotyne; Orikhiv; Huliaipole; Izmail; Starokostiantyniv; Myrhorod; Isola dei Serpenti; Sebastopoli; Sinferopoli; Simferopol; Kerch; Kerč; Chernobyl; Cernobyl; Černobyl'; Pryluky; Oblast di Kiev
RUS | Kursk; Belgorod; Taganrog; Shebekino; Yeysk; Millerovo; Morozovsk; Briansk; Bryansk; Sudzha; Sudža; Voronezh; Rostov sul Don; Rostov; Tula; Orël; Engels; Novorossijsk; Novorossiysk; Sochi; Soči; Tver; Pskov; Smolensk; Cecenia; Grozny; Daghestan; Dagestan; Tatarstan; Siberia; Kamchatka; Kamčatka; Chukotka; Jakutsk; Yakutsk; Kaliningrad; Vladivostok; Khabarovsk; Vostochny; San Pietroburgo; Pietroburgo; Leningrado; Novosibirsk; Ekaterinburg; Yekaterinburg; Kazan; Nizhny Novgorod; Nižnij Novgorod; Chelyabinsk; Čeljabinsk; Samara; Omsk; Ufa; Krasnoyarsk; Krasnojarsk; Perm; Volgograd; Stalingrado; Krasnodar; Murmansk; Saratov; Irkutsk; Tomsk; Barnaul; Ulyanovsk; Izhevsk; Jaroslavl; Yaroslavl; Makhachkala; Tyumen; Orenburg; Penza; Lipetsk; Kirov; Astrakhan; Kuban; Bashkortostan; Buriazia; Carelia; Urali; Primorje; Severomorsk; Olenya; Plesetsk
PSE | Gaza; Striscia di Gaza; Rafah; Khan Younis; Khan Yunis; Jabalia; Deir al-Balah; Beit Lahia; Beit Hanoun; Nuseirat; Cisgiordania; Jenin; Nablus; Hebron; Betlemme; Gerico; Tulkarem; Gerusalemme Est; Qalqilya; Tubas
ISR | Haifa; Eilat; Ashkelon; Ashdod; Sderot; Negev; Galilea; Beersheba; Be'er Sheva; Netanya; Nazareth; Kfar Aza; Be'eri; Nir Oz; Metula; Kiryat Shmona; Dimona; Nevatim; Tiberiade; Cesarea
SYR | Aleppo; Homs; Idlib; Hama; Raqqa; Deir ez-Zor; Latakia; Laodicea; Tartus; Daraa; Palmira; Alture del Golan; Golan; Kobane; Afrin; Quneitra; Suwayda; Douma; Ghouta
LBN | Tiro; Sidone; Baalbek; Valle della Bekaa; Bekaa; Nabatieh; Dahiyeh; Byblos
IRQ | Bassora; Mosul; Erbil; Kirkuk; Falluja; Fallujah; Ramadi; Tikrit; Najaf; Kerbala; Karbala; Samarra; Sulaymaniyah; Kurdistan iracheno; Nassiriya
IRN | Mashhad; Isfahan; Esfahan; Tabriz; Shiraz; Qom; Natanz; Fordow; Bushehr; Bandar Abbas; Ahvaz; Kermanshah; Arak; Karaj; Parchin
YEM | Aden; Hodeidah; Taiz; Marib; Saada
SAU | Gedda; Jeddah; La Mecca; Mecca; Medina; Dammam; Neom
ARE | Dubai; Sharjah
JOR | Aqaba; Zarqa; Irbid
EGY | Alessandria d'Egitto; Giza; Sharm el-Sheikh; Sharm el Sheikh; Port Said; Suez; Luxor; Assuan; Ismailia; Sinai; El Arish; Hurghada
LBY | Bengasi; Misurata; Sirte; Tobruk; Derna; Cirenaica; Tripolitania; Fezzan; Sebha; Zawiya
TUN | Sfax; Sousse; Biserta; Kairouan
DZA | Orano; Costantina
MAR | Casablanca; Marrakech; Tangeri; Fès; Fez; Laayoune
TUR | Istanbul; Smirne; Izmir; Bursa; Adana; Antalya; Gaziantep; Konya; Diyarbakir; Incirlik; Kahramanmaras; Hatay; Antiochia; Anatolia; Bosforo; Dardanelli
PRK | Kaesong; Sinuiju; Wonsan; Hamhung; Nampo; Rason; Yongbyon; Punggye-ri; Sohae; Chongjin
KOR | Busan; Pusan; Incheon; Daegu; Gwangju; Daejeon; Ulsan; Jeju; Pyeongtaek; Panmunjom
TWN | Kaohsiung; Taichung; Tainan; Hsinchu; Kinmen; Matsu; Taoyuan
CHN | Shanghai; Guangzhou; Shenzhen; Chongqing; Tientsin; Tianjin; Wuhan; Chengdu; Nanchino; Nanjing; Xi'an; Hangzhou; Hong Kong; Macao; Macau; Shenyang; Harbin; Suzhou; Dalian; Qingdao; Zhengzhou; Jinan; Changsha; Kunming; Dongguan; Foshan; Hefei; Fuzhou; Xiamen; Urumqi; Ürümqi; Lhasa; Xinjiang; Tibet; Mongolia Interna; Guangdong; Fujian; Hainan; Yunnan; Sichuan; Zhejiang; Jiangsu; Shandong; Hubei; Henan; Hebei; Shanxi; Shaanxi; Guangxi; Anhui; Jilin; Liaoning; Heilongjiang; Ningxia; Qinghai; Gansu; Guizhou; Hunan; Jiangxi; Shantou; Wuxi; Ningbo; Changchun; Shijiazhuang; Taiyuan; Nanning; Lanzhou; Xuzhou; Nanchang; Tangshan; Wenzhou; Guiyang; Hohhot; Baotou; Yantai; Nantong; Xining
JPN | Osaka; Nagoya; Yokohama; Kyoto; Sapporo; Fukuoka; Hiroshima; Nagasaki; Okinawa; Fukushima; Sendai; Saitama; Chiba; Hokkaido; Kyushu; Yokosuka
IND | Mumbai; Bombay; Delhi; Calcutta; Kolkata; Chennai; Madras; Bangalore; Bengaluru; Hyderabad; Ahmedabad; Pune; Surat; Jaipur; Lucknow; Kanpur; Nagpur; Patna; Indore; Bhopal; Agra; Varanasi; Benares; Srinagar; Kerala; Manipur; Assam; Goa; Amritsar; Visakhapatnam; Coimbatore; Ludhiana; Vadodara
PAK | Karachi; Lahore; Faisalabad; Rawalpindi; Peshawar; Quetta; Multan; Gujranwala; Belucistan; Waziristan; Khyber Pakhtunkhwa
AFG | Kandahar; Herat; Mazar-i-Sharif; Jalalabad; Kunduz; Bagram; Helmand
BGD | Chittagong; Khulna; Cox's Bazar
IDN | Surabaya; Bandung; Medan; Semarang; Makassar; Palembang; Bali; Giava; Sumatra; Papua; Nusantara; Yogyakarta; Aceh
PHL | Quezon City; Davao; Cebu; Mindanao; Luzon
VNM | Ho Chi Minh; Ho Chi Minh City; Saigon; Da Nang; Haiphong
THA | Chiang Mai; Phuket; Pattaya
MMR | Rangoon; Yangon; Mandalay; Rakhine
MYS | Penang; Johor Bahru; Sabah; Sarawak
KHM | Siem Reap
LKA | Kandy; Jaffna
NPL | Pokhara
KAZ | Almaty; Shymkent; Baikonur
UZB | Samarcanda; Bukhara
AZE | Nagorno-Karabakh; Nagorno Karabakh; Karabakh; Stepanakert; Nakhchivan
GEO | Abkhazia; Abcasia; Ossezia del Sud; Batumi; Sukhumi; Tskhinvali
MDA | Transnistria; Tiraspol
BLR | Gomel; Grodno; Vitebsk; Mogilev
POL | Cracovia; Breslavia; Wroclaw; Danzica; Gdansk; Poznan; Łódź; Stettino; Lublino; Rzeszów; Rzeszow
DEU | Germania Est; Germania orientale; Amburgo; Monaco di Baviera; Monaco; Colonia; Francoforte; Stoccarda; Düsseldorf; Dusseldorf; Dortmund; Essen; Lipsia; Dresda; Brema; Hannover; Norimberga; Baviera; Sassonia; Turingia; Ramstein; Bonn; Potsdam; Magdeburgo; Kiel; Rostock; Brandeburgo; Renania; Duisburg
FRA | Marsiglia; Lione; Tolosa; Nizza; Nantes; Bordeaux; Strasburgo; Montpellier; Rennes; Grenoble; Calais; Corsica; Ajaccio; Bastia; Normandia; Bretagna; Provenza; Alsazia; Nuova Caledonia; Mayotte; Martinica; Guadalupa; Cannes; Versailles; Le Havre; Tolone
GBR | West Midlands; Birmingham; Manchester; Liverpool; Glasgow; Edimburgo; Leeds; Sheffield; Bristol; Belfast; Cardiff; Newcastle; Southampton; Oxford; Cambridge; Scozia; Galles; Irlanda del Nord; Gibilterra; Isole Falkland; Falkland
ESP | Barcellona; Valencia; Siviglia; Saragozza; Malaga; Bilbao; Catalogna; Paesi Baschi; Andalusia; Canarie; Isole Canarie; Baleari; Maiorca; Ibiza; Ceuta; Melilla; Tenerife; Gran Canaria; Santiago de Compostela; Murcia; Alicante; Granada; Pamplona
PRT | Oporto; Madeira; Madera; Azzorre; Coimbra;
NLD | Rotterdam; Utrecht; Eindhoven
BEL | Anversa; Gand; Liegi; Bruges; Charleroi; Fiandre; Vallonia
CHE | Zurigo; Ginevra; Basilea; Losanna; Lugano; Davos; Ticino; Bürgenstock
AUT | Salisburgo; Graz; Linz; Innsbruck; Tirolo
CZE | Brno; Ostrava; Boemia;
SVK | Košice; Kosice
HUN | Debrecen; Szeged
ROU | Cluj-Napoca; Timisoara; Iasi; Transilvania
BGR | Varna; Plovdiv; Burgas
SRB | Novi Sad; Niš; Voivodina
HRV | Spalato; Dubrovnik; Ragusa di Dalmazia; Pola; Istria; Dalmazia
SVN | Capodistria; Pirano
BIH | Mostar; Banja Luka; Srebrenica; Tuzla; Republika Srpska
XKX | Mitrovica; Prizren
ALB | Durazzo; Valona; Scutari
GRC | Salonicco; Pireo; Creta; Rodi; Lesbo; Corfù; Patrasso
CYP | Limassol; Larnaca; Famagosta
SWE | Göteborg; Goteborg; Malmö; Malmo; Gotland
NOR | Bergen; Stavanger; Trondheim; Svalbard; Tromsø
DNK | Aarhus; Groenlandia; Isole Faroe; Nuuk
FIN | Tampere; Turku
EST | Narva; Tartu
LVA | Daugavpils
LTU | Kaunas; Klaipėda; Klaipeda
IRL | Cork
ISL | Akureyri
USA | New York; Los Angeles; Chicago; Houston; Phoenix; Filadelfia; Philadelphia; San Antonio; San Diego; Dallas; San Francisco; Seattle; Boston; Miami; Atlanta; Detroit; Denver; Las Vegas; Baltimora; New Orleans; Minneapolis; Pittsburgh; Cleveland; Tampa; Portland; Sacramento; Honolulu; Anchorage; Nashville; Memphis; St. Louis; Saint Louis; Milwaukee; Kansas City; Salt Lake City; Indianapolis; Jacksonville; Fort Worth; Silicon Valley; Manhattan; Brooklyn; Mar-a-Lago; Palm Beach; Hollywood; Alaska; California; Texas; Florida; Pennsylvania; Ohio; Michigan; Arizona; Nevada; Wisconsin; Minnesota; Illinois; Hawaii; Guam; Porto Rico; Puerto Rico; San Juan; Massachusetts; Maryland; Carolina del Nord; Carolina del Sud; Louisiana; Oregon; Colorado; Utah; Iowa; Kentucky; Tennessee; Alabama; Mississippi; Missouri; Nebraska; Kansas; Oklahoma; Arkansas; Idaho; Montana; Wyoming; Dakota del Nord; Dakota del Sud; New Mexico; Nuovo Messico; New Jersey; Connecticut; Delaware; Vermont; New Hampshire; Maine; Rhode Island; Virginia Occidentale; Indiana; Stato di Washington; Pearl Harbor; San Jose
CAN | Toronto; Montréal; Montreal; Vancouver; Calgary; Edmonton; Winnipeg; Québec; Quebec; Ontario; Columbia Britannica; Halifax
MEX | Guadalajara; Monterrey; Tijuana; Puebla; Ciudad Juárez; Cancún; Cancun; Acapulco; Sinaloa; Culiacán; Chiapas
CUB | Guantánamo; Guantanamo; Santiago di Cuba
BRA | São Paulo; Rio de Janeiro; Belo Horizonte; Fortaleza; Recife; Manaus; Porto Alegre; Curitiba; Salvador de Bahia; Belém; Goiânia
ARG | Córdoba;; La Plata; Ushuaia;
COL | Medellín; Medellin; Cali; Barranquilla;
VEN | Maracaibo;
ECU | Guayaquil
PER | Arequipa; Cusco; Cuzco
BOL | Santa Cruz de la Sierra; Cochabamba; Sucre
CHL | Valparaíso; Valparaiso
AUS | Sydney; Melbourne; Brisbane; Perth; Adelaide; Tasmania; Queensland
NZL | Auckland; Christchurch
NGA | Lagos; Kano; Ibadan; Port Harcourt; Maiduguri; Borno
COD | Mbuji-Mayi; Lubumbashi; Goma; Kivu; Nord Kivu; Sud Kivu; Bukavu; Kisangani; Katanga
ZAF | Johannesburg; Città del Capo; Cape Town; Durban; Soweto; Port Elizabeth
KEN | Mombasa
ETH | Tigray; Macallè; Mekelle; Amhara; Oromia; Dire Daua
TZA | Dar es Salaam; Zanzibar
SDN | Omdurman; Darfur; El Fasher; El-Fasher; Port Sudan; Kordofan
SOM | Somaliland; Puntland; Chisimaio; Baidoa
GHA | Kumasi
CIV | Abidjan
CMR | Douala
MLI | Timbuctù; Timbuktu;
NER | Agadez
BDI | Bujumbura
"""

# ---------------------------------------------------------------------------------------------
# English: ISO3 | extra names | adjective and demonym forms (", " separated, verbatim) | seats.
EN = """
AFG | | Afghan, Afghans | Kabul
ALB | | Albanian, Albanians | Tirana
DZA | | Algerian, Algerians | Algiers
AND | | Andorran, Andorrans | Andorra la Vella
AGO | | Angolan, Angolans | Luanda
ATG | Antigua | Antiguan, Antiguans | Saint John's
ARG | | Argentine, Argentines, Argentinian, Argentinians | Buenos Aires; Casa Rosada
ARM | | Armenian, Armenians | Yerevan
AUS | | Australian, Australians | Canberra
AUT | | Austrian, Austrians | Vienna
AZE | | Azerbaijani, Azerbaijanis, Azeri, Azeris | Baku
BHS | | Bahamian, Bahamians | Nassau
BHR | | Bahraini, Bahrainis | Manama
BGD | | Bangladeshi, Bangladeshis | Dhaka
BRB | | Barbadian, Barbadians | Bridgetown
BLR | Byelorussia | Belarusian, Belarusians | Minsk
BEL | | Belgian, Belgians | Brussels
BLZ | | Belizean, Belizeans | Belmopan
BEN | | Beninese | Porto-Novo
BTN | | Bhutanese | Thimphu
BOL | | Bolivian, Bolivians | La Paz
BIH | Bosnia-Herzegovina; Bosnia | Bosnian, Bosnians | Sarajevo
BWA | | Botswanan, Batswana, Motswana | Gaborone
BRA | | Brazilian, Brazilians | Brasilia; Brasília; Planalto
BRN | | Bruneian, Bruneians | Bandar Seri Begawan
BGR | | Bulgarian, Bulgarians | Sofia
BFA | | Burkinabe, Burkinabè | Ouagadougou
BDI | | Burundian, Burundians | Gitega
CPV | Cabo Verde | Cape Verdean, Cape Verdeans | Praia
KHM | | Cambodian, Cambodians | Phnom Penh
CMR | | Cameroonian, Cameroonians | Yaoundé
CAN | | Canadian, Canadians | Ottawa
CAF | | Central African, Central Africans | Bangui
TCD | | Chadian, Chadians | N'Djamena
CHL | | Chilean, Chileans | Santiago; La Moneda
CHN | People's Republic of China; PRC | Chinese | Beijing; Peking; Zhongnanhai
COL | | Colombian, Colombians | Bogotá; Bogota
COM | Comoro Islands | Comorian, Comorians | Moroni
COG | Republic of the Congo; Congo | Congolese | Brazzaville
COD | Democratic Republic of the Congo; Democratic Republic of Congo; DR Congo; DRC; Congo | Congolese | Kinshasa
CRI | | Costa Rican, Costa Ricans | San José; San Jose
CIV | Ivory Coast; Côte d'Ivoire; Cote d'Ivoire | Ivorian, Ivorians | Yamoussoukro
HRV | | Croatian, Croatians, Croat, Croats | Zagreb
CUB | | Cuban, Cubans | Havana
CYP | | Cypriot, Cypriots | Nicosia
CZE | Czech Republic | Czech, Czechs | Prague
DNK | | Danish, Dane, Danes | Copenhagen
DJI | | Djiboutian, Djiboutians | 
DMA | | Dominican | Roseau
DOM | | Dominican, Dominicans | Santo Domingo
ECU | | Ecuadorian, Ecuadorians | Quito
EGY | | Egyptian, Egyptians | Cairo
SLV | | Salvadoran, Salvadorans | San Salvador
GNQ | | Equatorial Guinean, Equatorial Guineans, Equatoguinean, Equatoguineans | Malabo
ERI | | Eritrean, Eritreans | Asmara
EST | | Estonian, Estonians | Tallinn
SWZ | Swaziland | Swazi, Swazis, Emaswati | Mbabane
ETH | | Ethiopian, Ethiopians | Addis Ababa
FJI | | Fijian, Fijians | Suva
FIN | | Finnish, Finn, Finns | Helsinki
FRA | | French, Frenchman, Frenchmen, Frenchwoman | Paris; Élysée; Elysee; Élysée Palace; Elysee Palace; Quai d'Orsay; Matignon
GAB | | Gabonese | Libreville
GMB | | Gambian, Gambians | Banjul
GEO | | Georgian, Georgians | Tbilisi
DEU | | German, Germans | Berlin; Bundestag
GHA | | Ghanaian, Ghanaians | Accra
GRC | | Greek, Greeks, Hellenic | Athens
GRD | | Grenadian, Grenadians | Saint George's
GTM | | Guatemalan, Guatemalans | Guatemala City
GIN | Guinea-Conakry | Guinean, Guineans | Conakry
GNB | | Bissau-Guinean, Bissau-Guineans | Bissau
GUY | | Guyanese | Georgetown
HTI | | Haitian, Haitians | Port-au-Prince
HND | | Honduran, Hondurans | Tegucigalpa
HUN | | Hungarian, Hungarians | Budapest
ISL | | Icelandic, Icelander, Icelanders | Reykjavik; Reykjavík
IND | | Indian, Indians | New Delhi
IDN | | Indonesian, Indonesians | Jakarta
IRN | Islamic Republic of Iran | Iranian, Iranians | Tehran; Teheran
IRQ | | Iraqi, Iraqis | Baghdad
IRL | Republic of Ireland; Eire | Irish, Irishman, Irishmen | Dublin
ISR | State of Israel | Israeli, Israelis | Jerusalem; Tel Aviv; Knesset
ITA | | Italian, Italians | Rome; Palazzo Chigi; Quirinale; Farnesina
JAM | | Jamaican, Jamaicans | Kingston
JPN | | Japanese | Tokyo
JOR | | Jordanian, Jordanians | Amman
KAZ | | Kazakh, Kazakhs, Kazakhstani, Kazakhstanis | Astana
KEN | | Kenyan, Kenyans | Nairobi
KIR | | I-Kiribati | Tarawa; South Tarawa
PRK | DPRK; Democratic People's Republic of Korea; Korea | North Korean, North Koreans, Korean, Koreans | Pyongyang
KOR | Republic of Korea; ROK; Korea | South Korean, South Koreans, Korean, Koreans | Seoul; Blue House
KWT | | Kuwaiti, Kuwaitis | Kuwait City
KGZ | Kirghizia | Kyrgyz, Kyrgyzstani, Kyrgyzstanis | Bishkek
LAO | | Lao, Laotian, Laotians | Vientiane
LVA | | Latvian, Latvians | Riga
LBN | | Lebanese | Beirut
LSO | | Basotho, Mosotho | Maseru
LBR | | Liberian, Liberians | Monrovia
LBY | | Libyan, Libyans | Tripoli
LIE | | Liechtensteiner, Liechtensteiners | Vaduz
LTU | | Lithuanian, Lithuanians | Vilnius
LUX | | Luxembourgish, Luxembourger, Luxembourgers | 
MDG | | Malagasy | Antananarivo
MWI | | Malawian, Malawians | Lilongwe
MYS | | Malaysian, Malaysians | Kuala Lumpur; Putrajaya
MDV | | Maldivian, Maldivians | Malé
MLI | | Malian, Malians | Bamako
MLT | | Maltese | Valletta
MHL | | Marshallese | Majuro
MRT | | Mauritanian, Mauritanians | Nouakchott
MUS | | Mauritian, Mauritians | Port Louis
MEX | | Mexican, Mexicans | Mexico City
FSM | Federated States of Micronesia | Micronesian, Micronesians | Palikir
MDA | Moldavia | Moldovan, Moldovans | Chisinau; Chișinău
MCO | Principality of Monaco | Monegasque, Monegasques | 
MNG | | Mongolian, Mongolians | Ulaanbaatar; Ulan Bator
MNE | | Montenegrin, Montenegrins | Podgorica
MAR | | Moroccan, Moroccans | Rabat
MOZ | | Mozambican, Mozambicans | Maputo
MMR | Burma | Burmese | Naypyidaw; Naypyitaw
NAM | | Namibian, Namibians | Windhoek
NRU | | Nauruan, Nauruans | Yaren
NPL | | Nepali, Nepalis, Nepalese | Kathmandu
NLD | Holland | Dutch, Dutchman, Dutchmen | Amsterdam; The Hague
NZL | | New Zealander, New Zealanders | Wellington
NIC | | Nicaraguan, Nicaraguans | Managua
NER | | Nigerien, Nigeriens | Niamey
NGA | | Nigerian, Nigerians | Abuja
MKD | Macedonia | North Macedonian, North Macedonians, Macedonian, Macedonians | Skopje
NOR | | Norwegian, Norwegians | Oslo
OMN | | Omani, Omanis | Muscat
PAK | | Pakistani, Pakistanis | Islamabad
PLW | | Palauan, Palauans | Ngerulmud
PAN | | Panamanian, Panamanians | Panama City
PNG | | Papua New Guinean, Papua New Guineans | Port Moresby
PRY | | Paraguayan, Paraguayans | Asunción; Asuncion
PER | | Peruvian, Peruvians | Lima
PHL | | Filipino, Filipinos, Filipina, Filipinas, Philippine | Manila
POL | | Polish, Pole, Poles | Warsaw
PRT | | Portuguese | Lisbon
QAT | | Qatari, Qataris | Doha
ROU | | Romanian, Romanians | Bucharest
RUS | Russian Federation; Soviet Union; USSR | Russian, Russians, Soviet | Moscow; Kremlin; Duma
RWA | | Rwandan, Rwandans | Kigali
KNA | Saint Kitts; St Kitts and Nevis | Kittitian, Kittitians | Basseterre
LCA | St Lucia | Saint Lucian, Saint Lucians | Castries
VCT | Saint Vincent and the Grenadines; Saint Vincent; St Vincent and the Grenadines | Vincentian, Vincentians | Kingstown
WSM | | Samoan, Samoans | Apia
SMR | | Sammarinese | 
STP | Sao Tome and Principe | Santomean, Santomeans | São Tomé
SAU | | Saudi, Saudis, Saudi Arabian, Saudi Arabians | Riyadh
SEN | | Senegalese | Dakar
SRB | | Serbian, Serbians, Serb, Serbs | Belgrade
SYC | | Seychellois | 
SLE | | Sierra Leonean, Sierra Leoneans | Freetown
SGP | | Singaporean, Singaporeans | 
SVK | | Slovak, Slovaks, Slovakian | Bratislava
SVN | | Slovenian, Slovenians, Slovene, Slovenes | Ljubljana
SLB | Solomons | Solomon Islander, Solomon Islanders | Honiara
SOM | | Somali, Somalis, Somalian | Mogadishu
ZAF | | South African, South Africans | Pretoria
SSD | | South Sudanese | Juba
ESP | | Spanish, Spaniard, Spaniards | Madrid; Moncloa
LKA | | Sri Lankan, Sri Lankans | Sri Jayawardenepura Kotte
SDN | | Sudanese | Khartoum
SUR | | Surinamese | Paramaribo
SWE | | Swedish, Swede, Swedes | Stockholm
CHE | Swiss Confederation | Swiss | Bern; Berne
SYR | | Syrian, Syrians | Damascus
TJK | | Tajik, Tajiks, Tajikistani | Dushanbe
TZA | | Tanzanian, Tanzanians | Dodoma
THA | | Thai, Thais | Bangkok
TLS | East Timor | Timorese, East Timorese | Dili
TGO | | Togolese | Lomé; Lome
TON | | Tongan, Tongans | Nuku'alofa
TTO | | Trinidadian, Trinidadians | Port of Spain
TUN | | Tunisian, Tunisians | Tunis
TUR | Turkey; Türkiye; Turkiye | Turkish, Turk, Turks | Ankara
TKM | | Turkmen, Turkmens | Ashgabat
TUV | | Tuvaluan, Tuvaluans | Funafuti
UGA | | Ugandan, Ugandans | Kampala
UKR | | Ukrainian, Ukrainians | Kyiv; Kiev; Bankova
ARE | UAE; Emirates | Emirati, Emiratis | Abu Dhabi
GBR | Britain; Great Britain; UK; U.K.; England | British, Briton, Britons, English | London; Downing Street; Whitehall; Westminster
USA | United States of America; US; U.S.; USA; U.S.A.; America | American, Americans | Washington; White House; Pentagon; State Department; Capitol Hill
URY | | Uruguayan, Uruguayans | Montevideo
UZB | | Uzbek, Uzbeks, Uzbekistani | Tashkent
VUT | | Ni-Vanuatu | Port Vila
VEN | | Venezuelan, Venezuelans | Caracas
VNM | Viet Nam | Vietnamese | Hanoi
YEM | | Yemeni, Yemenis | Sanaa; Sana'a
ZMB | | Zambian, Zambians | Lusaka
ZWE | | Zimbabwean, Zimbabweans | Harare
TWN | Republic of China; Formosa | Taiwanese | Taipei
XKX | | Kosovar, Kosovars, Kosovan, Kosovans | Pristina; Prishtina
PSE | Palestine; State of Palestine; Palestinian territories; Occupied Palestinian Territories | Palestinian, Palestinians | Ramallah
VAT | Vatican; Holy See | papal | 
"""
EN_DROP_NAMES = {"Palestinian Territories": "PSE"}
EN_SEAT_SECTORS = {"Pentagon": "MIL", "Knesset": "LEG", "Westminster": "LEG", "Capitol Hill": "LEG",
                   "Duma": "LEG", "Bundestag": "LEG"}

EN_PLACES = """
ITA | Milan; Naples; Turin; Florence; Venice; Genoa; Bologna; Palermo; Bari; Catania; Verona; Sicily; Sardinia; Lombardy; Tuscany; Lampedusa; Trieste; Padua; Calabria; Apulia; Puglia; Campania
UKR | Kharkiv; Kharkov; Zaporizhzhia; Zaporizhia; Zaporozhye; Kherson; Luhansk; Lugansk; Donetsk; Donbas; Donbass; Crimea; Mariupol; Bakhmut; Avdiivka; Odesa; Odessa; Lviv; Dnipro; Mykolaiv; Sumy; Chernihiv; Poltava; Vinnytsia; Zhytomyr; Rivne; Lutsk; Ivano-Frankivsk; Ternopil; Khmelnytskyi; Uzhhorod; Chernivtsi; Kropyvnytskyi; Cherkasy; Kramatorsk; Sloviansk; Pokrovsk; Kupiansk; Chasiv Yar; Vuhledar; Toretsk; Sievierodonetsk; Severodonetsk; Lysychansk; Melitopol; Berdiansk; Enerhodar; Nova Kakhovka; Izium; Bucha; Irpin; Hostomel; Kostiantynivka; Kurakhove; Velyka Novosilka; Robotyne; Orikhiv; Huliaipole; Izmail; Starokostiantyniv; Myrhorod; Snake Island; Sevastopol; Simferopol; Kerch; Chernobyl; Chornobyl
RUS | Kursk; Belgorod; Taganrog; Shebekino; Yeysk; Millerovo; Morozovsk; Bryansk; Sudzha; Voronezh; Rostov-on-Don; Rostov; Tula; Oryol; Engels; Novorossiysk; Sochi; Tver; Pskov; Smolensk; Chechnya; Grozny; Dagestan; Tatarstan; Siberia; Kamchatka; Chukotka; Yakutsk; Kaliningrad; Vladivostok; Khabarovsk; Vostochny; Saint Petersburg; St. Petersburg; St Petersburg; Leningrad; Novosibirsk; Yekaterinburg; Kazan; Nizhny Novgorod; Chelyabinsk; Samara; Omsk; Ufa; Krasnoyarsk; Perm; Volgograd; Stalingrad; Krasnodar; Murmansk; Arkhangelsk; Saratov; Irkutsk; Tomsk; Barnaul; Ulyanovsk; Izhevsk; Yaroslavl; Makhachkala; Tyumen; Orenburg; Penza; Lipetsk; Astrakhan; Kuban; Bashkortostan; Buryatia; Karelia; Urals; Primorye; Severomorsk; Olenya; Plesetsk
PSE | Gaza; Gaza Strip; Rafah; Khan Younis; Khan Yunis; Jabalia; Deir al-Balah; Beit Lahia; Beit Hanoun; Nuseirat; West Bank; Jenin; Nablus; Hebron; Bethlehem; Jericho; Tulkarem; East Jerusalem; Qalqilya; Tubas
ISR | Haifa; Eilat; Ashkelon; Ashdod; Sderot; Negev; Galilee; Beersheba; Be'er Sheva; Netanya; Nazareth; Kfar Aza; Be'eri; Nir Oz; Metula; Kiryat Shmona; Dimona; Nevatim; Tiberias; Caesarea
SYR | Aleppo; Homs; Idlib; Hama; Raqqa; Deir ez-Zor; Latakia; Tartus; Daraa; Palmyra; Golan Heights; Golan; Kobani; Afrin; Quneitra; Suwayda; Douma; Ghouta
LBN | Tyre; Sidon; Baalbek; Bekaa Valley; Bekaa; Nabatieh; Dahiyeh; Byblos
IRQ | Basra; Mosul; Erbil; Kirkuk; Fallujah; Ramadi; Tikrit; Najaf; Karbala; Samarra; Sulaymaniyah; Iraqi Kurdistan; Nasiriyah
IRN | Mashhad; Isfahan; Tabriz; Shiraz; Qom; Natanz; Fordow; Bushehr; Bandar Abbas; Ahvaz; Kermanshah; Arak; Karaj; Parchin
YEM | Aden; Hodeidah; Taiz; Marib; Saada
SAU | Jeddah; Mecca; Medina; Dammam; Neom
ARE | Dubai; Sharjah
JOR | Aqaba; Zarqa; Irbid
EGY | Alexandria; Giza; Sharm el-Sheikh; Sharm El Sheikh; Port Said; Suez; Luxor; Aswan; Ismailia; Sinai; El Arish; Hurghada
LBY | Benghazi; Misrata; Sirte; Tobruk; Derna; Cyrenaica; Tripolitania; Fezzan; Sabha; Zawiya
TUN | Sfax; Sousse; Bizerte; Kairouan
DZA | Oran; Constantine
MAR | Casablanca; Marrakesh; Marrakech; Tangier; Fez; Laayoune
TUR | Istanbul; Izmir; Bursa; Adana; Antalya; Gaziantep; Konya; Diyarbakir; Incirlik; Kahramanmaras; Hatay; Antakya; Anatolia; Bosphorus; Dardanelles
PRK | Kaesong; Sinuiju; Wonsan; Hamhung; Nampo; Rason; Yongbyon; Punggye-ri; Sohae; Chongjin
KOR | Busan; Pusan; Incheon; Daegu; Gwangju; Daejeon; Ulsan; Jeju; Pyeongtaek; Panmunjom
TWN | Kaohsiung; Taichung; Tainan; Hsinchu; Kinmen; Matsu; Taoyuan
CHN | Shanghai; Guangzhou; Shenzhen; Chongqing; Tianjin; Wuhan; Chengdu; Nanjing; Xi'an; Hangzhou; Hong Kong; Macau; Macao; Shenyang; Harbin; Suzhou; Dalian; Qingdao; Zhengzhou; Jinan; Changsha; Kunming; Dongguan; Foshan; Hefei; Fuzhou; Xiamen; Urumqi; Lhasa; Xinjiang; Tibet; Inner Mongolia; Guangdong; Fujian; Hainan; Yunnan; Sichuan; Zhejiang; Jiangsu; Shandong; Hubei; Henan; Hebei; Shanxi; Shaanxi; Guangxi; Anhui; Jilin; Liaoning; Heilongjiang; Ningxia; Qinghai; Gansu; Guizhou; Hunan; Jiangxi; Shantou; Wuxi; Ningbo; Changchun; Shijiazhuang; Taiyuan; Nanning; Lanzhou; Xuzhou; Nanchang; Tangshan; Wenzhou; Guiyang; Hohhot; Baotou; Yantai; Nantong; Xining
JPN | Osaka; Nagoya; Yokohama; Kyoto; Sapporo; Fukuoka; Hiroshima; Nagasaki; Okinawa; Fukushima; Sendai; Saitama; Chiba; Hokkaido; Kyushu; Yokosuka
IND | Mumbai; Bombay; Delhi; Kolkata; Calcutta; Chennai; Madras; Bangalore; Bengaluru; Hyderabad; Ahmedabad; Pune; Surat; Jaipur; Lucknow; Kanpur; Nagpur; Patna; Indore; Bhopal; Agra; Varanasi; Srinagar; Kerala; Manipur; Assam; Goa; Amritsar; Visakhapatnam; Coimbatore; Ludhiana; Vadodara
PAK | Karachi; Lahore; Faisalabad; Rawalpindi; Peshawar; Quetta; Multan; Gujranwala; Balochistan; Baluchistan; Waziristan; Khyber Pakhtunkhwa
AFG | Kandahar; Herat; Mazar-i-Sharif; Jalalabad; Kunduz; Bagram; Helmand
BGD | Chittagong; Chattogram; Khulna; Cox's Bazar
IDN | Surabaya; Bandung; Medan; Semarang; Makassar; Palembang; Bali; Java; Sumatra; Papua; Nusantara; Yogyakarta; Aceh
PHL | Quezon City; Davao; Cebu; Mindanao; Luzon
VNM | Ho Chi Minh City; Saigon; Da Nang; Haiphong
THA | Chiang Mai; Phuket; Pattaya
MMR | Rangoon; Yangon; Mandalay; Rakhine
MYS | Penang; Johor Bahru; Sabah; Sarawak
KHM | Siem Reap
LKA | Kandy; Jaffna
NPL | Pokhara
KAZ | Almaty; Shymkent; Baikonur
UZB | Samarkand; Bukhara
AZE | Nagorno-Karabakh; Karabakh; Stepanakert; Nakhchivan
GEO | Abkhazia; South Ossetia; Batumi; Sukhumi; Tskhinvali
MDA | Transnistria; Tiraspol
BLR | Gomel; Grodno; Vitebsk; Mogilev
POL | Krakow; Kraków; Wroclaw; Wrocław; Gdansk; Gdańsk; Poznan; Poznań; Lodz; Łódź; Szczecin; Lublin; Rzeszów; Rzeszow
DEU | Hamburg; Munich; Cologne; Frankfurt; Stuttgart; Düsseldorf; Dusseldorf; Dortmund; Essen; Leipzig; Dresden; Bremen; Hanover; Hannover; Nuremberg; Bavaria; Saxony; Thuringia; Ramstein; Bonn; Potsdam; Magdeburg; Kiel; Rostock; Brandenburg; Hesse; Rhineland; Duisburg
FRA | Marseille; Lyon; Toulouse; Nantes; Bordeaux; Lille; Strasbourg; Montpellier; Rennes; Grenoble; Calais; Corsica; Ajaccio; Bastia; Normandy; Brittany; Provence; Alsace; New Caledonia; Mayotte; Martinique; Guadeloupe; Cannes; Versailles; Le Havre; Toulon
GBR | West Midlands; Birmingham; Manchester; Liverpool; Glasgow; Edinburgh; Leeds; Sheffield; Bristol; Belfast; Cardiff; Newcastle; Southampton; Oxford; Cambridge; Scotland; Wales; Northern Ireland; Gibraltar; Falkland Islands; Falklands
ESP | Barcelona; Valencia; Seville; Zaragoza; Malaga; Málaga; Bilbao; Catalonia; Basque Country; Andalusia; Canary Islands; Canaries; Balearic Islands; Majorca; Mallorca; Ibiza; Ceuta; Melilla; Tenerife; Gran Canaria; Santiago de Compostela; Murcia; Alicante; Granada; Pamplona
PRT | Porto; Oporto; Madeira; Azores; Coimbra;
NLD | Rotterdam; Utrecht; Eindhoven
BEL | Antwerp; Ghent; Liege; Liège; Bruges; Charleroi; Flanders; Wallonia
CHE | Zurich; Geneva; Basel; Lausanne; Lugano; Davos; Ticino; Bürgenstock
AUT | Salzburg; Graz; Linz; Innsbruck; Tyrol
CZE | Brno; Ostrava; Bohemia;
SVK | Košice; Kosice
HUN | Debrecen; Szeged
ROU | Cluj-Napoca; Timisoara; Constanta; Iasi; Transylvania
BGR | Varna; Plovdiv; Burgas
SRB | Novi Sad; Niš; Nis; Vojvodina
HRV | Rijeka; Dubrovnik; Zadar; Pula; Istria; Dalmatia
SVN | Koper; Piran
BIH | Mostar; Banja Luka; Srebrenica; Tuzla; Republika Srpska
XKX | Mitrovica; Prizren
ALB | Durres; Durrës; Vlore; Vlorë; Shkoder; Shkodër
GRC | Thessaloniki; Piraeus; Crete; Rhodes; Lesbos; Corfu; Patras
CYP | Limassol; Larnaca; Famagusta
SWE | Gothenburg; Malmö; Malmo; Gotland
NOR | Bergen; Stavanger; Trondheim; Svalbard; Tromsø; Tromso
DNK | Aarhus; Greenland; Faroe Islands; Nuuk
FIN | Tampere; Turku
EST | Narva; Tartu
LVA | Daugavpils
LTU | Kaunas; Klaipėda; Klaipeda
IRL | Cork
ISL | Akureyri
USA | New York; New York City; Los Angeles; Chicago; Houston; Phoenix; Philadelphia; San Antonio; San Diego; Dallas; San Francisco; Seattle; Boston; Miami; Atlanta; Detroit; Denver; Las Vegas; Baltimore; New Orleans; Minneapolis; Pittsburgh; Cleveland; Tampa; Portland; Sacramento; Honolulu; Anchorage; Nashville; Memphis; St. Louis; Milwaukee; Kansas City; Salt Lake City; Indianapolis; Jacksonville; Fort Worth; Silicon Valley; Manhattan; Brooklyn; Mar-a-Lago; Palm Beach; Hollywood; Alaska; California; Texas; Florida; Virginia; Pennsylvania; Ohio; Michigan; Arizona; Nevada; Wisconsin; Minnesota; Illinois; Hawaii; Guam; Puerto Rico; San Juan; Massachusetts; Maryland; North Carolina; South Carolina; Louisiana; Oregon; Colorado; Utah; Iowa; Kentucky; Tennessee; Alabama; Mississippi; Missouri; Nebraska; Kansas; Oklahoma; Arkansas; Idaho; Montana; Wyoming; North Dakota; South Dakota; New Mexico; New Jersey; Connecticut; Delaware; Vermont; New Hampshire; Maine; Rhode Island; West Virginia; Indiana; Washington State; Pearl Harbor
CAN | Toronto; Montreal; Montréal; Vancouver; Calgary; Edmonton; Winnipeg; Quebec; Québec; Ontario; British Columbia; Halifax
MEX | Guadalajara; Monterrey; Tijuana; Puebla; Ciudad Juárez; Ciudad Juarez; Cancún; Cancun; Acapulco; Sinaloa; Culiacán; Culiacan; Chiapas
CUB | Guantánamo; Guantanamo; Santiago de Cuba
BRA | São Paulo; Sao Paulo; Rio de Janeiro; Belo Horizonte; Fortaleza; Recife; Manaus; Porto Alegre; Curitiba; Salvador da Bahia; Belém; Goiânia
ARG | Córdoba;; La Plata; Ushuaia;
COL | Medellín; Medellin; Cali; Barranquilla;
VEN | Maracaibo
ECU | Guayaquil
PER | Arequipa; Cusco; Cuzco
BOL | Santa Cruz de la Sierra; Cochabamba; Sucre
CHL | Valparaíso; Valparaiso
AUS | Sydney; Melbourne; Brisbane; Perth; Adelaide; Tasmania; Queensland
NZL | Auckland; Christchurch
NGA | Lagos; Kano; Ibadan; Port Harcourt; Maiduguri; Borno
COD | Mbuji-Mayi; Lubumbashi; Goma; Kivu; North Kivu; South Kivu; Bukavu; Kisangani; Katanga
ZAF | Johannesburg; Cape Town; Durban; Soweto; Port Elizabeth
KEN | Mombasa
ETH | Tigray; Mekelle; Amhara; Oromia; Dire Dawa
TZA | Dar es Salaam; Zanzibar
SDN | Omdurman; Darfur; El Fasher; El-Fasher; Port Sudan; Kordofan
SOM | Somaliland; Puntland; Kismayo; Baidoa
GHA | Kumasi
CIV | Abidjan
CMR | Douala
MLI | Timbuktu;
NER | Agadez
BDI | Bujumbura
"""

# Places that belong to no single country (continents, seas, straits, world regions and areas
# split between countries): LOC mentions without a country.
REGIONS = {
    "it": """Europa; Asia; Africa; America; Americhe; Oceania; Antartide; Artico; Eurasia; Europa occidentale;
    Europa orientale; Europa centrale; Europa dell'Est; Est Europa; Nord Europa; Sud Europa; Balcani;
    Caucaso; Scandinavia; Lapponia; Baltico; Paesi baltici; Medio Oriente; Vicino Oriente; Estremo Oriente;
    Asia centrale; Sud-est asiatico; Sudest asiatico; Asia orientale; Indo-Pacifico; Indopacifico;
    Penisola coreana; Penisola arabica; Golfo Persico; Golfo; Maghreb; Sahel; Corno d'Africa;
    Africa subsahariana; Africa occidentale; Africa orientale; Nord Africa; Africa settentrionale;
    America Latina; America latina; Sudamerica; Sud America; America del Sud; America centrale;
    Centroamerica; Nordamerica; America del Nord; Caraibi; Mediterraneo; Mar Mediterraneo; Mar Nero;
    Mar Baltico; Mare del Nord; Mar d'Azov; Mar Caspio; Mar Rosso; Mar Cinese Meridionale;
    Mar Cinese meridionale; Mar Cinese Orientale; Mar del Giappone; Mar Giallo; Mare di Barents;
    Oceano Atlantico; Atlantico; Oceano Pacifico; Pacifico; Oceano Indiano; Oceano Artico;
    Stretto di Hormuz; Stretto di Taiwan; Stretto di Kerch; Canale di Suez; Canale di Panama;
    Canale di Sicilia; Bab el-Mandeb; Kashmir; Punjab; Patagonia; Amazzonia; Galizia; Kurdistan;
    Terra del Fuoco; Siachen; Ladakh""",
    "en": """Europe; Asia; Africa; the Americas; Oceania; Antarctica; Arctic; Eurasia; Western Europe;
    Eastern Europe; Central Europe; Northern Europe; Southern Europe; Balkans; Caucasus; Scandinavia;
    Lapland; Baltics; Baltic states; Middle East; Near East; Far East; Central Asia; Southeast Asia;
    East Asia; South Asia; Indo-Pacific; Korean Peninsula; Korean peninsula; Arabian Peninsula;
    Persian Gulf; Gulf; Maghreb; Sahel; Horn of Africa; Sub-Saharan Africa; West Africa; East Africa;
    North Africa; Latin America; South America; Central America; North America; Caribbean;
    Mediterranean; Mediterranean Sea; Black Sea; Baltic Sea; North Sea; Sea of Azov; Caspian Sea;
    Red Sea; South China Sea; East China Sea; Sea of Japan; Yellow Sea; Barents Sea; Atlantic;
    Atlantic Ocean; Pacific; Pacific Ocean; Indian Ocean; Arctic Ocean; Strait of Hormuz;
    Taiwan Strait; Kerch Strait; Suez Canal; Panama Canal; Bab el-Mandeb; Kashmir; Punjab;
    Patagonia; Amazonia; Amazon; Galicia; Kurdistan; Tierra del Fuego; Ladakh""",
}


# Surface forms that name several countries on purpose: one entry per country is kept and the
# recognizer must not pick a country from the form alone.
AMBIGUOUS = {
    "it": ["Congo", "congolese", "congolesi", "Corea", "coreano", "coreana", "coreani", "coreane",
           "Monaco"],
    "en": ["Congo", "Congolese", "Korea", "Korean", "Koreans", "Dominican"],
}

# Names left out because they collide with frequent words or names (kept here as a record).
COLLISIONS = {
    "it": "Fermo (il fermo, fermo restando), Massa (in massa; Sergio Massa), Latina (America Latina), "
          "Porto (porto), San Paolo (the saint, the basilica; São Paulo is listed), Rio, Salvador, "
          "Santiago alone (Santiago del Cile is listed), Colombo (Cristoforo Colombo; Sri Lanka), "
          "Victoria (Seychelles; first name), Orlando, Costanza, Virginia, Alberta, Rosario, Arcangelo, "
          "Assia (first names), Zara (the retailer), Fiume (fiume), Lilla (lilla), Faro (faro), "
          "Ganja, Kobe, Kawasaki, Darwin, Austin, Charlotte, Columbus, Mendoza, Moravia, Gao, Canton; "
          "names shared by places of two countries: Brest, Cartagena, Norfolk, Kochi, the Lebanese "
          "Tripoli, the Pakistani Hyderabad, the Venezuelan Valencia, the Spanish Córdoba, the US state "
          "Georgia. Kept although risky, as capitalised mid-sentence they are places: Cuneo, Prato, "
          "Potenza, Lodi, Marche, Colonia, Riga, Sofia, Cairo, Roma",
    "en": "Nice (nice), Split (split), Reading, Victoria (Seychelles; first name), Colombo, Male "
          "(Malé is listed), Rio, Austin, Charlotte, Columbus, Orlando, Alberta, Rosario, Mendoza, "
          "Darwin, Kobe, Kawasaki, Ganja, Gao, Canton, Moravia, Faro; names shared by places of two "
          "countries: Brest, Cartagena, Norfolk, Kochi, the Lebanese Tripoli, the Pakistani Hyderabad, "
          "the Venezuelan Valencia, the US state Georgia",
}

# ---------------------------------------------------------------------------------------------


def codes() -> list[tuple[str, str]]:
    parts = CODES.split()
    return list(zip(parts[0::2], parts[1::2]))


def clean_cldr(name: str, lang: str) -> list[str]:
    """CLDR display names in prose form: "Myanmar (Birmania)" -> two names; "&" -> and/e."""
    name = name.replace("’", "'").replace(" - ", "-")
    name = name.replace(" & ", " and " if lang == "en" else " e ").replace("St. ", "Saint ")
    found = re.match(r"^(.*?) \((.*)\)$", name)
    return [found.group(1), found.group(2)] if found else [name]


def italian_forms(spec: str) -> list[str]:
    """Expand Italian adjective lemmas into their gender/number forms (see IT's header)."""
    forms: list[str] = []
    for token in spec.split():
        forms.extend(token.split("/") if "/" in token else _inflect(token))
    return list(dict.fromkeys(forms))


def _inflect(lemma: str) -> list[str]:
    stem, last = lemma[:-1], lemma[-1]
    if last == "o":
        if stem[-1] in "cgi":  # tedeschi but greci; malgasci: spell these out with "/"
            raise ValueError(f"irregular plural, list the forms: {lemma}")
        return [lemma, stem + "a", stem + "i", stem + "e"]
    if last == "e":
        return [lemma, stem + "i"]
    if last == "a":
        return [lemma, stem + "i", stem + ("he" if stem[-1] in "cg" else "e")]
    return [lemma]


def parse_table(table: str, lang: str) -> dict[str, dict[str, list[str]]]:
    rows: dict[str, dict[str, list[str]]] = {}
    for line in table.strip().splitlines():
        code, names, adjectives, seats = (part.strip() for part in line.split("|"))
        rows[code] = {
            "names": _split(names, ";"),
            "adjectives": italian_forms(adjectives) if lang == "it" else _split(adjectives, ","),
            "seats": _split(seats, ";"),
        }
    return rows


def parse_places(table: str) -> dict[str, str]:
    places: dict[str, str] = {}
    for line in table.strip().splitlines():
        code, names = (part.strip() for part in line.split("|"))
        for name in _split(names, ";"):
            if places.get(name, code) != code:
                raise ValueError(f"place {name!r} listed for {places[name]} and {code}")
            places[name] = code
    return places


def _split(text: str, sep: str) -> list[str]:
    return [part.strip() for part in text.split(sep) if part.strip()]


def build_language(lang: str, table: str, places_table: str, drop: dict[str, str],
                   seat_sectors: dict[str, str]) -> dict:
    rows = parse_table(table, lang)
    territories = babel.Locale(lang).territories
    countries: dict[str, dict[str, list[str]]] = {}
    for alpha3, alpha2 in codes():
        row = rows[alpha3]
        names = [n for n in clean_cldr(territories[alpha2], lang) if drop.get(n) != alpha3]
        names = list(dict.fromkeys(names + row["names"]))
        seats = [s for s in row["seats"] if s not in names]  # "Singapore" the city is the country
        countries[alpha3] = {"names": names, "adjectives": row["adjectives"], "seats": seats}
    places = parse_places(places_table)
    surface = {n for c in countries.values() for k in ("names", "seats") for n in c[k]}
    ambiguous = set(AMBIGUOUS[lang])
    shadowed = sorted(n for n in places if n in surface and n not in ambiguous)
    if shadowed:  # a city named like a capital elsewhere: the country form wins
        print(f"{lang}: places already listed as a country name or seat, skipped: {shadowed}")
    places = {name: code for name, code in places.items() if name not in shadowed}
    bodies: dict[str, dict[str, list[str]]] = {}
    for code, (_, it_names, en_names) in BODIES.items():
        entry = {"names": _split(it_names if lang == "it" else en_names, ";")}
        if code in BODY_ADJECTIVES[lang]:
            spec = BODY_ADJECTIVES[lang][code]
            entry["adjectives"] = italian_forms(spec) if lang == "it" else _split(spec, ",")
        bodies[code] = entry
    regions = [r for r in _split(REGIONS[lang], ";") if r not in surface and r not in places]
    return {"countries": countries, "places": places, "seat_sectors": seat_sectors,
            "bodies": bodies, "regions": regions, "ambiguous": AMBIGUOUS[lang]}


# --- YAML writing: compact, one country per block, flow lists -------------------------------

def scalar(text: str) -> str:
    """Plain YAML scalar when it reads back as the same string, else double-quoted."""
    plain = (not re.search(r"[,\[\]{}#:&*!|>'\"%@`]", text) and text[0] not in "-?"
             and yaml.safe_load(text) == text)
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow(items: list[str]) -> str:
    return "[" + ", ".join(scalar(i) for i in items) + "]"


def write_places(lang: str, data: dict, path: Path) -> None:
    label = {"it": "Italian", "en": "English"}[lang]
    out = [
        f"# {label} place gazetteer. GENERATED by tools/build_places.py: edit the script, not this file.",
        "# countries: ISO3 -> names (the country itself), adjectives (every gender/number form; they",
        "#   double as demonyms), seats (capital first, then seats of government standing for it).",
        "# places: cities, regions and areas that are not seats: surface form -> ISO3.",
        "# seat_sectors: seats standing for a sector other than GOV.",
        "# bodies: international bodies (codes in ../countries.yaml) -> names, adjectives.",
        "# regions: places of no single country (continents, seas, straits, split regions).",
        "# ambiguous: forms deliberately listed for several countries; no country from them alone.",
        "# Surface forms use the ASCII apostrophe; match them after folding ’ to '.",
        "# Adjectives are listed as written mid-sentence; match them case-sensitively where a",
        "# capitalised form is a surname (Russo, Greco, Giordano).",
        *textwrap.wrap(f"Left out as collisions with frequent words or names: {COLLISIONS[lang]}.",
                       width=98, initial_indent="# ", subsequent_indent="#   "),
        "",
        "countries:",
    ]
    for code, entry in data["countries"].items():
        out.append(f"  {code}:")
        for key in ("names", "adjectives", "seats"):
            out.append(f"    {key}: {flow(entry[key])}")
    out.append("places:")
    by_country: dict[str, list[str]] = {}
    for name, code in data["places"].items():
        by_country.setdefault(code, []).append(name)
    for code, names in by_country.items():
        out.append(f"  # {code}")
        out.extend(f"  {scalar(name)}: {code}" for name in names)
    out.append("seat_sectors:")
    out.extend(f"  {scalar(seat)}: {sector}" for seat, sector in data["seat_sectors"].items())
    out.append("bodies:")
    for code, entry in data["bodies"].items():
        inner = ", ".join(f"{key}: {flow(value)}" for key, value in entry.items())
        out.append(f"  {code}: {{{inner}}}")
    out.append("regions:")
    out.extend(f"  - {scalar(region)}" for region in data["regions"])
    out.append(f"ambiguous: {flow(data['ambiguous'])}")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_countries(path: Path) -> None:
    english = babel.Locale("en").territories
    out = [
        "# Countries (ISO 3166-1 alpha-3 -> alpha-2 and English name) and international bodies.",
        "# GENERATED by tools/build_places.py from CLDR (via babel): edit the script, not this file.",
        f"# babel {babel.__version__}",
        "",
    ]
    for alpha3, alpha2 in codes():
        name = CANONICAL_EN.get(alpha3) or clean_cldr(english[alpha2], "en")[0]
        out.append(f"{alpha3}: {{iso2: {scalar(alpha2)}, name: {scalar(name)}}}")
    out.append("bodies:")
    out.extend(f"  {code}: {{name: {scalar(name)}}}" for code, (name, _, _) in BODIES.items())
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def build(lang_dir: Path = LANG_DIR) -> None:
    """Write countries.yaml and it/en places.yaml under ``lang_dir``."""
    write_countries(lang_dir / "countries.yaml")
    for lang, table, places, drop, sectors in (
            ("it", IT, IT_PLACES, IT_DROP_NAMES, IT_SEAT_SECTORS),
            ("en", EN, EN_PLACES, EN_DROP_NAMES, EN_SEAT_SECTORS)):
        data = build_language(lang, table, places, drop, sectors)
        path = lang_dir / lang / "places.yaml"
        write_places(lang, data, path)
        if yaml.safe_load(path.read_text(encoding="utf-8")) != data:  # a quoting slip
            raise ValueError(f"{path} does not read back as written")


if __name__ == "__main__":
    build()
