"""The events stage, through the public API: PLOVER type, source and target countries, one event
per happening, circumstances and non-political news left out, exact trigger offsets, dates.

Every sentence here is written for these tests (none comes from the seeds or a corpus).
2025-06-05, the publication date used throughout, is a Thursday.
"""
from __future__ import annotations

import pytest

from cronaca import extract
from cronaca.document import Document
from cronaca.model import Event
from cronaca.pipeline import get_pipeline

from stage_helpers import xfail

PUBLISHED = "2025-06-05"
SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE"}  # the contract's "RUS ↔ PRK": either side may come first


def events_of(text: str, published: str | None = PUBLISHED) -> list[Event]:
    return extract(text, lang="it", published=published).events


def summary(events: list[Event]) -> list[tuple]:
    """What an assertion message shows: enough to see at a glance what the extractor produced."""
    return [(e.type, e.trigger.text, [a.country for a in e.source], [a.country for a in e.target])
            for e in events]


def on_trigger(events: list[Event], trigger: str) -> Event:
    hits = [e for e in events if e.trigger.text.lower() == trigger.lower()]
    assert len(hits) == 1, f"expected one event on {trigger!r}, got {summary(events)}"
    return hits[0]


def countries(actors) -> set[str | None]:
    return {a.country for a in actors}


