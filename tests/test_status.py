"""The status stage: asserted, reported, alleged, denied, confirmed or hypothetical, with the
FactBank certainty and the polarity that go with it.

Every sentence here is written for these tests (none comes from the seeds or a corpus).
"""
from __future__ import annotations

import pytest

from cronaca import extract
from cronaca.document import Document
from cronaca.model import CERTAINTIES, POLARITIES, STATUSES
from cronaca.pipeline import get_pipeline

from stage_helpers import PUBLISHED, on_trigger


# (text, trigger, status, certainty, polarity)
STATUS_CASES = [
    # asserted: the article's own voice, plain indicative
    pytest.param("L'esercito russo ha attaccato Odessa.", "attaccato", "asserted", "certain", "positive",
                 id="asserted"),
    pytest.param("Gli Stati Uniti accusano la Cina di fornire armi alla Russia.", "accusano", "asserted",
                 "certain", "positive", id="asserted-the-accusation-itself"),
    pytest.param("Il Cremlino ha negato di aver fornito armi alla Corea del Nord.", "negato", "asserted",
                 "certain", "positive", id="asserted-the-denial-itself"),
    # reported: a named source states it as fact
    pytest.param("L'Iran ha fornito missili alla Russia, secondo il Wall Street Journal.", "fornito",
                 "reported", "certain", "positive", id="reported-secondo"),
    pytest.param("Il presidente ucraino Volodymyr Zelensky ha dichiarato che la Russia ha bombardato "
                 "Odessa.", "bombardato", "reported", "certain", "positive", id="reported-dichiarato"),
    pytest.param("L'Iran ha fornito droni alla Russia, ha riferito la Tass.", "fornito", "reported",
                 "certain", "positive", id="reported-postposed"),
    # alleged: accusations, suspicions, the reportive conditional, "presunto"
    pytest.param("Gli Stati Uniti accusano la Cina di fornire armi alla Russia.", "fornire", "alleged",
                 "probable", "positive", id="alleged-accused-act"),
    pytest.param("La presunta fornitura di armi iraniane alla Russia preoccupa l'Europa.", "fornitura",
                 "alleged", "probable", "positive", id="alleged-presunta"),
    pytest.param("L'Iran starebbe fornendo missili alla Russia.", "fornendo", "alleged", "probable",
                 "positive", id="alleged-starebbe"),
    pytest.param("L'Iran avrebbe fornito missili alla Russia.", "fornito", "alleged", "probable",
                 "positive", id="alleged-avrebbe"),
    pytest.param("Kiev accusa Minsk di aver ammassato truppe al confine.", "ammassato", "alleged",
                 "probable", "positive", id="alleged-accusa-di-aver"),
    pytest.param("Ci sono sospetti che la Bielorussia abbia inviato truppe in Russia.", "inviato",
                 "alleged", "probable", "positive", id="alleged-sospetti"),
    # denied
    pytest.param("Il Cremlino ha negato di aver fornito armi alla Corea del Nord.", "fornito", "denied",
                 "certain", "negative", id="denied-negato-di"),
    pytest.param("Mosca ha smentito l'invio di truppe in Bielorussia.", "invio", "denied", "certain",
                 "negative", id="denied-smentito"),
    pytest.param("L'Ucraina nega di aver attaccato la Bielorussia.", "attaccato", "denied", "certain",
                 "negative", id="denied-present"),
    pytest.param("Il Cremlino ha smentito le accuse di aver fornito armi all'Iran.", "fornito", "denied",
                 "certain", "negative", id="denied-accusations"),
    # confirmed
    pytest.param("Il Pentagono ha confermato l'invio di soldati nordcoreani in Russia.", "invio",
                 "confirmed", "certain", "positive", id="confirmed-object"),
    pytest.param("Il ministero degli Esteri sudcoreano ha confermato che la Corea del Nord ha inviato "
                 "soldati in Russia.", "inviato", "confirmed", "certain", "positive", id="confirmed-che"),
    pytest.param("Mosca ha confermato ufficialmente la presenza di truppe nordcoreane nella regione di "
                 "Kursk.", "presenza", "confirmed", "certain", "positive", id="confirmed-ufficialmente"),
    pytest.param("Il Cremlino ha ammesso la presenza di soldati nordcoreani nella regione di Kursk.",
                 "presenza", "confirmed", "certain", "positive", id="confirmed-ammesso"),
    pytest.param("Ad aprile la Corea del Nord ha confermato l'invio di soldati in Russia.", "invio",
                 "confirmed", "certain", "positive", id="confirmed-by-a-party"),
    # hypothetical: feared, planned, possible, future
    pytest.param("La Corea del Sud teme che la Russia possa fornire missili alla Corea del Nord.",
                 "fornire", "hypothetical", "possible", "positive", id="hypothetical-teme-possa"),
    pytest.param("Israele potrebbe attaccare l'Iran nei prossimi giorni.", "attaccare", "hypothetical",
                 "possible", "positive", id="hypothetical-potrebbe"),
    pytest.param("La Russia attaccherà la Moldavia.", "attaccherà", "hypothetical", "possible",
                 "positive", id="hypothetical-future"),
    pytest.param("Il presidente francese Emmanuel Macron incontrerà mercoledì a Parigi il cancelliere "
                 "tedesco Friedrich Merz.", "incontrerà", "hypothetical", "possible", "positive",
                 id="hypothetical-future-meeting"),
    pytest.param("Il governo cinese invierà aiuti al Myanmar.", "invierà", "hypothetical", "possible",
                 "positive", id="hypothetical-future-aid"),
    pytest.param("Il governo tedesco prevede di inviare nuovi aiuti all'Ucraina.", "inviare",
                 "hypothetical", "possible", "positive", id="hypothetical-prevede"),
    pytest.param("Il governo cinese intende inviare aiuti al Myanmar.", "inviare", "hypothetical",
                 "possible", "positive", id="hypothetical-intende"),
    pytest.param("Il presidente americano Donald Trump ha minacciato di imporre dazi alla Cina.", "dazi",
                 "hypothetical", "possible", "positive", id="hypothetical-threatened-act"),
    # negation
    pytest.param("La Russia non ha attaccato la Moldavia.", "attaccato", "asserted", "certain",
                 "negative", id="negative-non"),
    pytest.param("Il governo francese non ha mai sanzionato la Russia.", "sanzionato", "asserted",
                 "certain", "negative", id="negative-non-mai"),
    pytest.param("Gli Stati Uniti non hanno fornito armi a Israele, ha detto il portavoce del Pentagono.",
                 "fornito", "reported", "certain", "negative", id="negative-reported"),
]


