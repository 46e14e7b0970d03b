"""Event triggers proposed by the trained tagger, for the events stage to weigh with its rules.

The tagger (``models/<lang>/triggers.crfsuite``) gives each token the probability of each label
``B-TYPE``/``I-TYPE``/``O`` from its form, lemma, the rule lexicon's readings, neighbouring words
and entities. It is a token classifier, not a linear chain: trained on the same corpus
sentences, a CRF with the same features found trigger spans with F1 0.530 on dev and 0.522 on
test, the token classifier 0.518 and 0.516 (the same recall), and the CRF's marginals cost more
than the rest of the stage together. It does not build events: it proposes every token likely
enough to begin a trigger (even where "O" is likelier), with its likeliest type and probability,
and tells, for every token, how likely it is to begin no trigger at all, so the events stage can
add what the lexicon misses and drop what context rules out (an "attacco" in a football match).

Requires: tokens, sentences, mentions. Assigns: ``doc.triggers``, ``doc.no_trigger``.
"""
from __future__ import annotations

import numpy as np

from ..document import Document, TriggerProposal
from ..features import featurizer, mention_tags, mentions_by_sentence
from ..lang import LanguageData
from ..trained import LanguageModels

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
        sentences = [sent for sent in doc.sentences if sent.token_end > sent.token_start]
        sequences = []
        for sent in sentences:
            tokens = doc.tokens[sent.token_start:sent.token_end]
            inside = [m for m in by_sentence.get(sent.i, []) if m.token_end <= sent.token_end]
            sequences.append(self.features.trigger_sequence(tokens, mention_tags(tokens, inside, sent.token_start)))
        chain = self.model.chain
        outside_column = chain.labels.index("O")
        begin_columns = [(label[2:], chain.labels.index(label)) for label in self.begin_labels]
        inside_columns = {label[2:]: j for j, label in enumerate(chain.labels) if label.startswith("I-")}
        if sentences:
            probs = np.concatenate(chain.probabilities(sequences))
            position = np.concatenate([np.arange(s.token_start, s.token_end) for s in sentences])
            sentence_end = np.concatenate([np.full(s.token_end - s.token_start, s.token_end) for s in sentences])
            outside = probs[:, outside_column]
            no_trigger_array = np.ones(len(doc.tokens))
            no_trigger_array[position] = outside
            no_trigger = no_trigger_array.tolist()
            for row in np.nonzero(outside <= 1.0 - PROPOSAL_FLOOR)[0].tolist():
                # the likeliest type at this token, even where "O" is likelier still
                types = {etype: float(probs[row, j]) for etype, j in begin_columns}
                etype = max(types, key=types.__getitem__)
                if types[etype] < PROPOSAL_FLOOR:
                    continue
                # a multi-word trigger goes on while its next words are likeliest inside it
                k, end, inside = int(position[row]), row + 1, inside_columns.get(etype, -1)
                while end < len(position) and position[end] < sentence_end[row] \
                        and int(probs[end].argmax()) == inside:
                    end += 1
                proposals.append(TriggerProposal(k, k + end - row, etype, types[etype],
                                                 {t: p for t, p in types.items() if p >= 0.05}))
        doc.triggers = proposals
        doc.no_trigger = no_trigger
        return doc
