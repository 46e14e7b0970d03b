"""The segmenter: sentences and tokens with exact offsets, on our own sentences."""
from __future__ import annotations

import pytest

from cronaca.document import Document
from cronaca.lang import get_language
from cronaca.stages.segment import MAX_SENTENCE, Segmenter

SEGMENT = Segmenter(get_language("it"))


def sentences(text: str) -> list[str]:
    doc = SEGMENT(Document(text=text))
    return [text[s.start:s.end] for s in doc.sentences]


def test_sentences_end_at_stops_before_a_capital_and_at_line_breaks() -> None:
    text = ("Il governo ha approvato il decreto. Le opposizioni protestano!\n"
            "Titolo senza punto\nIl voto è previsto domani.")
    assert sentences(text) == ["Il governo ha approvato il decreto.", "Le opposizioni protestano!",
                               "Titolo senza punto", "Il voto è previsto domani."]


@pytest.mark.parametrize("text", [
    "Il sig. Rossi ha parlato con il prof. Bianchi in aula.",
    "L'art. 5 della legge è stato abrogato ieri.",
    "Il presidente J. Biden ha ricevuto il premier.",
])
def test_abbreviations_and_initials_do_not_end_a_sentence(text: str) -> None:
    assert sentences(text) == [text]


def test_a_stop_inside_closing_quotes_ends_the_sentence() -> None:
    text = 'Ha detto: "Non cederemo." Poi ha lasciato la sala.'
    assert sentences(text) == ['Ha detto: "Non cederemo."', "Poi ha lasciato la sala."]


def test_tokens_point_exactly_into_the_text_and_fold_apostrophes() -> None:
    text = "L’esercito dell'Ucraina  ha risposto.\n\nIl Cremlino tace."
    doc = SEGMENT(Document(text=text))
    assert all(text[t.start:t.end] == t.text for t in doc.tokens)
    assert [t.norm for t in doc.tokens[:2]] == ["l'", "esercito"]
    assert [doc.tokens[s.token_start].text for s in doc.sentences] == ["L’", "Il"]
    assert all(doc.tokens[i].sent == s.i for s in doc.sentences for i in range(s.token_start, s.token_end))


def test_an_overlong_sentence_is_cut_at_a_comma_into_bounded_pieces() -> None:
    clause = "la Russia ha attaccato la città e il governo ha protestato, "
    text = clause * 80  # ~4.7 KB with no full stop
    pieces = sentences(text)
    assert len(pieces) >= 3
    assert all(len(p) <= MAX_SENTENCE for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1])  # cut after a comma, nothing lost
    assert "".join(p + " " for p in pieces).split() == text.split()


def test_empty_and_blank_texts_have_no_sentences() -> None:
    assert sentences("") == [] and sentences(" \n\n\t") == []
