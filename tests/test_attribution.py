"""The attribution stage: on whose word each event is told, innermost speaker first, outlet last.

Every sentence here is written for these tests (none comes from the seeds or a corpus).
"""
from __future__ import annotations

import pytest

from cronaca.document import Document
from cronaca.model import Event
from cronaca.pipeline import get_pipeline

from stage_helpers import PUBLISHED, on_trigger, xfail


def chain(event: Event) -> list[tuple[str, str | None, str | None]]:
    return [(s.name, s.country, s.sector) for s in event.attribution]


def agrees(event: Event, expected: list[tuple[str | None, str | None, str | None]]) -> bool:
    """The chain, link by link; a name of None accepts any name (a government may be called by
    its seat, "Casa Bianca", or by its country)."""
    got = chain(event)
    return len(got) == len(expected) and all(
        (name is None or name == g[0]) and (country, sector) == g[1:]
        for g, (name, country, sector) in zip(got, expected))


# (text, trigger, expected chain as (name, country, sector), innermost speaker first, outlet last;
# a name of None accepts any name)
CHAINS = [
    pytest.param("L'Iran ha fornito missili alla Russia, secondo il Wall Street Journal.", "fornito",
                 [("Wall Street Journal", "USA", "MED")], id="secondo-postposed"),
    pytest.param("Secondo la Casa Bianca, l'Iran ha fornito missili alla Russia.", "fornito",
                 [(None, "USA", "GOV")], id="secondo-preposed"),
    pytest.param("Stando al ministero degli Esteri russo, l'Ucraina ha attaccato la regione di Belgorod.",
                 "attaccato", [(None, "RUS", "GOV")], id="stando-al"),
    pytest.param("Il presidente ucraino Volodymyr Zelensky ha dichiarato che la Russia ha bombardato "
                 "Odessa.", "bombardato", [("Volodymyr Zelensky", "UKR", "GOV")], id="ha-dichiarato-che"),
    pytest.param("L'Iran ha fornito droni alla Russia, ha riferito la Tass.", "fornito",
                 [("TASS", "RUS", "MED")], id="postposed-outlet"),
    pytest.param("\"La Russia ha bombardato Odessa\", ha detto Zelensky.", "bombardato",
                 [("Volodymyr Zelensky", "UKR", "GOV")], id="quote-straight"),
    pytest.param("«La Russia ha bombardato Odessa», ha detto il presidente ucraino Volodymyr Zelensky.",
                 "bombardato", [("Volodymyr Zelensky", "UKR", "GOV")], id="quote-guillemets"),
    pytest.param("In un'intervista alla Cnn, il presidente ucraino Volodymyr Zelensky ha detto che la "
                 "Russia ha attaccato Odessa.", "attaccato",
                 [("Volodymyr Zelensky", "UKR", "GOV"), ("CNN", "USA", "MED")], id="intervista-alla"),
    pytest.param("Il presidente ucraino Volodymyr Zelensky ha detto che la Russia ha attaccato Odessa, "
                 "ha riferito la Cnn.", "attaccato",
                 [("Volodymyr Zelensky", "UKR", "GOV"), ("CNN", "USA", "MED")], id="speaker-then-outlet"),
    pytest.param("Il premier israeliano Benjamin Netanyahu ha detto alla Cnn che l'Iran ha attaccato "
                 "Israele.", "attaccato",
                 [("Benjamin Netanyahu", "ISR", "GOV"), ("CNN", "USA", "MED")], id="detto-alla-outlet"),
    pytest.param("La Russia ha attaccato Odessa. Lo ha detto il presidente ucraino Volodymyr Zelensky.",
                 "attaccato", [("Volodymyr Zelensky", "UKR", "GOV")], id="lo-ha-detto"),
    pytest.param("Il ministero della Difesa russo ha annunciato che l'esercito russo ha conquistato il "
                 "villaggio di Pokrovsk.", "conquistato", [(None, "RUS", "GOV")], id="ha-annunciato-che"),
    pytest.param("Il presidente russo Vladimir Putin ha telefonato al presidente americano Donald Trump, "
                 "ha riferito il Cremlino.", "telefonato", [(None, "RUS", "GOV")], id="postposed-seat"),
    pytest.param("La Nato ha espresso il timore che la Russia possa attaccare la Lituania.", "attaccare",
                 [("NATO", "NATO", "IGO")], id="timore-che"),
    pytest.param("L'esercito russo ha attaccato Odessa.", "attaccato", [], id="own-voice"),
    pytest.param("Gli Stati Uniti hanno sanzionato la Russia. La Russia ha attaccato Odessa.", "sanzionato",
                 [], id="own-voice-two-sentences"),
]


@pytest.mark.parametrize("text, trigger, expected", CHAINS)
def test_attribution_chain(text: str, trigger: str, expected: list[tuple]) -> None:
    event = on_trigger(text, trigger)
    assert agrees(event, expected), chain(event)


@xfail("a speaker named by role and organisation ('il portavoce dell'Onu') after 'Lo ha dichiarato' "
       "is not found: attribution []")
