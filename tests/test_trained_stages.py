"""The trained stages as they ship: the models load, each stage assigns its layer, rules and
tagger vote on triggers, and the rules around them (carried-over subjects, the story's country)
still hold without any model."""
from __future__ import annotations

import json

import pytest

from cronaca.document import Document
from cronaca.pipeline import Pipeline, get_pipeline
from cronaca.trained import MODELS_DIR, models_for

PUBLISHED = "2025-06-05"


@pytest.fixture(scope="module")
def rules_only() -> Pipeline:
    return Pipeline.for_language("it", models=None)


def events_of(pipeline: Pipeline, text: str) -> list[tuple[str, str]]:
    doc = pipeline(Document(text=text, published=PUBLISHED))
    return [(e.type, e.trigger.text) for e in doc.events]


def test_the_shipped_models_load_with_their_thresholds_and_figures():
    models = models_for("it")
    assert models is not None
    assert all(m is not None for m in (models.ner, models.triggers, models.roles, models.status, models.calibration))
    meta = json.loads((MODELS_DIR / "it" / "meta.json").read_text(encoding="utf-8"))
    assert meta["report"]["sentences"] >= 4000
    assert 0.0 < meta["thresholds"]["trigger_add"] <= 1.1
    size = sum(p.stat().st_size for p in (MODELS_DIR / "it").iterdir())
    assert size < 30_000_000  # tens of MB at most, shipped in the wheel


def test_a_language_without_models_runs_on_rules():
    assert models_for("en") is None
    doc = get_pipeline("en")(Document(text="Russia attacked Ukraine.", lang="en"))
    assert doc.entities is None and doc.triggers == []


def test_the_entity_tagger_decides_the_record_entities():
    text = "Il consigliere comunale Gianmarco Fedrigotti ha denunciato il sindaco di Rovereto."
    doc = get_pipeline("it")(Document(text=text, published=PUBLISHED))
    assert doc.entities is not None
    found = {(text[m.start:m.end], m.type) for m in doc.entities}
    assert ("Gianmarco Fedrigotti", "PER") in found and ("Rovereto", "LOC") in found
    record = doc.to_record()
    assert {(e.text, e.type) for e in record.entities} == found


def test_the_trigger_tagger_proposes_with_probabilities():
    text = "I lavoratori dei trasporti hanno incrociato le braccia contro il governo."
    doc = get_pipeline("it")(Document(text=text, published=PUBLISHED), until="timex")
    assert len(doc.no_trigger) == len(doc.tokens)
    assert all(0.0 <= p <= 1.0 for p in doc.no_trigger)
    proposed = {(doc.tokens[p.token_start].text, p.type) for p in doc.triggers}
    assert ("incrociato", "PROTEST") in proposed


def test_the_tagger_finds_an_event_the_lexicon_lacks(rules_only: Pipeline):
    text = "I lavoratori dei trasporti hanno incrociato le braccia contro il governo."
    assert events_of(rules_only, text) == []
    assert [t for t, _ in events_of(get_pipeline("it"), text)] == ["PROTEST"]


def test_the_tagger_vetoes_a_lexicon_word_in_another_sense(rules_only: Pipeline):
    """"giornalista d'inchiesta": an investigation for the lexicon, a kind of journalist here."""
    text = "Il giornalista d'inchiesta Mario Rossi ha presentato il suo libro a Milano."
    assert events_of(rules_only, text) == [("ACCUSE", "inchiesta")]
    assert events_of(get_pipeline("it"), text) == []


def test_confidence_is_a_probability_from_the_calibrator():
    text = "La polizia ha arrestato tre uomini a Palermo. Il governo ha firmato un accordo con la Tunisia."
    events = get_pipeline("it")(Document(text=text, published=PUBLISHED)).to_record().events
    assert events and all(0.0 <= e.confidence <= 1.0 for e in events)
    assert len({round(e.confidence, 3) for e in events}) > 1


