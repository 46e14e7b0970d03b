"""Named entities from the trained tagger, resolved through the gazetteer mentions.

The rule stages before this one find names from gazetteers and patterns and resolve them to
actors; the trained tagger (``models/<lang>/ner.crfsuite``, trained on the project's corpus with
the gazetteer tags as features) decides the spans and types of the record's entities. A model
span takes the country and sector of the mention it coincides with or contains, and the type of a
gazetteer entry it coincides with (the tagger learnt our annotators' "a country that acts is an
ORG", which KIND's and Europarl's annotations follow less; measured on KIND WN_dev and Europarl,
the gazetteer's type does better there, the tagger's on the corpus's own dev split); a person or
organisation that no rule found becomes a new actor mention, so events can use it.

Requires: tokens, sentences, mentions (segment, entities, actors). Assigns: ``doc.entities`` (the
tagger's entities, with the demonyms and nominal actors that overlap none of them) and new
``doc.mentions`` of source ``model``.
"""
from __future__ import annotations

from ..document import Document, Mention
from ..features import featurizer, mention_tags, mentions_by_sentence
from ..lang import LanguageData
from ..trained import LanguageModels

SCORED = ("PER", "LOC", "ORG")
_KIND = {"PER": "person", "ORG": "organization", "LOC": None}


def spans_from_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """``(first, end, type)`` token spans of a BIO sequence; a stray ``I-`` opens a span."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate(tags + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if start >= 0:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans


class EntityTagger:
    name = "ner"

    def __init__(self, lang: LanguageData, models: LanguageModels | None = None) -> None:
        self.model = models.ner if models else None
        self.features = featurizer(lang.code) if self.model else None

    def __call__(self, doc: Document) -> Document:
        if self.model is None or self.features is None:
            return doc
        entities: list[Mention] = []
        added: list[Mention] = []
        mentions = sorted(doc.mentions, key=lambda m: m.start)
        by_sentence = mentions_by_sentence(doc)
        sentences = [sent for sent in doc.sentences if sent.token_end > sent.token_start]
        inside_of: list[list[Mention]] = []
        sequences = []
        for sent in sentences:
            tokens = doc.tokens[sent.token_start:sent.token_end]
            inside = sorted((m for m in by_sentence.get(sent.i, []) if m.token_end <= sent.token_end),
                            key=lambda m: m.start)
            inside_of.append(inside)
            sequences.append(self.features.ner_sequence(tokens, mention_tags(tokens, inside, sent.token_start)))
        for sent, inside, tags in zip(sentences, inside_of, self.model.chain.decode(sequences)):
            for lo, hi, etype in spans_from_tags(tags):
                i, j = sent.token_start + lo, sent.token_start + hi
                entity = self._resolved(doc, i, j, etype, inside)
                entities.append(entity)
                if entity.source == "model" and etype in ("PER", "ORG") and not any(
                        m.token_start < j and i < m.token_end for m in inside):
                    added.append(entity)
        # demonyms and nominal actors ("i russi", "l'esercito ucraino") are no named entities for
        # the tagger but stay in the record, where queries and highlighting find the actors
        named = [(e.token_start, e.token_end) for e in entities]
        doc.entities = sorted(entities + [m for m in mentions if m.type not in SCORED and not any(
            m.token_start < j and i < m.token_end for i, j in named)], key=lambda m: m.start)
        if added:
            doc.mentions = sorted(doc.mentions + added, key=lambda m: m.start)
        return doc

    @staticmethod
    def _resolved(doc: Document, i: int, j: int, etype: str, mentions: list[Mention]) -> Mention:
        """The span as an entity, with the actor of the mention it equals or contains."""
        start, end = doc.tokens[i].start, doc.tokens[j - 1].end
        same = next((m for m in mentions if m.start == start and m.end == end), None)
        inner = same or next((m for m in mentions if start <= m.start and m.end <= end and m.country), None)
        if same is not None and same.source == "gazetteer" and same.type in SCORED:
            etype = same.type  # a name the dictionary knows keeps its type ("Unione europea")
        text = doc.text[start:end]
        return Mention(start=start, end=end, text=text, type=etype, token_start=i, token_end=j,
                       name=(same.name if same and same.name else text),
                       kind=_KIND.get(etype), country=inner.country if inner else None,
                       sector=inner.sector if inner else None, role=same.role if same else "name",
                       source="gazetteer" if same else "model")
