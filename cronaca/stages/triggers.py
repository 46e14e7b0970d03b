"""Event triggers proposed by the trained tagger, for the events stage to weigh with its rules.

The tagger (``models/<lang>/triggers.crfsuite``) labels each token ``B-TYPE``/``I-TYPE``/``O``
from its form, lemma, the rule lexicon's readings, neighbouring words and entities. It does not
build events: it proposes every token likely enough to begin a trigger (from the label marginals,
not only the best path), with its likeliest type and probability, and tells, for every token, how likely it
is to begin no trigger at all, so the events stage can add what the lexicon misses and drop
what context rules out (an "attacco" in a football match).

Requires: tokens, sentences, mentions. Assigns: ``doc.triggers``, ``doc.no_trigger``.
"""
from __future__ import annotations

from ..document import Document, TriggerProposal
from ..features import featurizer, mention_tags, mentions_by_sentence
from ..lang import LanguageData
from ..trained import LanguageModels
from .ner import spans_from_tags

# Below this probability a token is not proposed as a trigger at all (the events stage applies
# its own, tuned, thresholds above it).
PROPOSAL_FLOOR = 0.2


class TriggerTagger:
    name = "triggers"

    def __init__(self, lang: LanguageData, models: LanguageModels | None = None) -> None:
        self.model = models.triggers if models else None
        self.features = featurizer(lang.code) if self.model else None
        self.begin_labels = [label for label in self.model.labels if label.startswith("B-")] if self.model else []

    def __call__(self, doc: Document) -> Document:
        if self.model is None or self.features is None:
            return doc
        proposals: list[TriggerProposal] = []
        no_trigger = [1.0] * len(doc.tokens)
        by_sentence = mentions_by_sentence(doc)
        for sent in doc.sentences:
            tokens = doc.tokens[sent.token_start:sent.token_end]
            if not tokens:
                continue
            inside = [m for m in by_sentence.get(sent.i, []) if m.token_end <= sent.token_end]
            xseq = self.features.trigger_features(tokens, mention_tags(tokens, inside, sent.token_start))
            tags = self.model.tag(xseq)
            ends = {lo: hi for lo, hi, _ in spans_from_tags(tags)}
            for k in range(len(tokens)):
                outside = self.model.marginal("O", k)
                no_trigger[sent.token_start + k] = outside
                if outside > 1.0 - PROPOSAL_FLOOR:
                    continue
                # the likeliest type at this token, even where the best path says "O"
                types = {label[2:]: self.model.marginal(label, k) for label in self.begin_labels}
                etype = max(types, key=types.__getitem__)
                if types[etype] >= PROPOSAL_FLOOR:
                    proposals.append(TriggerProposal(sent.token_start + k, sent.token_start + ends.get(k, k + 1),
                                                     etype, types[etype],
                                                     {t: p for t, p in types.items() if p >= 0.05}))
        doc.triggers = proposals
        doc.no_trigger = no_trigger
        return doc
