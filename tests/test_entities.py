"""EntityRecognizer: dictionaries, rules for unknown names, offsets, data integrity, speed."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import yaml

from cronaca.document import Document, Mention
from cronaca.lang import LANG_DIR, get_language
from cronaca.pipeline import get_pipeline
from cronaca.stages import entities as entities_module
from cronaca.stages.entities import EntityRecognizer

SECTORS = {"GOV", "MIL", "MED", "IGO", "REB", "CVL", "BUS", "OPP", "JUD", "LEG", None}


def mentions(text: str, lang: str = "it") -> list[Mention]:
    return get_pipeline(lang)(Document(text=text, lang=lang), until="entities").mentions


def find(ms: list[Mention], text: str) -> Mention:
    hits = [m for m in ms if m.text == text]
    assert hits, f"{text!r} not among {[m.text for m in ms]}"
    return hits[0]


def texts(ms: list[Mention]) -> list[str]:
    return [m.text for m in ms]


def test_known_people_and_aliases_resolve_to_canonical_names() -> None:
    ms = mentions("Ieri Putin ha telefonato a Zelenskyy, poi Lavrov ha visto Erdogan.")
    putin = find(ms, "Putin")
    assert (putin.type, putin.name, putin.country, putin.sector, putin.kind) == (
        "PER", "Vladimir Putin", "RUS", "GOV", "person")
    assert find(ms, "Zelenskyy").name == "Volodymyr Zelensky"
    assert find(ms, "Lavrov").name == "Sergey Lavrov"
    assert find(ms, "Erdogan").country == "TUR"


def test_hyphen_and_space_variants_match_the_same_person() -> None:
    ms = mentions("Kim Jong Un ha ricevuto la lettera; Kim Jong-un ha risposto subito.")
    kims = [m for m in ms if m.type == "PER"]
    assert texts(kims) == ["Kim Jong Un", "Kim Jong-un"]
    assert {m.name for m in kims} == {"Kim Jong-un"}


def test_countries_demonyms_and_seats() -> None:
    ms = mentions("I soldati nordcoreani sono arrivati in Russia, ha confermato Mosca.")
    norp = find(ms, "nordcoreani")
    assert (norp.type, norp.country, norp.role) == ("NORP", "PRK", "demonym")
    russia = find(ms, "Russia")
    assert (russia.type, russia.kind, russia.role, russia.country) == ("LOC", "state", "country", "RUS")
    moscow = find(ms, "Mosca")
    assert (moscow.type, moscow.role, moscow.country, moscow.sector) == ("LOC", "seat", "RUS", "GOV")


def test_seat_with_article_and_elision_give_exact_spans() -> None:
    text = "Secondo il Cremlino l'Ucraina ha perso terreno dell'oblast."
    ms = mentions(text)
    kremlin = find(ms, "Cremlino")
    assert text[kremlin.start:kremlin.end] == "Cremlino"
    assert (kremlin.role, kremlin.country, kremlin.sector) == ("seat", "RUS", "GOV")
    ukraine = find(ms, "Ucraina")
    assert text[ukraine.start:ukraine.end] == "Ucraina" and ukraine.country == "UKR"


def test_adjectives_are_lower_case_only_so_surnames_stay_names() -> None:
    ms = mentions("Il comandante Russo ha lodato il piano russo.")
    assert find(ms, "russo").type == "NORP"
    assert all(m.type != "NORP" for m in ms if m.text == "Russo")


def test_organizations_are_matched_case_sensitively() -> None:
    ms = mentions("La Lega e il Pd hanno votato contro; una lega di metalli non è un partito.")
    lega = find(ms, "Lega")
    assert (lega.type, lega.sector, lega.country) == ("ORG", "LEG", "ITA")
    assert find(ms, "Pd").sector == "OPP"
    assert "lega" not in texts(ms)


def test_agencies_armed_groups_and_institutions() -> None:
    ms = mentions("La Kcna e la Tass citano il Gruppo Wagner; indagano i Carabinieri e la "
                  "Guardia di Finanza con il Tribunale di Bergamo.")
    assert (find(ms, "Kcna").name, find(ms, "Kcna").sector, find(ms, "Kcna").country) == (
        "KCNA", "MED", "PRK")
    assert find(ms, "Tass").country == "RUS"
    wagner = find(ms, "Gruppo Wagner")
    assert (wagner.country, wagner.sector) == ("RUS", "REB")
    assert find(ms, "Carabinieri").sector == "MIL"
    assert find(ms, "Guardia di Finanza").sector == "MIL"
    court = find(ms, "Tribunale di Bergamo")
    assert (court.type, court.sector, court.country) == ("ORG", "JUD", "ITA")


def test_unknown_people_from_first_names_and_particles() -> None:
    ms = mentions("Giulia Ferraresi e Luigi De Santis hanno incontrato Hans van der Berg.")
    assert [(m.text, m.type) for m in ms] == [
        ("Giulia Ferraresi", "PER"), ("Luigi De Santis", "PER"), ("Hans van der Berg", "PER")]
    assert all(m.source == "rule" and m.kind == "person" for m in ms)


def test_unknown_organizations_and_places_from_cue_words() -> None:
    ms = mentions("La Fondazione Bianchi Rossetti ha aperto una sede a Castelvecchio con "
                  "l'università di Padova.")
    assert find(ms, "Fondazione Bianchi Rossetti").type == "ORG"
    assert find(ms, "Castelvecchio").type == "LOC"
    uni = find(ms, "università di Padova")
    assert uni.type == "ORG"


def test_acronyms_are_organizations_unless_the_gazetteer_knows_them() -> None:
    ms = mentions("La delegazione dell'ABCD è partita per gli USA.")
    assert find(ms, "ABCD").type == "ORG"
    assert find(ms, "USA").type == "LOC"


def test_a_sentence_initial_capital_alone_is_no_name() -> None:
    assert mentions("Domani arriva la delegazione.") == []
    ms = mentions("Nato a Trieste nel 1950, Paolo Gori dipinge paesaggi.")
    assert texts(ms) == ["Trieste", "Paolo Gori"]


def test_a_surname_alone_is_a_person_once_the_full_name_was_given() -> None:
    ms = mentions("Ieri Carla Mengoni ha parlato a lungo. Secondo Mengoni il piano è pronto. "
                  "Mengoni, intanto, tace.")
    assert [(m.text, m.type) for m in ms] == [
        ("Carla Mengoni", "PER"), ("Mengoni", "PER"), ("Mengoni", "PER")]


def test_all_caps_headlines_use_the_dictionaries_only() -> None:
    ms = mentions("PUTIN INCONTRA KIM A PYONGYANG: FIRMATO UN ACCORDO")
    assert [(m.text, m.name) for m in ms] == [
        ("PUTIN", "Vladimir Putin"), ("KIM", "Kim Jong-un"), ("PYONGYANG", "North Korea")]


def test_a_listed_surname_inside_an_unlisted_name_is_not_split() -> None:
    ms = mentions("La cantante Kim Kardashian è arrivata con Giovanni Ferrara.")
    assert [(m.text, m.type) for m in ms] == [("Kim Kardashian", "PER"), ("Giovanni Ferrara", "PER")]


def test_a_place_grows_over_its_common_noun() -> None:
    ms = mentions("La nave è affondata nel golfo del Messico, vicino all'aeroporto di Mosca.")
    gulf = find(ms, "golfo del Messico")
    assert (gulf.type, gulf.country, gulf.role) == ("LOC", "MEX", "place")
    airport = find(ms, "aeroporto di Mosca")
    assert (airport.role, airport.sector) == ("place", None)  # no longer the Russian government


def test_a_street_named_after_a_country_is_not_in_that_country() -> None:
    ms = mentions("Il corteo è partito da piazza di Spagna e ha raggiunto corso Francia, "
                  "mentre altri manifestavano in piazza Tahrir al Cairo.")
    assert find(ms, "piazza di Spagna").country is None
    assert find(ms, "corso Francia").country is None
    assert find(ms, "Cairo").country == "EGY"


def test_capitalized_local_institutions_stay_organizations() -> None:
    ms = mentions("La Regione Lombardia ha scritto al comune di Aprilia.")
    region = find(ms, "Regione Lombardia")
    assert (region.type, region.sector, region.country) == ("ORG", "GOV", "ITA")
    assert find(ms, "comune di Aprilia").type == "LOC"


def test_names_in_a_list_take_the_type_of_their_neighbours() -> None:
    ms = mentions("Le centrali di Tarvenne, Morlacco e Trieste sono chiuse.")
    assert [(m.text, m.type) for m in ms] == [
        ("Tarvenne", "LOC"), ("Morlacco", "LOC"), ("Trieste", "LOC")]


def test_hyphenated_places_and_codes_after_a_town() -> None:
    ms = mentions("Il treno Roma-Lido ferma anche a Castelvecchio (PO) ogni ora.")
    assert [(m.text, m.type) for m in ms] == [
        ("Roma-Lido", "LOC"), ("Castelvecchio", "LOC"), ("PO", "LOC")]


def test_capitalized_particles_and_given_names_join_a_listed_surname() -> None:
    ms = mentions("Ieri Di Maio ha parlato con Sergej Viktorovič Lavrov e con Anna Di Stefano.")
    assert find(ms, "Di Maio").name == "Luigi Di Maio"
    assert find(ms, "Sergej Viktorovič Lavrov").name == "Sergey Lavrov"
    assert find(ms, "Anna Di Stefano").type == "PER"


def test_portfolio_words_end_a_person_name() -> None:
    ms = mentions("Il ministro del Lavoro Carla Mengoni ha firmato.")
    assert [(m.text, m.type) for m in ms] == [("Carla Mengoni", "PER")]


def test_mentions_are_sorted_non_overlapping_with_consistent_tokens() -> None:
    text = ("Il presidente Mattarella ha ricevuto a Roma il segretario generale della Nato "
            "Mark Rutte e l'ambasciatore cinese, mentre la Corea del Nord taceva.")
    doc = get_pipeline("it")(Document(text=text), until="entities")
    ms = doc.mentions
    assert ms == sorted(ms, key=lambda m: m.start)
    for a, b in zip(ms, ms[1:]):
        assert a.end <= b.start
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert doc.tokens[m.token_start].start == m.start
        assert doc.tokens[m.token_end - 1].end == m.end


def test_english_mentions() -> None:
    ms = mentions("Russian Foreign Minister Sergey Lavrov met Mark Rutte in Brussels, "
                  "Reuters reported.", lang="en")
    assert find(ms, "Russian").type == "NORP"
    assert find(ms, "Sergey Lavrov").name == "Sergey Lavrov"
    assert find(ms, "Reuters").sector == "MED"
    assert find(ms, "Mark Rutte").country == "NATO"


def test_model_entities_never_override_dictionary_or_rule_mentions() -> None:
    text = "Ieri Putin ha incontrato Zorbaz Quell nel palazzo."
    start = text.index("Zorbaz Quell")
    fake_ents = [
        SimpleNamespace(start_char=5, end_char=10, label_="ORG"),  # a dictionary person
        SimpleNamespace(start_char=start, end_char=start + 12, label_="ORG"),  # a rule person
        SimpleNamespace(start_char=0, end_char=4, label_="MISC"),  # not a scored type
    ]
    recognizer = EntityRecognizer(get_language("it"),
                                  model=lambda t: SimpleNamespace(ents=fake_ents))
    doc = recognizer(get_pipeline("it").stages[0](Document(text=text)))
    assert [(m.text, m.type, m.source) for m in doc.mentions] == [
        ("Putin", "PER", "gazetteer"), ("Zorbaz Quell", "PER", "rule")]


def test_model_fills_a_gap_the_rules_leave() -> None:
    text = "Ieri la zorbazquell ha risposto."
    start = text.index("zorbazquell")
    ents = [SimpleNamespace(start_char=start, end_char=start + 11, label_="ORG")]
    recognizer = EntityRecognizer(get_language("it"), model=lambda t: SimpleNamespace(ents=ents))
    doc = recognizer(get_pipeline("it").stages[0](Document(text=text)))
    assert [(m.text, m.type, m.source) for m in doc.mentions] == [("zorbazquell", "ORG", "model")]
    assert doc.spacy_doc is not None


def test_no_statistical_model_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entities_module.spacy.util, "is_package", lambda name: False)
    assert entities_module._load_model("it") is None


def _strings(value: object, path: str) -> list[str]:
    """Every non-string leaf of a data file, except the flags and years that are meant so."""
    bad: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("inherit", "years", "demonym_before"):
                bad += _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            bad += _strings(v, path)
    elif value is not None and not isinstance(value, str):
        bad.append(f"{path}: {value!r}")
    return bad


@pytest.mark.parametrize("name", ["actors.yaml", "it/names.yaml", "en/names.yaml",
                                  "it/roles.yaml", "en/roles.yaml", "it/organizations.yaml",
                                  "en/organizations.yaml"])
def test_data_files_hold_strings_not_yaml_booleans(name: str) -> None:
    data = yaml.safe_load((LANG_DIR / name).read_text(encoding="utf-8"))
    assert _strings(data, name) == []


def test_actor_dictionary_is_large_and_well_formed() -> None:
    people = yaml.safe_load((LANG_DIR / "actors.yaml").read_text(encoding="utf-8"))["people"]
    assert len(people) >= 200
    names = [p["name"] for p in people]
    assert len(names) == len(set(names))
    for p in people:
        assert p["sector"] in SECTORS and p.get("country") and p.get("role"), p
        years = p.get("years") or []
        assert len(years) <= 2 and all(isinstance(y, int) for y in years), p


@pytest.mark.parametrize("lang", ["it", "en"])
def test_organizations_have_known_sectors(lang: str) -> None:
    data = yaml.safe_load((LANG_DIR / lang / "organizations.yaml").read_text(encoding="utf-8"))
    for org in data["organizations"]:
        assert org["sector"] in SECTORS, org
    for pat in data.get("patterns") or []:
        assert pat["sector"] in SECTORS and pat["head"], pat
