"""Attribution: on whose word each event is told.

Cues are found per sentence: verbs of saying with their speaker ("X ha dichiarato che …",
"…, ha riferito la Kcna"), "secondo X", status verbs and nouns ("accusavano Pyongyang di …",
"il timore che …"), and outlets hosting a statement ("in un'intervista alla Tass"). Each cue covers
a scope of the text; an event inside a scope is attributed to the cue's speakers, innermost first,
outlets last. A sentence that points back ("Lo ha dichiarato …", "questo commento") extends its
source to the previous sentence. A cue whose speaker is the event's own source and whose object is
the event noun ("ha ribadito il suo sostegno") is the event itself, not an attribution.
The cues are kept on the document for the status stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document, Mention
from ..lang import LanguageData
from ..lexicon import Morphology, PhraseIndex, expand_verbs
from ..model import Actor, Event, EventDate, Source, Span, Trigger
from ..syntax import SentenceSyntax, Syntax

SPEAKER_TYPES = {"PER", "ORG", "NOM", "LOC", "NORP"}


@dataclass
class Cue:
    kind: str  # "speech" | "according" | "noun" | "modifier" | "conditional"
    status: str | None
    sent: int
    start: int  # character offsets of the cue word(s)
    end: int
    text: str
    scope: list[tuple[int, int]]
    speakers: list[Mention] = field(default_factory=list)
    outlets: list[Mention] = field(default_factory=list)
    object_event_at: int | None = None  # trigger start of an event that *is* this speech act
    date: EventDate | None = None  # when the statement was made ("in un'intervista di oggi")
    speaker_sources: list[Source] = field(default_factory=list)  # speakers known only as actors
    covers: dict[str, int] = field(default_factory=dict)  # event id -> rank (0 = innermost)


class Attributor:
    name = "attribution"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.syntax = Syntax(lang)
        cues = lang.data("cues")
        morph = Morphology(lang)
        self.speech = expand_verbs(morph, cues.get("speech_verbs", []))
        self.speech_with_complement = expand_verbs(morph, cues.get("speech_verbs_with_complement", []))
        self.complement_openers = set(cues.get("complement_openers", []))
        self.status_verbs: dict[str, str] = {}
        for status, verbs in (cues.get("status_verbs") or {}).items():
            for form in expand_verbs(morph, verbs):
                self.status_verbs.setdefault(form, status)
        self.status_nouns = {w: s for s, ws in (cues.get("status_nouns") or {}).items() for w in ws}
        self.status_modifiers = {w: s for s, ws in (cues.get("status_modifiers") or {}).items() for w in ws}
        self.modals = {w: s for s, ws in (cues.get("modals") or {}).items() for w in ws}
        self.according = PhraseIndex(cues.get("according_to", []))
        self.outlet_frames = set(cues.get("outlet_frames", []))
        self.demonstratives = set(cues.get("demonstratives", []))
        self.conditional = set(cues.get("reportive_conditional", []))
        self.contrast = PhraseIndex(cues.get("contrast_markers", []))
        # Every word a cue can start with: ``_sentence_cues`` looks closer only at these tokens.
        self.cue_words = (set(self.according.by_first) | self.speech_with_complement | self.speech
                          | set(self.status_verbs) | set(self.status_nouns) | set(self.status_modifiers)
                          | set(self.modals) | self.conditional)
        events = lang.data("events")
        self.verbal_types = set(events.get("verbal_types", []))
        places = lang.data("places") or {}
        self.country_names = {code: (entry.get("names") or [code])[0]
                              for code, entry in (places.get("countries") or {}).items()}

    def __call__(self, doc: Document) -> Document:
        syntax = self.syntax.analyze(doc)
        cues: list[Cue] = []
        for ss in syntax:
            cues.extend(self._sentence_cues(doc, ss, syntax))
        doc.cues = cues
        self._counterclaims(doc, syntax, cues)
        by_trigger = {e.trigger.start: e for e in doc.events}
        for cue in cues:
            event = by_trigger.get(cue.start)
            if event is not None and not cue.speakers:
                # "arrivano accuse da …": the accusation's own source is the speaker.
                cue.speaker_sources = [Source(name=self._actor_name(a), kind=a.kind, country=a.country,
                                              sector=a.sector, cue=cue.text) for a in event.source]
        by_sentence: dict[int, list[Cue]] = {}
        for cue in cues:
            by_sentence.setdefault(cue.sent, []).append(cue)
        for event in doc.events:
            sentence = doc.sentence_of(event.trigger.start)
            i = sentence.i if sentence else -1
            # a cue covers its own sentence, or the one before ("Lo ha dichiarato …")
            self._attribute(doc, event, by_sentence.get(i, []) + by_sentence.get(i + 1, []))
        return doc

    # -- finding cues ---------------------------------------------------------------------------
    def _sentence_cues(self, doc: Document, ss: SentenceSyntax, syntax: list[SentenceSyntax]) -> list[Cue]:
        out: list[Cue] = []
        toks = ss.tokens
        norms = ss.norms
        s_start, s_end = ss.sentence.start, ss.sentence.end
        points_back = self._points_back(ss)
        prev = syntax[ss.sentence.i - 1].sentence if ss.sentence.i > 0 else None
        skip_until = 0
        next_free = 0  # tokens before it belong to an "according to" phrase already read
        for k in [k for k, norm in enumerate(norms) if norm in self.cue_words]:
            t = toks[k]
            if k < next_free or ss.actor_at(t.i) is not None:
                continue
            phrase = self.according.match(norms, k)
            if phrase:
                end_k = k + len(phrase)
                skip_until = end_k + 3  # "secondo le accuse dei …": the phrase's own nouns
                speakers, outlets = self._speakers_after(ss, end_k, 9)
                if speakers or outlets:
                    cue_end = toks[end_k - 1].end
                    if k <= 2:
                        scope = [(cue_end, s_end)]
                    else:
                        scope = [(s_start, t.start)]
                    if points_back and prev is not None:
                        scope.append((prev.start, prev.end))
                    status = next((self.status_nouns[x.norm] for x in toks[end_k:end_k + 3]
                                   if x.norm in self.status_nouns), None)
                    out.append(Cue("according", status, ss.sentence.i, t.start, cue_end,
                                   doc.text[t.start:cue_end], scope, speakers, outlets))
                    next_free = end_k
                    continue
            if t.norm in self.speech_with_complement and (
                    k + 1 < len(toks) and toks[k + 1].norm in self.complement_openers
                    or 0 < k <= 2 and toks[k - 1].norm in self.syntax.anaphoric_objects):  # "Lo sostiene X"
                cue = self._verb_cue(doc, ss, k, points_back, prev)
                if cue:
                    out.append(cue)
            elif t.norm in self.speech or t.norm in self.status_verbs:
                cue = self._verb_cue(doc, ss, k, points_back, prev)
                if cue:
                    out.append(cue)
            elif t.norm in self.status_nouns and k >= skip_until:
                speakers = self._subject(doc, ss, k)
                complement = k + 1 < len(toks) and toks[k + 1].norm in ("che", "di")
                end = self._clause_end(ss, k, extra=int(complement))
                out.append(Cue("noun", self.status_nouns[t.norm], ss.sentence.i, t.start, t.end, t.text,
                               [(t.end, min(end, self._contrast_start(ss, k + 1) or end))], speakers))
            elif t.norm in self.status_modifiers or t.norm in self.modals:
                status = self.status_modifiers.get(t.norm) or self.modals[t.norm]
                stop = toks[min(k + 3, len(toks) - 1)].end
                out.append(Cue("modifier", status, ss.sentence.i, t.start, t.end, t.text, [(t.end, stop)]))
            elif t.norm in self.conditional:
                stop = toks[min(k + 3, len(toks) - 1)].end
                out.append(Cue("conditional", "alleged", ss.sentence.i, t.start, t.end, t.text,
                               [(t.start, stop)]))
        self._outlets_in_frames(ss, out)
        self._end_forward_scopes(ss, out)
        self._statement_dates(doc, ss, out)
        return out

    def _end_forward_scopes(self, ss: SentenceSyntax, cues: list[Cue]) -> None:
        """"Secondo X, A …, inoltre Y ha detto che B": X's word stops where Y's clause begins."""
        verb_cues = [c for c in cues if c.kind == "speech" and c.speakers]
        for cue in cues:
            if cue.kind != "according":
                continue
            said_by_end = max((m.token_end for m in cue.speakers + cue.outlets), default=None)
            for other in verb_cues:
                first = min(other.speakers, key=lambda m: m.start)
                if first.start <= cue.end or said_by_end is None:
                    continue
                if first.token_start - said_by_end <= 2:
                    continue  # "Secondo la Kcna, Kim ha detto che …": Kim's word, carried by Kcna
                start = first.start
                cue.scope = [(a, min(b, start)) if a < start else (a, b) for a, b in cue.scope]

    def _statement_dates(self, doc: Document, ss: SentenceSyntax, cues: list[Cue]) -> None:
        """A statement dated in its own clause ("in un'intervista di oggi") dates what it reports
        in the present tense."""
        for cue in cues:
            if cue.kind != "speech" or cue.sent != ss.sentence.i:
                continue
            for tx in (t for t in doc.timexes if ss.sentence.start <= t.start < ss.sentence.end):
                k = next((i for i, t in enumerate(ss.tokens) if t.start == tx.start), None)
                if k is not None and not ss.quoted[k] and tx.value and tx.type == "DATE" \
                        and not any(a <= tx.start < b for a, b in cue.scope):
                    cue.date = EventDate(value=tx.value, mod=tx.mod, text=tx.text)
                    break

    def _verb_cue(self, doc: Document, ss: SentenceSyntax, k: int, points_back: bool, prev) -> Cue | None:
        toks = ss.tokens
        t = toks[k]
        status = self.status_verbs.get(t.norm)
        s_start, s_end = ss.sentence.start, ss.sentence.end
        j = k - 1
        while j >= 0 and toks[j].norm in self.syntax.fillers and not (
                j <= 1 and toks[j].norm in self.syntax.anaphoric_objects):
            j -= 1
        opener = j < 0 or toks[j].text in (",",) or toks[j].text in self.syntax.quote_close \
            or toks[j].norm in self.syntax.anaphoric_objects
        left = self._subject(doc, ss, k)
        right, outlets = self._speakers_after(ss, k + 1, 9, bare_only=True)
        anaphoric = j >= 0 and toks[j].norm in self.syntax.anaphoric_objects and j <= 1
        if opener and right:
            speakers = right
            scope = [(s_start, t.start)] if j >= 0 and not anaphoric else []
            after_colon = next((toks[m].end for m in range(k, len(toks)) if toks[m].text == ":"), None)
            if after_colon:
                scope.append((after_colon, s_end))
            if (anaphoric or points_back) and prev is not None:
                scope.append((prev.start, prev.end))
        else:
            speakers = left or right
            if not speakers and status is None:
                return None
            scope = [(t.end, self._contrast_start(ss, k + 1) or s_end)]
        outlets = outlets + [m for m in ss.actors if m.sector == "MED" and m.type == "ORG" and m not in speakers
                             and ss.prep.get(id(m)) == "a" and 0 < ss.local(m.token_start) - k <= 3]
        cue = Cue("speech", status, ss.sentence.i, t.start, t.end, t.text, scope, speakers, outlets)
        m = k + 1
        while m < len(toks) and (toks[m].norm in self.syntax.fillers or toks[m].text in self.syntax.quote_open):
            m += 1
        if m < len(toks):
            cue.object_event_at = toks[m].start
        return cue

    def _contrast_start(self, ss: SentenceSyntax, k: int) -> int | None:
        """Where a contrasting clause ("anche se …", "ma …") begins after token ``k``."""
        norms = ss.norms
        for j in range(k, len(norms)):
            if norms[j] in self.contrast.by_first and self.contrast.match(norms, j):
                return ss.tokens[j].start
        return None

    def _contrasting(self, ss: SentenceSyntax, cue: Cue) -> bool:
        """Whether a speech cue sits in a contrasting clause: a marker just before its speaker."""
        first = min((m.token_start for m in cue.speakers), default=None)
        if first is None:
            return False
        k = ss.local(first)  # a speaker carried over from another sentence lies outside ``ss``
        return any(self.contrast.match(ss.norms, j) for j in range(max(0, k - 4), min(k, len(ss.norms))))

    def _counterclaims(self, doc: Document, syntax: list[SentenceSyntax], cues: list[Cue]) -> None:
        """"La Russia ha affermato di …, anche se l'Ucraina insiste …": the second speaker disputes
        the first; that is a REJECT event of its own, which fusion uses to mark the claim contested."""
        for cue in cues:
            if cue.kind != "speech" or not cue.speakers or cue.status == "denied":
                continue
            ss = syntax[cue.sent]
            if not self._contrasting(ss, cue):
                continue
            mine = {m.country for m in cue.speakers}
            claim = next((c for c in cues if c.sent == cue.sent and c.start < cue.start and c.kind == "speech"
                          and c.speakers and not {m.country for m in c.speakers} & mine), None)
            if claim is None:
                continue
            event = Event(id=f"v{len(doc.events) + 1}", type="REJECT", mode="counterclaim",
                          trigger=Trigger(text=cue.text, start=cue.start, end=cue.end),
                          sentence=Span(ss.sentence.start, ss.sentence.end),
                          source=[self._as_actor(m) for m in cue.speakers],
                          target=[self._as_actor(m) for m in claim.speakers], confidence=0.6)
            doc.events.append(event)
        doc.events.sort(key=lambda e: e.trigger.start)
        for n, event in enumerate(doc.events, 1):
            event.id = f"v{n}"

    def _as_actor(self, m: Mention) -> Actor:
        kind = m.kind or ("state" if m.role in ("country", "seat", "demonym") else None)
        sector = m.sector or ("GOV" if kind == "state" else None)
        return Actor(text=m.text, name=self._name(m), kind=kind, country=m.country, sector=sector)

    def _subject(self, doc: Document, ss: SentenceSyntax, k: int) -> list[Mention]:
        trig = ss.tokens[k].i
        bare = [m for m in ss.actors if m.token_end <= trig and ss.prep.get(id(m), "none") == "none"
                and m.type != "NORP"]
        if not bare:
            return self._definite_anaphor(doc, ss, k)
        subject = max(bare, key=lambda m: m.start)
        chain = ss.chain.get(id(subject), [subject])
        return [m for m in chain if m.token_end <= trig] or [subject]

    def _definite_anaphor(self, doc: Document, ss: SentenceSyntax, k: int) -> list[Mention]:
        """"Il gruppo ha espresso …": a definite noun resolves to the last actor named with it."""
        toks = ss.tokens
        if k < 2 or toks[0].norm not in self.syntax.articles:
            return []
        head = toks[1].norm
        for m in reversed(doc.mentions):
            if m.type in ("ORG", "NOM") and m.start < ss.sentence.start and head in m.text.lower().split():
                return [m]
        return []

    def _speakers_after(self, ss: SentenceSyntax, k: int, window: int,
                        bare_only: bool = False) -> tuple[list[Mention], list[Mention]]:
        if k >= len(ss.tokens):
            return [], []
        lo = ss.tokens[k].i
        hi = ss.tokens[min(k + window, len(ss.tokens)) - 1].i
        found = [m for m in ss.actors if lo <= m.token_start <= hi and m.type in SPEAKER_TYPES
                 and m.type != "NORP" and (not bare_only or ss.prep.get(id(m)) in ("none", "da"))]
        found.sort(key=lambda m: m.start)
        if not found:
            return [], []
        first = found[0]
        if first.type == "NOM" and len(found) > 1 and found[1].type in ("PER", "ORG") \
                and found[1].token_start - first.token_end <= 2:
            first = found[1]  # "l'agenzia di stampa statale Tass": the name, not the description
        chain = ss.chain.get(id(first), [first])
        outlets = [m for m in found if m.sector == "MED" and m.type in ("ORG", "PER") and m not in chain]
        return chain, outlets

    def _outlets_in_frames(self, ss: SentenceSyntax, cues: list[Cue]) -> None:
        """"in un'intervista alla Tass": the outlet joins the sentence's speech cues."""
        if not cues:
            return
        for k, norm in enumerate(ss.norms):
            if norm not in self.outlet_frames:
                continue
            outlet = next((m for m in ss.actors if 0 < ss.local(m.token_start) - k <= 4
                           and (m.sector == "MED" or m.type == "ORG")), None)
            if outlet is None:
                continue
            for cue in cues:
                if cue.sent == ss.sentence.i and cue.kind == "speech" and outlet not in cue.outlets \
                        and outlet not in cue.speakers:
                    cue.outlets.append(outlet)

    def _points_back(self, ss: SentenceSyntax) -> bool:
        """"questo commento", "tali dichiarazioni": the sentence refers to the previous one."""
        norms = ss.norms
        if self.demonstratives.isdisjoint(norms):  # the common case, decided at C speed
            return False
        return any(norms[k] in self.demonstratives and norms[k + 1] in self.syntax.anaphoric_nouns
                   for k in range(len(norms) - 1))

    def _clause_end(self, ss: SentenceSyntax, k: int, extra: int = 0) -> int:
        limit = ss.clause[k] + extra
        end = ss.tokens[k].end
        for m in range(k, len(ss.tokens)):
            if ss.clause[m] > limit:
                break
            end = ss.tokens[m].end
        return end

    # -- applying cues to events ------------------------------------------------------------------
    def _covering(self, event: Event, cues: list[Cue]) -> list[Cue]:
        at = event.trigger.start
        hits = []
        for cue in cues:
            if cue.start == at or cue.object_event_at == at and cue.kind == "speech" \
                    and self._is_own_speech(cue, event):
                continue
            if any(a <= at < b for a, b in cue.scope):
                hits.append(cue)
        # innermost first: the cue closest to the trigger in the same sentence, then the others
        same = sorted((c for c in hits if c.start <= event.sentence.end and c.end >= event.sentence.start),
                      key=lambda c: abs(c.start - at))
        other = [c for c in hits if c not in same]
        return same + other

    def _is_own_speech(self, cue: Cue, event: Event) -> bool:
        """"X ha annunciato la rottura", "la Corte ha confermato la condanna": the verb performs
        the event named right after it. For plain speech the speaker's country suffices; a status
        verb ("confermare") must be uttered by the event's very source."""
        texts = {a.text for a in event.source}
        if cue.status is not None:
            return False  # what is denied or confirmed is another's word about the act
        if event.type not in self.verbal_types:
            # "ha annunciato le sue dimissioni": the speaker performs the act it names
            return any(m.text in texts or (m.name and m.name in {a.name for a in event.source})
                       for m in cue.speakers)
        if event.type not in self.verbal_types and event.type != "SANCTION":
            return False
        src = {(a.name, a.country) for a in event.source}
        return any((m.name or m.text, m.country) in src or m.text in texts
                   for m in cue.speakers) or not cue.speakers

    def _attribute(self, doc: Document, event: Event, cues: list[Cue]) -> None:
        chain: list[Source] = []
        seen: set[tuple] = set()
        own = {(a.name, a.country) for a in event.source}
        outlets: list[Source] = []
        for rank, cue in enumerate(self._covering(event, cues)):
            cue.covers[event.id] = rank
            if cue.kind in ("modifier", "conditional"):
                continue
            if event.date is None and cue.date is not None and \
                    doc.tense.get(doc.sentence_of(event.trigger.start).i) == "present":
                event.date = EventDate(value=cue.date.value, mod=cue.date.mod, text=cue.date.text)
            for src in cue.speaker_sources:
                key = (src.name, src.country)
                if key not in seen and not (event.type in self.verbal_types and key in own):
                    seen.add(key)
                    chain.append(src)
            for m in cue.speakers:
                src = self._source(m, cue)
                key = (src.name, src.country)
                if key in seen:
                    continue
                if event.type in self.verbal_types and key in own:
                    continue
                seen.add(key)
                (outlets if m.sector == "MED" else chain).append(src)
            for m in cue.outlets:
                src = self._source(m, cue)
                if (src.name, src.country) not in seen:
                    seen.add((src.name, src.country))
                    outlets.append(src)
        event.attribution = chain + outlets

    def _actor_name(self, a: Actor) -> str:
        if a.kind == "state" and a.country in self.country_names:
            return self.country_names[a.country]
        return a.name or a.text

    def _name(self, m: Mention) -> str:
        """A country by its name in the article's language; a seat as written ("Cremlino")."""
        if m.role == "country" and m.country in self.country_names:
            return self.country_names[m.country]
        if m.role == "seat":
            return m.text
        return m.name or m.text

    def _source(self, m: Mention, cue: Cue) -> Source:
        kind = m.kind or ("state" if m.role in ("country", "seat") else None)
        sector = m.sector or ("GOV" if m.role in ("country", "seat") else None)
        return Source(name=self._name(m), kind=kind, country=m.country, sector=sector, cue=cue.text)
