"""Status, certainty and polarity of each event, from the cues the attribution stage found.

The innermost cue with a status decides ("accusavano Pyongyang di inviare" → alleged; "hanno
confermato la presenza" → confirmed; "temono che … possa" → hypothetical); a modifier on the event
word itself ("la presunta fornitura", "starebbe fornendo", "possa trasferire") is innermost of all.
Without one, an attributed event is `reported` and an unattributed one `asserted`. A future or
conditional trigger verb is hypothetical; a negation right before the trigger flips polarity.
Certainty follows the FactBank reading of each status.
"""
from __future__ import annotations

from ..document import Document, Token
from ..lang import LanguageData
from ..model import Event

CERTAINTY = {"asserted": "certain", "reported": "certain", "confirmed": "certain", "denied": "certain",
             "alleged": "probable", "hypothetical": "possible"}


class StatusClassifier:
    name = "status"

    def __init__(self, lang: LanguageData) -> None:
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
            event.status = status
            negated = self._negated(doc, event)
            event.polarity = "negative" if negated or status == "denied" else "positive"
            certainty = CERTAINTY[status]
            if any(c.kind == "conditional" for c in cues):
                certainty = "probable"
            event.certainty = certainty
        return doc

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