def test_lo_ha_dichiarato_with_a_spokesperson_covers_the_previous_sentence() -> None:
    event = on_trigger("L'esercito israeliano ha bombardato Rafah. Lo ha dichiarato il portavoce "
                       "dell'Onu.", "bombardato")
    assert [(s.country, s.sector) for s in event.attribution] == [("UN", "IGO")]


@pytest.mark.parametrize("text, trigger, source", [
    ("Secondo la Casa Bianca, l'Iran ha fornito missili alla Russia.", "fornito", "IRN"),
    ("Secondo il ministero della Difesa britannico, la Russia ha lanciato un'offensiva nella regione "
     "di Kharkiv.", "lanciato", "RUS"),
    ("La Russia ha lanciato un'offensiva nella regione di Kharkiv, ha dichiarato il ministero della "
     "Difesa britannico.", "lanciato", "RUS"),
    ("\"La Russia ha bombardato Odessa\", ha detto Zelensky.", "bombardato", "RUS"),
    ("Il presidente ucraino Volodymyr Zelensky ha detto che la Russia ha attaccato Odessa, ha riferito "
     "la Cnn.", "attaccato", "RUS"),
    ("Secondo l'agenzia Ansa, la polizia ha arrestato due attivisti a Roma.", "arrestato", "ITA"),
])
def test_speakers_are_not_participants(text: str, trigger: str, source: str) -> None:
    """Who tells it is on the chain, never the source or target of what is told."""
    event = on_trigger(text, trigger)
    actors = event.source + event.target
    speakers = {s.name.lower() for s in event.attribution}
    participants = {(a.name or "").lower() for a in actors} | {a.text.lower() for a in actors}
    assert speakers and not speakers & participants, (chain(event), participants)
    assert {a.country for a in event.source} == {source}


def test_postposed_speaker_covers_only_its_own_sentence() -> None:
    text = ("Gli Stati Uniti hanno sanzionato la Russia. L'Iran ha fornito droni alla Russia, "
            "ha riferito la Tass.")
    assert chain(on_trigger(text, "sanzionato")) == []
    assert chain(on_trigger(text, "fornito")) == [("TASS", "RUS", "MED")]


def test_source_records_kind_and_cue() -> None:
    source = on_trigger("L'Iran ha fornito droni alla Russia, ha riferito la Tass.", "fornito").attribution[0]
    assert (source.kind, source.cue) == ("organization", "riferito")
    person = on_trigger("Il presidente ucraino Volodymyr Zelensky ha dichiarato che la Russia ha "
                        "bombardato Odessa.", "bombardato").attribution[0]
    assert (person.kind, person.cue) == ("person", "dichiarato")
    according = on_trigger("L'Iran ha fornito missili alla Russia, secondo il Wall Street Journal.",
                           "fornito").attribution[0]
    assert according.cue.lower() == "secondo"


def test_accuser_is_the_source_of_the_accused_act_not_of_the_accusation() -> None:
    text = "Washington ha accusato Teheran di fornire droni a Mosca."
    assert chain(on_trigger(text, "accusato")) == []
    assert [(s.country, s.sector) for s in on_trigger(text, "fornire").attribution] == [("USA", "GOV")]


def test_denier_is_the_source_of_the_denied_act() -> None:
    event = on_trigger("Il Cremlino ha negato di aver fornito armi alla Corea del Nord.", "fornito")
    assert [(s.country, s.sector) for s in event.attribution] == [("RUS", "GOV")]


@xfail("a suspicion voiced by nobody ('Ci sono sospetti che …') is attributed to the suspected "
       "country itself: [Bielorussia]")
def test_unattributed_suspicion_has_no_source() -> None:
    event = on_trigger("Ci sono sospetti che la Bielorussia abbia inviato truppe in Russia.", "inviato")
    assert chain(event) == []


def test_speaker_of_a_fear_is_the_source() -> None:
    event = on_trigger("La Corea del Sud teme che la Russia possa fornire missili alla Corea del Nord.",
                       "fornire")
    assert chain(event) == [("Corea del Sud", "KOR", "GOV")]


def test_a_statement_of_support_is_its_own_event_not_attributed_to_its_author() -> None:
    """"X ha ribadito il suo sostegno": the statement is the support event, said in X's own voice."""
    event = on_trigger("Il presidente ucraino Volodymyr Zelensky ha ribadito il suo sostegno alla "
                       "Moldavia.", "sostegno")
    assert event.type == "SUPPORT"
    assert chain(event) == []


def test_attribution_stage_keeps_cues_for_the_status_stage() -> None:
    doc = get_pipeline("it")(Document(text="L'Iran ha fornito droni alla Russia, ha riferito la Tass.",
                                      published=PUBLISHED), until="attribution")
    assert [c.text for c in doc.cues] == ["riferito"]
    assert doc.cues[0].covers == {doc.events[0].id: 0}
    assert [s.name for s in doc.events[0].attribution] == ["TASS"]
    assert doc.events[0].status == "asserted"  # the status stage has not run yet