# (sentence, trigger, acceptable types, source country, target country or None when the sentence
# names no counterpart). Each PLOVER type has a verbal and a nominal trigger.
TYPED = [
    # AGREE
    pytest.param("Il governo italiano ha firmato un accordo con la Tunisia sui migranti.",
                 "firmato", {"AGREE"}, "ITA", "TUN", id="agree-verb"),
    pytest.param("L'accordo tra la Serbia e il Kosovo è stato firmato a Bruxelles.",
                 "accordo", {"AGREE"}, "SRB", "XKX", id="agree-noun"),
    # CONSULT
    pytest.param("Il presidente francese Emmanuel Macron ha incontrato a Parigi il cancelliere "
                 "tedesco Olaf Scholz.", "incontrato", {"CONSULT"}, "FRA", "DEU", id="consult-verb"),
    pytest.param("Il ministro degli Esteri cinese Wang Yi ha telefonato al segretario di Stato "
                 "americano Antony Blinken.", "telefonato", {"CONSULT"}, "CHN", "USA",
                 id="consult-phone"),
    pytest.param("Il premier britannico Keir Starmer ha visitato Kiev.", "visitato", {"CONSULT"},
                 "GBR", "UKR", id="consult-visit-verb"),
    pytest.param("L'incontro tra Vladimir Putin e Xi Jinping si è svolto a Pechino.", "incontro",
                 {"CONSULT"}, "RUS", "CHN", id="consult-noun-tra"),
    pytest.param("La visita del presidente turco Recep Tayyip Erdogan in Iraq ha rafforzato i rapporti.",
                 "visita", {"CONSULT"}, "TUR", "IRQ", id="consult-noun-visit",
                 marks=xfail("the visitor is read as the target and the host is lost: source [], "
                             "target [Erdogan TUR], no IRQ")),
    # SUPPORT
    pytest.param("Il Giappone ha appoggiato la candidatura delle Filippine al Consiglio di sicurezza.",
                 "appoggiato", {"SUPPORT"}, "JPN", "PHL", id="support-verb"),
    pytest.param("Il sostegno del Giappone alle Filippine è stato ribadito.", "sostegno", {"SUPPORT"},
                 "JPN", "PHL", id="support-noun"),
    # CONCEDE
    pytest.param("La Francia ha revocato le sanzioni contro la Siria.", "revocato", {"CONCEDE"},
                 "FRA", "SYR", id="concede-verb"),
    pytest.param("La revoca delle sanzioni alla Siria da parte dell'Unione europea è stata annunciata.",
                 "revoca", {"CONCEDE"}, "EU", "SYR", id="concede-noun"),
    # COOPERATE
    pytest.param("L'India e il Giappone collaborano nel settore della difesa.", "collaborano",
                 {"COOPERATE"}, "IND", "JPN", id="cooperate-verb"),
    pytest.param("Il Vaticano ha riconosciuto l'indipendenza del Kosovo.", "riconosciuto",
                 {"COOPERATE"}, "VAT", "XKX", id="cooperate-recognize"),
    pytest.param("Le esercitazioni congiunte tra India e Giappone si sono concluse.",
                 # the contract codes military exercises MOBILIZE; joint ones are also cooperation
                 "esercitazioni congiunte", {"COOPERATE", "MOBILIZE"}, "IND", "JPN", id="cooperate-noun"),
    # AID
    pytest.param("Gli Stati Uniti hanno fornito munizioni a Israele.", "fornito", {"AID"}, "USA", "ISR",
                 id="aid-verb"),
    pytest.param("La Germania ha inviato missili all'Ucraina.", "inviato", {"AID"}, "DEU", "UKR",
                 id="aid-verb-inviato"),
    pytest.param("Mosca ha annunciato l'invio di truppe russe in Bielorussia.", "invio",
                 {"AID", "MOBILIZE"}, "RUS", "BLR", id="aid-noun-troops"),
    pytest.param("La fornitura di missili americani all'Ucraina è stata approvata dal Congresso.",
                 "fornitura", {"AID"}, "USA", "UKR", id="aid-noun-adjective"),
    # RETREAT
    pytest.param("La Russia ha ritirato le truppe dalla regione di Kherson.", "ritirato", {"RETREAT"},
                 "RUS", None, id="retreat-verb"),
    pytest.param("Il ministro della Difesa israeliano Yoav Gallant si è dimesso.", "dimesso",
                 {"RETREAT"}, "ISR", None, id="retreat-resign"),
    pytest.param("Il ritiro delle truppe americane dall'Afghanistan si è concluso nel 2021.", "ritiro",
                 {"RETREAT"}, "USA", "AFG", id="retreat-noun"),
    # REQUEST
    pytest.param("Il premier israeliano Benjamin Netanyahu ha chiesto agli Stati Uniti nuove munizioni.",
                 "chiesto", {"REQUEST"}, "ISR", "USA", id="request-verb"),
    pytest.param("Il presidente ucraino Volodymyr Zelensky ha esortato la Nato ad accelerare le consegne.",
                 "esortato", {"REQUEST"}, "UKR", "NATO", id="request-exhort"),
    pytest.param("L'appello del segretario generale dell'Onu Antonio Guterres alla Russia è caduto "
                 "nel vuoto.", "appello", {"REQUEST"}, "UN", "RUS", id="request-noun",
                 marks=xfail("the author is read as the target and the addressee 'alla Russia' is "
                             "lost: source [], target [Guterres UN]")),
    # ACCUSE
    pytest.param("Il ministro degli Esteri cinese Wang Yi ha criticato il Giappone.", "criticato",
                 {"ACCUSE"}, "CHN", "JPN", id="accuse-verb"),
    pytest.param("La denuncia del Venezuela contro la Guyana è arrivata all'Onu.", "denuncia",
                 {"ACCUSE"}, "VEN", "GUY", id="accuse-noun"),
    pytest.param("La procura di Milano ha indagato il presidente della Lombardia.", "indagato",
                 {"ACCUSE"}, "ITA", None, id="accuse-investigate"),
    # REJECT
    pytest.param("L'Ungheria ha respinto la richiesta della Commissione europea.", "respinto",
                 {"REJECT"}, "HUN", "EU", id="reject-verb"),
    pytest.param("Il rifiuto dell'Ungheria al piano della Commissione europea ha bloccato il voto.",
                 "rifiuto", {"REJECT"}, "HUN", "EU", id="reject-noun"),
    # THREATEN
    pytest.param("La Corea del Nord ha minacciato il Giappone.", "minacciato", {"THREATEN"}, "PRK",
                 "JPN", id="threaten-verb"),
    pytest.param("Le minacce dell'Iran contro Israele preoccupano i mercati.", "minacce", {"THREATEN"},
                 "IRN", "ISR", id="threaten-noun"),
    # PROTEST
    pytest.param("Migliaia di agricoltori francesi hanno protestato contro il governo a Parigi.",
                 "protestato", {"PROTEST"}, "FRA", "FRA", id="protest-verb"),
    pytest.param("La protesta dei sindacati contro il governo italiano ha paralizzato Roma.", "protesta",
                 {"PROTEST"}, "ITA", "ITA", id="protest-noun"),
    # SANCTION
    pytest.param("Gli Stati Uniti hanno sanzionato la Russia.", "sanzionato", {"SANCTION"}, "USA", "RUS",
                 id="sanction-verb"),
    pytest.param("La Lituania ha espulso tre diplomatici russi.", "espulso", {"SANCTION"}, "LTU", "RUS",
                 id="sanction-expel"),
    pytest.param("Le sanzioni dell'Unione europea contro l'Iran sono entrate in vigore.", "sanzioni",
                 {"SANCTION"}, "EU", "IRN", id="sanction-noun"),
    # MOBILIZE
    pytest.param("La Cina ha schierato navi militari intorno a Taiwan.", "schierato", {"MOBILIZE"},
                 "CHN", "TWN", id="mobilize-verb"),
    pytest.param("Il dispiegamento di truppe francesi in Romania è iniziato.", "dispiegamento",
                 {"MOBILIZE", "AID"}, "FRA", "ROU", id="mobilize-noun"),
    # COERCE
    pytest.param("La polizia turca ha arrestato il sindaco di Istanbul.", "arrestato", {"COERCE"},
                 "TUR", None, id="coerce-verb"),
    pytest.param("I carabinieri hanno arrestato il sindaco di Bari.", "arrestato", {"COERCE"}, "ITA",
                 None, id="coerce-carabinieri"),
    pytest.param("L'arresto del sindaco di Istanbul da parte della polizia turca ha scatenato proteste.",
                 "arresto", {"COERCE"}, "TUR", None, id="coerce-noun"),
    pytest.param("Il tribunale di Mosca ha condannato il giornalista a sei anni di carcere.",
                 "condannato", {"COERCE"}, "RUS", None, id="coerce-sentence"),
    # ASSAULT
    pytest.param("L'esercito russo ha attaccato la città ucraina di Kharkiv.", "attaccato", {"ASSAULT"},
                 "RUS", "UKR", id="assault-verb"),
    pytest.param("Nella notte la città di Gaza è stata bombardata dall'aviazione israeliana.",
                 "bombardata", {"ASSAULT"}, "ISR", "PSE", id="assault-passive-agent"),
    pytest.param("L'invasione dell'Ucraina da parte della Russia è iniziata nel 2022.", "invasione",
                 {"ASSAULT"}, "RUS", "UKR", id="assault-noun"),
    pytest.param("L'attacco di Hamas contro Israele ha causato centinaia di vittime.", "attacco",
                 {"ASSAULT"}, "PSE", "ISR", id="assault-noun-contro"),
]


