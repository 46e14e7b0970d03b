"""ActorResolver: role appositives, nominal actors, light coreference."""
from __future__ import annotations

from cronaca.document import Document, Mention
from cronaca.pipeline import get_pipeline


def actors(text: str, lang: str = "it", published: str | None = None) -> list[Mention]:
    doc = Document(text=text, lang=lang, published=published)
    return get_pipeline(lang)(doc, until="actors").mentions


def find(ms: list[Mention], text: str) -> Mention:
    hits = [m for m in ms if m.text == text]
    assert hits, f"{text!r} not among {[m.text for m in ms]}"
    return hits[0]


def resolved(m: Mention) -> tuple:
    return m.type, m.country, m.sector


# -- step 1: role appositives ---------------------------------------------------------------------

def test_role_before_an_unknown_person_gives_country_and_sector() -> None:
    ms = actors("Il viceministro degli Esteri russo Pavel Orlov ha ricevuto la delegazione.")
    orlov = find(ms, "Pavel Orlov")
    assert resolved(orlov) == ("PER", "RUS", "GOV")
    assert orlov.role == "role"
    assert all(m.type != "NOM" for m in ms)  # an appositive, not a separate nominal actor


def test_role_after_a_person_across_a_comma() -> None:
    ms = actors("Marco Fumagalli, portavoce del ministero della Difesa francese, ha smentito.")
    assert resolved(find(ms, "Marco Fumagalli")) == ("PER", "FRA", "GOV")


def test_military_and_judicial_roles() -> None:
    ms = actors("Il generale ucraino Taras Melnyk ha parlato con il procuratore di Milano "
                "Luca Bianchi.")
    assert resolved(find(ms, "Taras Melnyk")) == ("PER", "UKR", "MIL")
    assert resolved(find(ms, "Luca Bianchi")) == ("PER", "ITA", "JUD")


def test_role_inherits_the_sector_of_the_organization_named_with_it() -> None:
    ms = actors("Sara Colombo, portavoce di Hamas, ha parlato ai giornalisti.")
    assert resolved(find(ms, "Sara Colombo")) == ("PER", "PSE", "REB")


def test_known_person_keeps_the_dictionary_reading() -> None:
    ms = actors("Il leader nordcoreano Kim Jong-un ha visitato una fabbrica.")
    kim = find(ms, "Kim Jong-un")
    assert (kim.name, kim.country, kim.sector) == ("Kim Jong-un", "PRK", "GOV")
    assert [m.type for m in ms] == ["NORP", "PER"]


# -- step 2: nominal actors ------------------------------------------------------------------------

NOMINALS = [
    ("Ieri l'esercito ucraino ha lanciato un attacco.", "esercito ucraino", "UKR", "MIL"),
    ("Le truppe nordcoreane sono entrate nel villaggio.", "truppe nordcoreane", "PRK", "MIL"),
    ("Secondo funzionari sudcoreani, il lancio è fallito.", "funzionari sudcoreani", "KOR", "GOV"),
    ("Lo hanno detto funzionari USA in privato.", "funzionari USA", "USA", "GOV"),
    ("Il governo nordcoreano ha protestato.", "governo nordcoreano", "PRK", "GOV"),
    ("Il ministero degli Esteri ucraino ha convocato l'ambasciatore.",
     "ministero degli Esteri ucraino", "UKR", "GOV"),
    ("Un diplomatico russo è stato espulso.", "diplomatico russo", "RUS", "GOV"),
    ("Le forze armate israeliane hanno colpito un deposito.", "forze armate israeliane", "ISR", "MIL"),
    ("La polizia francese ha fermato due uomini.", "polizia francese", "FRA", "GOV"),
    ("I manifestanti georgiani sono tornati in piazza.", "manifestanti georgiani", "GEO", "CVL"),
    ("L'opposizione bielorussa chiede nuove elezioni.", "opposizione bielorussa", "BLR", "OPP"),
    ("La stampa statunitense ne ha dato notizia.", "stampa statunitense", "USA", "MED"),
    ("I ribelli Houthi hanno attaccato una nave.", "ribelli Houthi", "YEM", "REB"),
]