@pytest.mark.parametrize("text, trigger, status, certainty, polarity", STATUS_CASES)
def test_status_certainty_polarity(text: str, trigger: str, status: str, certainty: str,
                                   polarity: str) -> None:
    event = on_trigger(text, trigger)
    assert (event.status, event.certainty, event.polarity) == (status, certainty, polarity)


def test_values_are_the_contract_vocabulary() -> None:
    texts = [p.values[0] for p in STATUS_CASES]
    for text in texts:
        for e in extract(text, lang="it", published=PUBLISHED).events:
            assert e.status in STATUSES and e.certainty in CERTAINTIES and e.polarity in POLARITIES


def test_status_follows_attribution() -> None:
    """An event with an attribution chain is never in the article's own voice, and vice versa."""
    for p in STATUS_CASES:
        for e in extract(p.values[0], lang="it", published=PUBLISHED).events:
            if e.status == "asserted":
                assert e.attribution == [], (p.values[0], e.trigger.text)
            if e.status == "reported":
                assert e.attribution, (p.values[0], e.trigger.text)


def test_a_negation_far_from_the_trigger_does_not_flip_polarity() -> None:
    event = on_trigger("Non è una sorpresa: gli Stati Uniti hanno sanzionato la Russia.", "sanzionato")
    assert event.polarity == "positive"


def test_presunta_qualifies_only_its_own_noun() -> None:
    text = "La presunta fornitura di armi iraniane alla Russia ha spinto gli Stati Uniti a sanzionare l'Iran."
    assert on_trigger(text, "fornitura").status == "alleged"
    assert on_trigger(text, "sanzionare").status == "asserted"


def test_each_event_of_a_sentence_gets_its_own_status() -> None:
    text = "Washington ha accusato Teheran di fornire droni a Mosca."
    assert on_trigger(text, "accusato").status == "asserted"
    assert on_trigger(text, "fornire").status == "alleged"


def test_status_stage_reads_the_cues_of_the_attribution_stage() -> None:
    text = "L'Iran starebbe fornendo missili alla Russia, ha riferito la Tass."
    pipeline = get_pipeline("it")
    before = pipeline(Document(text=text, published=PUBLISHED), until="attribution")
    assert [(e.status, e.certainty) for e in before.events] == [("asserted", "certain")]  # defaults
    after = pipeline(Document(text=text, published=PUBLISHED), until="status")
    # the conditional on the verb itself is innermost: alleged, although the Tass reports it
    assert [(e.status, e.certainty) for e in after.events] == [("alleged", "probable")]
    assert [s.name for s in after.events[0].attribution] == ["TASS"]