@pytest.mark.parametrize("text, trigger, types, source, target", TYPED)
def test_event_type_and_participants(text: str, trigger: str, types: set[str], source: str,
                                     target: str | None) -> None:
    event = on_trigger(events_of(text), trigger)
    assert event.type in types
    sides = (countries(event.source), countries(event.target))
    if event.type in SYMMETRIC and source in sides[1]:
        sides = sides[::-1]
    assert source in sides[0], summary([event])
    if target is not None:
        assert target in sides[1], summary([event])


def test_all_sixteen_plover_types_are_covered_by_a_passing_sentence() -> None:
    """The table above is only worth something if every type has a sentence that is not xfailed."""
    passing = {t for p in TYPED if not p.marks for t in p.values[2]}
    assert passing >= {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                       "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                       "COERCE", "ASSAULT"}


def test_modes_of_troop_dispatch_and_recognition() -> None:
    assert on_trigger(events_of("Mosca ha annunciato l'invio di truppe russe in Bielorussia."),
                      "invio").mode == "military"
    assert on_trigger(events_of("Il Vaticano ha riconosciuto l'indipendenza del Kosovo."),
                      "riconosciuto").mode == "recognize"
    assert on_trigger(events_of("La procura di Milano ha indagato il presidente della Lombardia."),
                      "indagato").mode == "investigate"


def test_actor_sectors_follow_the_contract() -> None:
    """Armies are MIL, courts JUD, police GOV, a capital stands for its government."""
    army = on_trigger(events_of("L'esercito russo ha attaccato la città ucraina di Kharkiv."), "attaccato")
    assert [(a.country, a.sector) for a in army.source] == [("RUS", "MIL")]
    court = on_trigger(events_of("Il tribunale di Mosca ha condannato il giornalista a sei anni di "
                                 "carcere."), "condannato")
    assert [(a.country, a.sector) for a in court.source] == [("RUS", "JUD")]
    police = on_trigger(events_of("La polizia turca ha arrestato il sindaco di Istanbul."), "arrestato")
    assert [(a.country, a.sector) for a in police.source] == [("TUR", "GOV")]
    seat = on_trigger(events_of("Washington ha accusato Teheran di fornire droni a Mosca."), "accusato")
    assert [(a.country, a.sector, a.kind) for a in seat.source] == [("USA", "GOV", "state")]


def test_carabinieri_are_a_military_source() -> None:
    """The contract codes gendarmeries and carabinieri as MIL (police forces are GOV)."""
    event = on_trigger(events_of("I carabinieri hanno arrestato il sindaco di Bari."), "arrestato")
    assert [(a.country, a.sector) for a in event.source] == [("ITA", "MIL")]


def test_a_person_source_keeps_its_name() -> None:
    event = on_trigger(events_of("Il premier britannico Keir Starmer ha visitato Kiev."), "visitato")
    assert [(a.name, a.kind, a.country, a.sector) for a in event.source] == [
        ("Keir Starmer", "person", "GBR", "GOV")]


def test_a_person_target_keeps_its_name() -> None:
    event = on_trigger(events_of("Il presidente francese Emmanuel Macron ha incontrato a Parigi il "
                                 "cancelliere tedesco Olaf Scholz."), "incontrato")
    assert [a.name for a in event.target] == ["Olaf Scholz"]


def test_accusation_and_the_accused_act_are_two_events() -> None:
    events = events_of("Washington ha accusato Teheran di fornire droni a Mosca.")
    accuse = on_trigger(events, "accusato")
    act = on_trigger(events, "fornire")
    assert (accuse.type, countries(accuse.source), countries(accuse.target)) == ("ACCUSE", {"USA"}, {"IRN"})
    assert (act.type, countries(act.source), countries(act.target)) == ("AID", {"IRN"}, {"RUS"})
    assert len(events) == 2


def test_denial_is_a_reject_event() -> None:
    events = events_of("Il Cremlino ha negato di aver fornito armi alla Corea del Nord.")
    reject = on_trigger(events, "negato")
    assert reject.type == "REJECT"
    assert countries(reject.source) == {"RUS"}
    assert on_trigger(events, "fornito").type == "AID"


def test_denial_answers_the_accuser_of_the_previous_sentence() -> None:
    events = events_of("Gli Stati Uniti accusano la Cina di fornire armi alla Russia. "
                       "La Cina ha sempre negato le accuse.")
    reject = on_trigger(events, "negato")
    assert (reject.type, countries(reject.source), countries(reject.target)) == ("REJECT", {"CHN"}, {"USA"})


def test_the_denied_accusations_are_not_a_new_accusation() -> None:
    events = events_of("Gli Stati Uniti accusano la Cina di fornire armi alla Russia. "
                       "La Cina ha sempre negato le accuse.")
    assert [e.type for e in events] == ["ACCUSE", "AID", "REJECT"], summary(events)


# -- one event per happening, circumstances, non-events ----------------------------------------------
def test_agreement_named_by_noun_and_verb_is_one_event() -> None:
    events = events_of("L'accordo tra la Serbia e il Kosovo è stato firmato a Bruxelles.")
    assert [e.type for e in events] == ["AGREE"], summary(events)


def test_signing_of_an_agreement_is_one_event() -> None:
    events = events_of("La firma dell'accordo tra Italia e Albania è avvenuta a Roma.")
    assert [e.type for e in events] == ["AGREE"], summary(events)
    assert countries(events[0].source) | countries(events[0].target) == {"ITA", "ALB"}


def test_lifting_sanctions_is_not_also_a_sanction() -> None:
    events = events_of("La Francia ha revocato le sanzioni contro la Siria.")
    assert [e.type for e in events] == ["CONCEDE"], summary(events)


def test_a_clause_of_purpose_is_not_a_second_event() -> None:
    events = events_of("Il Giappone ha inviato aiuti alle Filippine per sostenerle dopo il tifone.")
    assert len([e for e in events if e.type in ("AID", "SUPPORT")]) == 1, summary(events)


def test_two_happenings_in_one_sentence_are_two_events() -> None:
    events = events_of("La Russia ha attaccato Odessa martedì, mentre la Cina ha incontrato la Francia.")
    assert [e.type for e in events] == ["ASSAULT", "CONSULT"], summary(events)
    meeting = on_trigger(events, "incontrato")
    assert countries(meeting.source) | countries(meeting.target) == {"CHN", "FRA"}


def test_target_is_not_taken_from_another_clause() -> None:
    events = events_of("La Russia ha attaccato Odessa martedì, mentre la Cina ha incontrato la Francia.")
    assert countries(on_trigger(events, "attaccato").target) == {"UKR"}


@pytest.mark.parametrize("text", [
    "Durante la visita a Pechino, il cancelliere tedesco Olaf Scholz ha parlato di commercio.",
    "Dopo l'incontro con il presidente cinese Xi Jinping, il premier spagnolo Pedro Sánchez è "
    "tornato a Madrid.",
    "Nel corso del vertice di Bruxelles i leader europei hanno parlato di bilancio.",
    "A margine del vertice della Nato il premier olandese ha parlato con i giornalisti.",
])
def test_circumstantial_event_nouns_are_not_events(text: str) -> None:
    assert events_of(text) == []


@pytest.mark.parametrize("text", [
    "La Juventus ha battuto l'Inter per tre a uno allo Stadium.",
    "Il Milan ha sconfitto il Napoli nella finale di Coppa Italia.",
    "La nazionale italiana ha battuto la Francia ai rigori.",
    pytest.param("Forti piogge hanno colpito la Liguria e la Toscana."),
    "Domani pioverà su tutta la Lombardia e le temperature scenderanno.",
    "Un gruppo di ricercatori dell'Università di Padova ha scoperto una nuova specie di rana.",
    "L'astronauta italiana Samantha Cristoforetti è tornata sulla Terra.",
])
def test_sport_weather_and_science_are_not_events(text: str) -> None:
    events = events_of(text)
    assert events == [], summary(events)


# -- offsets and dates -----------------------------------------------------------------------------
OFFSET_SENTENCES = [
    ("Il presidente francese Emmanuel Macron ha incontrato a Parigi il cancelliere tedesco Olaf Scholz.",
     ["incontrato"]),
    ("Washington ha accusato Teheran di fornire droni a Mosca.", ["accusato", "fornire"]),
    ("L'incontro tra Vladimir Putin e Xi Jinping si è svolto a Pechino.", ["incontro"]),
    ("Le esercitazioni congiunte tra India e Giappone si sono concluse.", ["esercitazioni congiunte"]),
    ("Prima frase senza fatti.\nNella notte la città di Gaza è stata bombardata dall’aviazione "
     "israeliana.", ["bombardata"]),
]


@pytest.mark.parametrize("text, triggers", OFFSET_SENTENCES)
def test_trigger_offsets_point_into_the_text(text: str, triggers: list[str]) -> None:
    events = events_of(text)
    assert [e.trigger.text for e in events] == triggers
    for e in events:
        assert text[e.trigger.start:e.trigger.end] == e.trigger.text
        assert e.sentence.start <= e.trigger.start < e.trigger.end <= e.sentence.end
        assert text.find(e.trigger.text) == e.trigger.start


def test_trigger_offsets_in_the_second_sentence() -> None:
    text = "La Corea del Nord ha minacciato il Giappone. Gli Stati Uniti hanno sanzionato la Russia."
    event = on_trigger(events_of(text), "sanzionato")
    assert (event.trigger.start, event.trigger.end) == (67, 77)
    assert (event.sentence.start, event.sentence.end) == (45, len(text))


def test_offsets_survive_a_title_line_blank_lines_and_windows_newlines() -> None:
    text = ("Tensione nel Pacifico\n\n  La Corea del Nord ha minacciato il Giappone.\r\n"
            "Ieri gli Stati Uniti hanno sanzionato la Russia.")
    events = events_of(text)
    assert [(e.type, text[e.trigger.start:e.trigger.end]) for e in events] == [
        ("THREATEN", "minacciato"), ("SANCTION", "sanzionato")]
    assert [text[e.sentence.start:e.sentence.end] for e in events] == [
        "La Corea del Nord ha minacciato il Giappone.", "Ieri gli Stati Uniti hanno sanzionato la Russia."]
    # the date of the second sentence does not leak into the first
    assert events[0].date is None and events[1].date is not None and events[1].date.value == "2025-06-04"


@pytest.mark.parametrize("text, trigger, value, date_text", [
    ("Mercoledì il presidente francese Emmanuel Macron ha incontrato a Parigi il cancelliere "
     "tedesco Olaf Scholz.", "incontrato", "2025-06-04", "Mercoledì"),
    ("Lunedì scorso la Corea del Nord ha lanciato un missile verso il Giappone.", "lanciato",
     "2025-06-02", "Lunedì scorso"),
    ("Il 12 marzo 2024 la Polonia ha espulso un diplomatico bielorusso.", "espulso", "2024-03-12",
     "12 marzo 2024"),
    ("L'invasione dell'Ucraina da parte della Russia è iniziata nel 2022.", "invasione", "2022",
     "nel 2022"),
    ("Ieri gli Stati Uniti hanno sanzionato la Russia.", "sanzionato", "2025-06-04", "Ieri"),
    ("Il presidente francese Emmanuel Macron incontrerà mercoledì a Parigi il cancelliere tedesco "
     "Friedrich Merz.", "incontrerà", "2025-06-11", "mercoledì"),
    ("Lo scorso agosto l'Ucraina ha lanciato un'offensiva nella regione russa di Kursk.", "lanciato",
     "2024-08", "Lo scorso agosto"),
    ("Ad aprile la Corea del Nord ha confermato l'invio di soldati in Russia.", "invio", "2025-04",
     "Ad aprile"),
])
def test_event_date_comes_from_the_sentence(text: str, trigger: str, value: str, date_text: str) -> None:
    event = on_trigger(events_of(text), trigger)
    assert event.date is not None
    assert (event.date.value, event.date.text) == (value, date_text)


def test_event_date_keeps_the_modifier() -> None:
    event = on_trigger(events_of("Alla fine del 2024 gli Stati Uniti hanno sanzionato la Russia."),
                       "sanzionato")
    assert event.date is not None
    assert (event.date.value, event.date.mod) == ("2024", "END")


def test_relative_date_without_publication_date_keeps_its_text() -> None:
    event = on_trigger(events_of("Mercoledì il presidente francese Emmanuel Macron ha incontrato a "
                                 "Parigi il cancelliere tedesco Olaf Scholz.", published=None),
                       "incontrato")
    assert event.date is not None
    assert (event.date.value, event.date.text) == (None, "Mercoledì")


def test_undated_sentence_has_no_event_date() -> None:
    assert on_trigger(events_of("Gli Stati Uniti hanno sanzionato la Russia."), "sanzionato").date is None


def test_events_stage_alone_fills_the_document() -> None:
    """Running the pipeline up to the events stage leaves attribution and status at their defaults."""
    doc = get_pipeline("it")(Document(text="La Corea del Nord ha minacciato il Giappone.",
                                      published=PUBLISHED), until="events")
    assert [(e.id, e.type, e.trigger.text) for e in doc.events] == [("v1", "THREATEN", "minacciato")]
    assert doc.events[0].attribution == [] and doc.cues == []
    assert 0.0 < doc.events[0].confidence <= 1.0


def test_place_of_a_meeting() -> None:
    event = on_trigger(events_of("L'incontro tra Vladimir Putin e Xi Jinping si è svolto a Pechino."),
                       "incontro")
    assert event.place is not None and (event.place.name, event.place.country) == ("Pechino", "CHN")