def test_the_subject_of_the_sentence_before_is_carried_over(rules_only: Pipeline):
    text = ("Il ministro degli Esteri russo Sergej Lavrov è arrivato ieri a Pechino. "
            "Ha poi accusato gli Stati Uniti di alimentare la guerra.")
    doc = rules_only(Document(text=text, published=PUBLISHED))
    (accuse,) = [e for e in doc.to_record().events if e.type == "ACCUSE"]
    assert [(a.text, a.country) for a in accuse.source] == [("", "RUS")]


def test_a_person_of_unknown_nationality_takes_the_story_country(rules_only: Pipeline):
    """The story's most mentioned country, never the place named beside the person; the
    language's home country when the story names none."""
    text = ("Il governo tedesco ha presentato la riforma delle pensioni. Berlino vuole approvarla "
            "entro l'estate. A Vienna il deputato Klaus Weber ha criticato la riforma.")
    doc = rules_only(Document(text=text, published=PUBLISHED))
    (accuse,) = [e for e in doc.to_record().events if e.type == "ACCUSE"]
    assert [(a.text, a.country) for a in accuse.source] == [("Klaus Weber", "DEU")]
    lonely = "Il sindaco Mario Bianchi ha denunciato l'assessore Luigi Verdi."
    (accuse,) = [e for e in rules_only(Document(text=lonely, published=PUBLISHED)).to_record().events]
    assert [a.country for a in accuse.source] == ["ITA"]


def test_the_taggers_give_each_thread_its_own_state():
    """The web app extracts in a thread pool over one pipeline: CRFsuite's classifiers read the
    last item they were given, so threads must not share one."""
    import threading

    pipeline = get_pipeline("it")
    texts = ["La polizia ha arrestato tre uomini a Palermo dopo una lunga indagine della procura.",
             "Il governo ha firmato un accordo con la Tunisia sui migranti e sulla cooperazione tra i due paesi."]

    def summary(text: str) -> list[tuple[str, str, float]]:
        return [(e.type, e.trigger.text, e.confidence) for e in pipeline(Document(text=text)).events]

    expected = {t: summary(t) for t in texts}
    problems: list[str] = []

    def work(offset: int) -> None:
        for k in range(30):
            text = texts[(offset + k) % 2]
            try:
                if summary(text) != expected[text]:
                    problems.append("different result")
            except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
                problems.append(repr(exc))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == []


def test_running_from_or_until_an_unknown_stage_is_an_error():
    with pytest.raises(ValueError, match="no stage 'nope'"):
        get_pipeline("it")(Document(text="Roma."), start="nope")


def test_a_full_word_cache_starts_afresh_without_changing_any_result(monkeypatch):
    """The taggers cache each word's summed weights; a long ingest fills the cache, which then
    restarts: the entities and triggers must be the same as with a cache that never fills."""
    from cronaca import crf

    texts = ["La procura di Milano ha indagato il sindaco Giuseppe Sala per abuso d'ufficio.",
             "Il presidente ucraino Volodymyr Zelensky ha incontrato a Kiev il cancelliere tedesco.",
             "I carabinieri hanno arrestato tre uomini accusati di estorsione a Napoli."]

    def layers(pipeline: Pipeline) -> list:
        out = []
        for text in texts * 2:
            doc = pipeline(Document(text=text, published=PUBLISHED), until="ner")
            out.append(([(e.start, e.end, e.type) for e in doc.entities],
                        [(p.token_start, p.token_end, p.type, round(p.probability, 6)) for p in doc.triggers],
                        [round(p, 6) for p in doc.no_trigger]))
        return out

    expected = layers(Pipeline.for_language("it"))
    models = models_for("it")
    monkeypatch.setattr(crf, "WORD_CACHE_BYTES", 2_000)  # a handful of words
    for model in (models.ner.chain, models.triggers.chain):
        monkeypatch.setattr(model, "_slot", {})
    assert layers(Pipeline.for_language("it")) == expected
    last = Pipeline.for_language("it")(Document(text=texts[-1]), until="segment")
    assert set(models.triggers.chain._slot) == {t.norm for t in last.tokens}  # only the last text's words