def test_nominal_actors() -> None:
    for text, span, country, sector in NOMINALS:
        ms = actors(text)
        nom = find(ms, span)
        assert resolved(nom) == ("NOM", country, sector), text
        assert nom.kind in ("group", "organization", "person")


def test_a_nominal_replaces_the_mentions_it_absorbs() -> None:
    text = "I soldati nordcoreani e l'esercito ucraino si sono scontrati."
    ms = actors(text)
    assert [(m.text, m.type) for m in ms] == [("soldati nordcoreani", "NOM"),
                                              ("esercito ucraino", "NOM")]
    assert all(text[m.start:m.end] == m.text for m in ms)


def test_the_innermost_group_names_the_actor() -> None:
    ms = actors("I soldati dell'esercito cinese hanno sfilato.")
    assert resolved(find(ms, "esercito cinese")) == ("NOM", "CHN", "MIL")


def test_no_nominal_around_a_named_organization_or_for_an_undetermined_group() -> None:
    ms = actors("Il presidente della Consob ha parlato; crisi di governo in Tunisia; "
                "la polizia è arrivata.")
    assert [m.type for m in ms] == ["ORG", "LOC", "NOM"]
    assert find(ms, "Consob").type == "ORG" and find(ms, "Tunisia").type == "LOC"
    # "di governo" names no actor; "la polizia" does, with its country left to the context
    assert resolved(find(ms, "polizia")) == ("NOM", None, "GOV")


# -- step 3: coreference -----------------------------------------------------------------------------

def test_a_surname_alone_takes_the_person_mentioned_before() -> None:
    ms = actors("Il viceministro degli Esteri russo Pavel Orlov è arrivato a Pechino. "
                "Orlov ha poi incontrato la stampa.")
    later = [m for m in ms if m.text == "Orlov"][0]
    assert (later.name, later.country, later.sector) == ("Pavel Orlov", "RUS", "GOV")


def test_an_alias_resolves_to_the_dictionary_person() -> None:
    ms = actors("Kim ha ispezionato una base missilistica.")
    assert (find(ms, "Kim").name, find(ms, "Kim").country) == ("Kim Jong-un", "PRK")


def test_role_only_phrase_takes_the_person_named_earlier() -> None:
    ms = actors("Il presidente francese Emmanuel Macron è arrivato. Il presidente francese "
                "ha poi parlato.")
    nom = find(ms, "presidente francese")
    assert (nom.type, nom.name, nom.country, nom.sector) == ("NOM", "Emmanuel Macron", "FRA", "GOV")


def test_role_only_phrase_from_the_dictionary_by_publication_year() -> None:
    assert find(actors("Il leader nordcoreano ha parlato."), "leader nordcoreano").name == "Kim Jong-un"
    text = "Il presidente statunitense ha firmato il decreto."
    assert find(actors(text, published="2023-05-01"), "presidente statunitense").name == "Joe Biden"
    assert find(actors(text, published="2025-05-01"), "presidente statunitense").name == "Donald Trump"
    assert find(actors(text), "presidente statunitense").name == "Donald Trump"


def test_ambiguous_role_stays_unnamed() -> None:
    nom = find(actors("Un ministro russo ha parlato."), "ministro russo")
    assert (nom.country, nom.name) == ("RUS", None)


# -- English ---------------------------------------------------------------------------------------

def test_english_demonym_before_the_noun() -> None:
    ms = actors("The Ukrainian army and North Korean troops clashed near Kursk.", lang="en")
    assert resolved(find(ms, "Ukrainian army")) == ("NOM", "UKR", "MIL")
    assert resolved(find(ms, "North Korean troops")) == ("NOM", "PRK", "MIL")


def test_english_appositives() -> None:
    ms = actors("Russian Deputy Foreign Minister Ivan Sokolov met John Smith, a spokesman for "
                "the French defense ministry.", lang="en")
    assert resolved(find(ms, "Ivan Sokolov")) == ("PER", "RUS", "GOV")
    assert resolved(find(ms, "John Smith")) == ("PER", "FRA", "GOV")
