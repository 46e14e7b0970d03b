"""Status, certainty and polarity of each event, from the cues the attribution stage found.

The innermost cue with a status decides ("accusavano Pyongyang di inviare" → alleged; "hanno
confermato la presenza" → confirmed; "temono che … possa" → hypothetical); a modifier on the event
word itself ("la presunta fornitura", "starebbe fornendo", "possa trasferire") is innermost of all.
Without one, an attributed event is `reported` and an unattributed one `asserted`. A future or
conditional trigger verb is hypothetical; a negation right before the trigger flips polarity.
Certainty follows the FactBank reading of each status.

Where a status model was trained (``models/<lang>/status.crfsuite``), it reads the rules' answer
with the cue words around the trigger and overrides it when it is confident enough: the cue
lists cannot foresee every way Italian news hedges, reports and denies.
"""
from __future__ import annotations

from ..document import Document, Token
from ..features import Featurizer, featurizer
from ..lang import LanguageData
from ..model import Event
from ..trained import LanguageModels

CERTAINTY = {"asserted": "certain", "reported": "certain", "confirmed": "certain", "denied": "certain",
             "alleged": "probable", "hypothetical": "possible"}


class StatusClassifier:
    name = "status"

    def __init__(self, lang: LanguageData, models: LanguageModels | None = None) -> None:
        self.model = models.status if models else None
        self.override_above = models.threshold("status_override", 0.6) if models else 1.1
        self.features = featurizer(lang.code) if self.model else None
        cues = lang.data("cues")
        self.future_endings = tuple(cues.get("future_endings", []))
        self.negations = set(cues.get("negations", []))
        self.fillers = set(lang.data("syntax").get("fillers", [])) - self.negations

    def __call__(self, doc: Document) -> Document:
        ranked: dict[str, list] = {}
        for cue in doc.cues:
            for event_id, rank in cue.covers.items():
                ranked.setdefault(event_id, []).append((rank, cue))
        for event in doc.events:
            cues = [c for _, c in sorted(ranked.get(event.id, []), key=lambda x: (x[1].kind != "modifier"
                                                                                   and x[1].kind != "conditional", x[0]))]
            statuses = [c.status for c in cues if c.status]
            # "ha smentito le accuse di aver fornito …": the denial outranks the accusation it answers
            status = "denied" if "denied" in statuses else next(iter(statuses), None)
            if status is None and (self._future(doc, event) or self._future_sentence(doc, event)):
                status = "hypothetical"
            if status is None:
                status = "reported" if event.attribution else "asserted"
            status = self._model_status(doc, event, status)
            event.status = status
            negated = self._negated(doc, event)
            event.polarity = "negative" if negated or status == "denied" else "positive"
            certainty = CERTAINTY[status]
            if any(c.kind == "conditional" for c in cues):
                certainty = "probable"
            event.certainty = certainty
        return doc

    def _model_status(self, doc: Document, event: Event, rule_status: str) -> str:
        if self.model is None or self.features is None:
            return rule_status
        features = status_features(self.features, doc, event, rule_status)
        if features is None:
            return rule_status
        probs = self.model.classify(features)
        best = max(probs, key=probs.__getitem__)
        if best != rule_status and probs[best] >= self.override_above:
            if best == "reported" and not event.attribution:
                return rule_status  # a report names its source
            if best == "asserted" and event.attribution:
                return rule_status  # the article's own voice has no source
            return best
        return rule_status

    def _tokens_before(self, doc: Document, event: Event, n: int) -> list[Token]:
        token = doc.token_at(event.trigger.start)
        if token is None:
            return []
        idx = token.i
        out: list[Token] = []
        j = idx - 1
        while j >= 0 and len(out) < n and doc.tokens[j].sent == doc.tokens[idx].sent:
            out.append(doc.tokens[j])
            j -= 1
        return out

    def _future(self, doc: Document, event: Event) -> bool:
        word = event.trigger.text.lower().split()[0]
        return word.endswith(self.future_endings) and len(word) > 5

    @staticmethod
    def _future_sentence(doc: Document, event: Event) -> bool:
        """"Il Papa effettuerà le visite …": an event noun in a sentence told in the future."""
        sentence = doc.sentence_of(event.trigger.start)
        return sentence is not None and doc.tense.get(sentence.i) == "future"

    def _negated(self, doc: Document, event: Event) -> bool:
        for tok in self._tokens_before(doc, event, 4):
            if tok.norm in self.negations:
                return True
            if tok.norm not in self.fillers:
                return False
        return False


def status_features(features: Featurizer, doc: Document, event: Event, rule_status: str) -> list[str] | None:
    """The status model's features of one event: the rules' status, then the cue words of its
    sentence (``Featurizer.status_features``); None when the trigger is not at a token."""
    token = doc.token_at(event.trigger.start)
    sentence = doc.sentence_of(event.trigger.start)
    if token is None or sentence is None:
        return None
    tokens = doc.tokens[sentence.token_start:sentence.token_end]
    found = features.status_features(tokens, token.i - sentence.token_start, event.type,
                                     bool(event.attribution))
    return found + [f"rule={rule_status}", f"rule_t={rule_status}/{event.type}"]
