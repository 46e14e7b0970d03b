"""Events: triggers, types, and who acts on whom.

A trigger is a verb or noun of the language's ``events.yaml`` lexicon; conditional entries count
only with the right object nearby ("inviare truppe", "rottura delle relazioni"). Arguments come
from shallow syntax (``cronaca.syntax``): the subject to the left, the agent in "da parte di X" or
in the genitive, the target in the phrase after the trigger headed by a preposition the event type
accepts, "tra X e Y" for meetings, the agent "da X" of a passive. One event is kept per happening
per sentence, circumstantial mentions ("durante l'incontro") are left out, and each event gets the
time expression of its clause or sentence.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace

from ..document import Document, Mention, TriggerProposal
from ..lang import LanguageData
from ..lexicon import Morphology, PhraseIndex, expand_verbs
from ..model import Actor, Event, EventDate, Place, Span, Trigger
from ..syntax import SentenceSyntax, Syntax
from ..trained import LanguageModels

FAMILIES = {"MOBILIZE": "AID"}  # troop deployments are reported as either
STATE_ROLES = {"country", "seat", "demonym"}
PLACE_ROLES = {"country", "seat", "place"}


@dataclass(frozen=True)
class TriggerSpec:
    type: str
    mode: str | None
    pos: str  # "verb" | "noun"
    rest: tuple[str, ...] = ()  # further words of a multi-word trigger
    objects: tuple[tuple[str, str, str | None], ...] = ()  # (list name, type, mode)
    window: int = 6
    look_back: int = 0  # tokens before the trigger where the object may also stand ("i soldati … dispiegati")
    unless_next: frozenset[str] = frozenset()
    needs_target: bool = False
    symmetric: bool = False
    deploy: bool = False


@dataclass
class Candidate:
    k: int  # sentence-relative token index of the trigger
    end_k: int
    spec: TriggerSpec
    type: str
    mode: str | None
    source: list[Mention] = field(default_factory=list)
    target: list[Mention] = field(default_factory=list)
    target_inferred: bool = False
    military: bool = False
    source_from_np: bool = True  # False when the source is only the clause's subject
    answers_accusation: bool = False  # "ha respinto le accuse": the target is the accuser
    by_rule: bool = True  # found by the trigger lexicon (False: proposed by the tagger alone)
    by_object: bool = False  # the lexicon's reading was chosen by the words around it ("attaccato Odessa")
    vetoed: bool = False  # the tagger is sure no event starts here: kept only with both actors named
    model_probability: float | None = None  # the tagger's belief that a trigger starts here


class TriggerLexicon:
    """Surface form -> trigger specs, expanded once from the language's events.yaml."""

    def __init__(self, lang: LanguageData) -> None:
        data = lang.data("events")
        morph = Morphology(lang)
        self.word_lists = {name: {w.lower() for w in words}
                           for name, words in data.get("word_lists", {}).items()}
        self.by_form: dict[str, list[TriggerSpec]] = {}
        for group in data.get("triggers", []):
            common = dict(
                type=group["type"], mode=group.get("mode"),
                objects=tuple((name, o["type"], o.get("mode"))
                              for name, o in (group.get("objects") or {}).items()),
                window=group.get("window", 6), look_back=group.get("look_back", 0),
                unless_next=frozenset(group.get("unless_next", [])),
                needs_target=bool(group.get("needs_target")),
                symmetric=bool(group.get("symmetric")), deploy=bool(group.get("deploy")))
            for form in expand_verbs(morph, group.get("verbs", [])):
                self._add(form, TriggerSpec(pos="verb", **common))
            for noun in group.get("nouns", []):
                words = noun.lower().split()
                self._add(words[0], TriggerSpec(pos="noun", rest=tuple(words[1:]), **common))

        # Forms of meeting nouns: an event "durante l'incontro" takes the meeting's date.
        self.meeting_nouns = frozenset(form for form, specs in self.by_form.items()
                                       if any(s.type == "CONSULT" and s.pos == "noun" for s in specs))

    def _add(self, form: str, spec: TriggerSpec) -> None:
        specs = self.by_form.setdefault(form, [])
        if spec not in specs:
            specs.append(spec)


class EventExtractor:
    """Builds ``doc.events`` from the lexicon's triggers and the tagger's proposals.

    Rules and tagger vote on triggers: a lexicon trigger the tagger is all but sure begins no event
    is dropped unless syntax finds both its actors, a confident proposal the lexicon lacks is added,
    and the tagger's type wins where it all but rules out the lexicon's. Arguments, dates and places
    come from the same syntax for both, with a trained role classifier voting on the arguments.
    """

    name = "events"

    def __init__(self, lang: LanguageData, models: LanguageModels | None = None) -> None:
        self.lang = lang
        self.add_above = models.threshold("trigger_add", 0.5) if models else 1.1
        self.drop_above = models.threshold("trigger_drop", 0.95) if models else 1.1
        self.retype_above = models.threshold("trigger_retype", 0.6) if models else 1.1
        # a trigger the tagger is this sure of is an event even when no actor is found for it
        self.bare_above = models.threshold("trigger_bare", 1.1) if models else 1.1
        self.calibration = models.calibration if models else None
        self.roles = models.roles if models else None
        self.role_fill_above = models.threshold("role_fill", 0.5) if models else 1.1
        self.role_override_above = models.threshold("role_override", 0.8) if models else 1.1
        self.lexicon = TriggerLexicon(lang)
        self.syntax = Syntax(lang)
        data = lang.data("events")
        # Background phrases by their last word: the word before a trigger picks the few to try.
        self.background: dict[str, list[list[str]]] = {}
        for phrase in data.get("background_before", []):
            words = phrase.split()
            if words:
                self.background.setdefault(words[-1], []).append(words)
        self.military_words = set(data.get("military_sector_words", []))
        preps = data.get("target_preps", {})
        self.default_target_preps = set(preps.get("default", []))
        self.target_preps = {t: set(v) for t, v in preps.items() if t != "default"}
        self.genitive_patient = set(data.get("genitive_patient", []))
        cues = lang.data("cues")
        self.according_to_words = {p.strip() for p in cues.get("according_to", []) if len(p.split()) == 1}
        self.verbal_types = set(data.get("verbal_types", []))
        self.object_absorbs = {verb: set(nouns) for verb, nouns in (data.get("object_absorbs") or {}).items()}
        self.da_is_origin = set(data.get("da_is_origin", []))
        self.needs_source_words = set(data.get("needs_source_words", []))
        self.implicit_sectors: dict[str, str | None] = data.get("implicit_source_sectors", {})
        self.domestic = set(data.get("domestic_types", []))
        places = lang.data("places") or {}
        self.country_names = {code: (entry.get("names") or [code])[0]
                              for code, entry in (places.get("countries") or {}).items()}
        self.implicit_types = {t.split("/")[0] for t in self.implicit_sectors}
        self.pair_phrases = PhraseIndex(data.get("pair_phrases", []))
        self.first_since = set(data.get("first_since_words", []))
        self.other_occasion = set(data.get("other_occasion_words", []))
        # the country a story in this language is about when it names none (the last guess)
        self.home_country: str | None = data.get("home_country")

    # -- the stage ------------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        syntax = self.syntax.analyze(doc)
        salience = self._salience(doc)
        events: list[Event] = []
        by_form = self.lexicon.by_form
        previous: Mention | None = None  # the acting subject of the sentence before
        proposals: dict[int, list[TriggerProposal]] = {}  # by sentence
        for p in doc.triggers:
            proposals.setdefault(doc.tokens[p.token_start].sent, []).append(p)
        for ss in syntax:
            candidates = [c for k, w in enumerate(ss.norms) if w in by_form and (c := self._candidate(ss, k))]
            if doc.no_trigger:
                candidates = self._vote(doc, ss, candidates, proposals.get(ss.sentence.i, []))
            candidates = self._drop_purpose_and_objects(ss, candidates)
            for c in candidates:
                self._arguments(doc, ss, c)
                if self.roles is not None:
                    self._vote_arguments(ss, c)
            candidates = [c for c in candidates
                          if not c.vetoed or _named_in_text(c.source) and _named_in_text(c.target)]
            candidates = [c for c in candidates if c.source or ss.tokens[c.k].norm not in self.needs_source_words]
            has_place = any(m.role in PLACE_ROLES for m in ss.actors)
            candidates = [c for c in candidates if c.source or (c.target and not c.target_inferred)
                          or (has_place and c.type in self.implicit_types)
                          or (c.model_probability or 0.0) >= self.bare_above]
            candidates = self._dedupe(candidates)
            self._accused_targets(candidates)
            for c in candidates:
                self._implicit_source(ss, c, salience, previous)
                self._fallback_target(c, events, salience)
                if c.spec.needs_target and not c.target:
                    continue
                events.append(self._event(doc, ss, c, len(events) + 1))
            previous = self._subject_of(ss, candidates)
            self._dates(doc, ss, events, candidates)
        self._inherit_dates(doc, events)
        doc.events = events
        return doc

    # -- triggers -------------------------------------------------------------------------------
    def _candidate(self, ss: SentenceSyntax, k: int) -> Candidate | None:
        tok = ss.tokens[k]
        specs = self.lexicon.by_form.get(tok.norm)
        if not specs or ss.actor_at(tok.i) is not None:
            return None
        prev = ss.tokens[k - 1] if k > 0 else None
        if len({sp.pos for sp in specs}) > 1:  # "l'incontro" / "incontro Kim": noun after a determiner
            nominal = prev is not None and (prev.norm in self.syntax.articles or prev.norm in self.syntax.prep_base
                                            or prev.norm in self.syntax.determiners
                                            or prev.text in self.syntax.quote_open)
            specs = [sp for sp in specs if (sp.pos == "noun") == nominal]
        if prev is not None and (prev.norm in self.syntax.articles or prev.norm in self.syntax.determiners):
            specs = [sp for sp in specs if sp.pos == "noun"]  # "di dialogo": not a verb
        elif prev is not None and prev.norm in self.syntax.prep_base:
            specs = [sp for sp in specs if sp.pos == "noun" or tok.norm.endswith(self.syntax.infinitive_endings)]
        chosen: tuple[TriggerSpec, str, str | None, int, bool] | None = None
        for spec in specs:
            end_k = k + 1
            if spec.rest:
                words = [t.norm for t in ss.tokens[k + 1:k + 1 + len(spec.rest)]]
                if tuple(words) != spec.rest:
                    continue
                end_k += len(spec.rest)
            if spec.pos == "verb" and k + 1 < len(ss.tokens) and ss.tokens[k + 1].norm in spec.unless_next:
                continue
            if spec.objects:
                hit = self._object(ss, k, spec)
                if hit is None:
                    continue
                chosen = (spec, hit[0], hit[1], end_k, True)
                break  # a satisfied condition beats unconditional readings
            if chosen is None:
                chosen = (spec, spec.type, spec.mode, end_k, False)
        if chosen is None or self._is_background(ss, k) or self._inside_according_to(ss, k):
            return None
        spec, etype, mode, end_k, by_object = chosen
        return Candidate(k=k, end_k=end_k, spec=spec, type=etype, mode=mode, by_object=by_object)

    def _vote(self, doc: Document, ss: SentenceSyntax, cands: list[Candidate],
              sentence_proposals: list[TriggerProposal]) -> list[Candidate]:
        """Lexicon candidates weighed by the tagger, plus the confident triggers it alone found.

        A vetoed lexicon candidate survives only if syntax finds both its actors named in the
        sentence. The tagger may anchor an event on another word of the same clause than the lexicon
        ("ha ribadito il suo sostegno", "l'accordo … è stato firmato"): a proposal of the same type
        in the clause counts as agreement, and is not added as a second event."""
        lo = ss.sentence.token_start
        proposals = {p.token_start - lo: p for p in sentence_proposals}

        def same_clause(a: int, b: int) -> bool:
            return ss.clause[a] == ss.clause[b]

        kept: list[Candidate] = []
        for c in cands:
            no_trigger = doc.no_trigger[lo + c.k]
            agreeing = [p for k, p in proposals.items() if p.type == c.type and same_clause(k, c.k)]
            c.vetoed = no_trigger >= self.drop_above and not agreeing
            c.model_probability = max([1.0 - no_trigger] + [p.probability for p in agreeing])
            p = proposals.get(c.k)
            if p is not None and p.type != c.type and p.probability >= self.retype_above \
                    and c.type not in p.types and not c.by_object:
                # the tagger all but rules out the lexicon's reading, which no word around decided
                c.type, c.mode = p.type, None
                c.spec = TriggerSpec(type=p.type, mode=None, pos=c.spec.pos, rest=c.spec.rest)
            kept.append(c)
        for k, p in proposals.items():
            if p.probability < self.add_above or ss.actor_at(p.token_start) is not None \
                    or any(c.k <= k < c.end_k or c.type == p.type and same_clause(k, c.k) for c in kept) \
                    or self._is_background(ss, k) or self._inside_according_to(ss, k):
                continue
            kept.append(self.candidate_at(ss, k, k + p.token_end - p.token_start, p.type, p.probability))
        return sorted(kept, key=lambda c: c.k)

    def candidate_at(self, ss: SentenceSyntax, k: int, end_k: int, etype: str,
                     probability: float | None = None) -> Candidate:
        """A trigger the lexicon does not know, read as a noun after an article, a preposition
        or a determiner and as a verb otherwise."""
        prev = ss.tokens[k - 1].norm if k else ""
        nominal = prev in self.syntax.articles or prev in self.syntax.prep_base or prev in self.syntax.determiners
        spec = TriggerSpec(type=etype, mode=None, pos="noun" if nominal else "verb")
        return Candidate(k=k, end_k=end_k, spec=spec, type=etype, mode=None, by_rule=False,
                         model_probability=probability)

    def _object(self, ss: SentenceSyntax, k: int, spec: TriggerSpec) -> tuple[str, str | None] | None:
        window = ss.tokens[max(0, k - spec.look_back):k] + ss.tokens[k + 1:k + 1 + spec.window]
        for name, etype, mode in spec.objects:
            if name in ("place", "person"):
                wanted = "LOC" if name == "place" else "PER"
                if any(m.type == wanted and k < ss.local(m.token_start) <= k + spec.window
                       for m in ss.actors):
                    return etype, mode
                continue
            words = self.lexicon.word_lists.get(name, set())
            if any(t.norm in words for t in window):
                return etype, mode
        return None

    def _is_background(self, ss: SentenceSyntax, k: int) -> bool:
        """"durante l'incontro": a trigger noun after such words is circumstance, not news."""
        j = k - 1
        while j >= 0 and ss.tokens[j].norm in self.syntax.fillers:
            j -= 1
        return j >= 0 and any(ss.norms[j + 1 - len(p):j + 1] == p
                              for p in self.background.get(ss.norms[j], ()) if j + 1 >= len(p))

    def _inside_according_to(self, ss: SentenceSyntax, k: int) -> bool:
        """"Secondo le accuse dei funzionari": the noun names the source, it is no event."""
        j = k - 1
        while j >= 0 and ss.tokens[j].norm in self.syntax.articles:
            j -= 1
        return j >= 0 and ss.tokens[j].norm in self.according_to_words

    def _drop_purpose_and_objects(self, ss: SentenceSyntax, cands: list[Candidate]) -> list[Candidate]:
        """A trigger in a purpose clause ("per aiutarla") or a noun that is the object of a verb
        trigger of the same type ("apprezza il sostegno") describes the same happening."""
        kept: list[Candidate] = []
        for c in cands:
            prev = kept[-1] if kept else None
            if prev is not None and ss.clause[prev.k] == ss.clause[c.k]:
                j = c.k - 1
                while j > prev.k and ss.tokens[j].norm in self.syntax.fillers:
                    j -= 1
                before = [t.norm for t in ss.tokens[max(0, j - 2):j + 1]]
                if any(before[len(before) - len(p):] == p for p in self.syntax.purpose_markers):
                    continue
                if j == prev.k and prev.spec.pos == "verb" and c.spec.pos == "noun" and (
                        prev.type == c.type or c.type in self.object_absorbs.get(prev.type, ())):
                    prev.answers_accusation = prev.type == "REJECT" and c.type == "ACCUSE"
                    continue
            kept.append(c)
        return kept

    # -- arguments -------------------------------------------------------------------------------
    def _arguments(self, doc: Document, ss: SentenceSyntax, c: Candidate) -> None:
        actors = sorted(ss.actors, key=lambda m: m.start)
        trig_i = ss.tokens[c.k].i
        after = [m for m in actors if m.token_start >= ss.tokens[c.end_k - 1].i + 1]
        before = [m for m in actors if m.token_end <= trig_i]
        prep = lambda m: ss.prep.get(id(m), "none")  # noqa: E731
        near = lambda m, n: ss.local(m.token_start) - c.end_k < n  # noqa: E731
        if c.spec.pos == "noun":
            between = self._between(ss, c, after)
            if between:
                c.source, c.target = between[:1], between[1:2]
                return self._finish(ss, c, after)
            agent_preps = ("da_parte_di",) if c.type in self.da_is_origin else ("da_parte_di", "da")
            agent = next((m for m in after if prep(m) in agent_preps and near(m, 9)
                          and ss.clause[ss.local(m.token_start)] == ss.clause[c.k]), None)
            # "la fornitura di missili americani", "l'invio di truppe russe": the object's demonym
            adjective = next((m for m in after if m.type == "NORP"
                              and near(m, 4 if c.type in ("AID", "MOBILIZE") else 2)), None)
            genitive = next((m for m in after if prep(m) == "di" and near(m, 6)
                             and self._only_description_between(ss, c.end_k, ss.local(m.token_start))), None)
            explicit_against = any(ss.prep.get(id(m)) == "contro" for m in after)
            if agent:
                c.source = [agent]
            elif adjective:
                c.source = [adjective]
            if genitive and not c.source and c.mode != "seize":  # what is seized is a place, not a party
                if c.type in self.genitive_patient and not explicit_against:  # "l'attacco di Hamas contro …"
                    c.target = [genitive]
                else:
                    c.source = [genitive]
            if c.spec.deploy and not c.source:
                troops = next((m for m in after if near(m, 4) and m.type in ("NOM", "NORP")), None)
                if troops:
                    c.source = [troops]
            if not c.source and c.type in ("ASSAULT", "MOBILIZE"):
                troops = [m for m in ss.actors if m.type == "NOM" and m.sector == "MIL" and m not in c.target
                          and ss.clause[ss.local(m.token_start)] == ss.clause[c.k]]
                if troops:  # "l'offensiva …, quando migliaia di soldati ucraini …": the troops attack
                    c.source = [min(troops, key=lambda m: abs(ss.local(m.token_start) - c.k))]
                    c.source_from_np = False
                    if c.target and c.target[0] is c.source[0]:
                        c.target = []
            if not c.source and c.spec.deploy and c.spec.objects:
                return self._finish(ss, c, after)  # "la presenza di truppe": whose, only from the phrase
            if not c.source:
                c.source = self._subject(ss, c, before)
                c.source_from_np = False
            if not c.source:  # "Dagli Stati Uniti arrivano accuse": the origin speaks
                c.source = [m for m in reversed(before) if prep(m) == "da"][:1]
        else:
            infinitive_agent = self._infinitive_agent(ss, c, before)
            if infinitive_agent:
                c.source = infinitive_agent
            elif self._is_passive(ss, c):
                agent = next((m for m in after if prep(m) in ("da", "da_parte_di") and near(m, 9)
                              and ss.clause[ss.local(m.token_start)] == ss.clause[c.k]), None)
                subject = self._subject(ss, c, before, same_clause=True)
                if c.spec.deploy:
                    c.source = subject or self._subject(ss, c, before)
                else:
                    c.source = [agent] if agent else []
                    c.target = subject or self._nearest_left_any(ss, c, before)
            else:
                c.source = self._subject(ss, c, before)
                if c.spec.symmetric and len(c.source) > 1:
                    c.source, c.target = c.source[:1], c.source[1:2]
        if not c.source:
            pair = self._named_pair(doc, ss, c)
            if pair:
                c.source, c.target = pair[:1], pair[1:2]
        self._finish(ss, c, after)

    def _vote_arguments(self, ss: SentenceSyntax, c: Candidate) -> None:
        """The role model's say on source and target: it fills a role the rules left empty and
        replaces the rules' choice when it is confident another mention holds the role."""
        actors = [m for m in ss.actors if not (m.token_start <= ss.tokens[c.k].i < m.token_end)]
        if not actors:
            return
        probs = {id(m): self.roles.classify(self.role_features(ss, c, m)) for m in actors}
        for role in ("source", "target"):
            chosen: list[Mention] = getattr(c, role)
            other: list[Mention] = c.target if role == "source" else c.source
            ranked = sorted((m for m in actors if not any(m is o for o in other)),
                            key=lambda m: -probs[id(m)].get(role, 0.0))
            if not ranked:
                continue
            best = ranked[0]
            p = probs[id(best)].get(role, 0.0)
            current = chosen[0] if chosen else None
            if current is None and p >= self.role_fill_above:
                setattr(c, role, [best])
            elif current is not None and current is not best and id(current) in probs \
                    and p >= self.role_override_above and probs[id(current)].get(role, 0.0) < 0.5:
                setattr(c, role, [best])

    def role_features(self, ss: SentenceSyntax, c: Candidate, m: Mention) -> list[str]:
        """What the role model weighs for one trigger and one mention of its sentence: side and
        distance, the preposition heading the mention, voice, kinds, and what the rules chose."""
        k = c.k
        mk = ss.local(m.token_start)
        side = "L" if mk < k else "R"
        gap = abs(mk - k)
        dist = "1" if gap <= 1 else "2" if gap <= 2 else "3" if gap <= 4 else "4" if gap <= 8 else "5"
        prep = ss.prep.get(id(m), "none")
        passive = "pass" if c.spec.pos == "verb" and self._is_passive(ss, c) else c.spec.pos
        same_clause = ss.clause[min(mk, len(ss.clause) - 1)] == ss.clause[k]
        bare_left = [x for x in ss.actors if ss.local(x.token_end) <= k and ss.prep.get(id(x), "none") == "none"]
        nearest_subject = bool(bare_left) and max(bare_left, key=lambda x: x.token_start) is m
        between = [t.norm for t in ss.tokens[min(mk, k) + (1 if mk < k else 0):max(mk, k)]] if gap <= 4 else []
        rule = ("src" if any(x is m for x in c.source) else "tgt" if any(x is m for x in c.target) else "no")
        kind = m.kind or m.role or "none"
        quoted = ss.quoted[min(mk, len(ss.quoted) - 1)] if ss.quoted else False
        return ["b", f"side={side}{dist}", f"prep={side}/{prep}", f"head={ss.head_prep.get(id(m), 'none')}",
                f"voice={passive}", f"voice_prep={passive}/{side}/{prep}", f"type={c.type}",
                f"type_side={c.type}/{side}/{prep}", f"mtype={m.type}", f"mkind={kind}",
                f"mrole={m.role}", f"msector={m.sector}", f"country={m.country is not None}",
                f"clause={same_clause}", f"subject={nearest_subject}", f"rule={rule}",
                f"rule_voice={rule}/{passive}", f"quoted={quoted}", f"trig={ss.tokens[k].norm}",
                "between=" + "_".join(between)]

    def _named_pair(self, doc: Document, ss: SentenceSyntax, c: Candidate) -> list[Mention]:
        """"I due leader si sono incontrati": the two parties last named before this sentence."""
        if not any(self.pair_phrases.match(ss.norms, j) for j in range(c.k)):
            return []
        seen: list[Mention] = []
        for m in reversed([m for m in doc.mentions if m.end <= ss.sentence.start]):
            if m.country and (m.type == "PER" or m.role in ("country", "seat")) \
                    and all(m.country != x.country for x in seen):
                seen.append(m)
            if len(seen) == 2:
                return [seen[1], seen[0]]
        return []

    def _finish(self, ss: SentenceSyntax, c: Candidate, after: list[Mention]) -> None:
        if not c.target and not c.answers_accusation:
            allowed = self.target_preps.get(c.type, self.default_target_preps)
            for m in after:
                distance = ss.local(m.token_start) - c.end_k
                if m in c.source or ss.clause[ss.local(m.token_start)] - ss.clause[c.k] > 1 or distance > 15:
                    continue
                head = ss.head_prep.get(id(m), "none")
                chain = ss.chain.get(id(m), [m])
                if c.spec.pos == "noun" and ss.prep.get(id(m)) == "di" \
                        and ss.local(chain[0].token_start) - c.end_k < 3:
                    head = "none"  # "la riunione dei leader russo e nordcoreano": the noun's own argument
                if head not in allowed:
                    continue
                if m.role == "place" and c.mode == "seize":
                    continue  # "recuperato Kursk": where, not against whom
                visit = c.mode == "visit" and c.spec.pos == "noun" and m.role == "country"
                if (m.role == "seat" and ss.prep.get(id(m)) in ("a", "in") or m.role == "country"
                        and ss.prep.get(id(m)) == "in" and not visit) \
                        and c.type not in ("AID", "MOBILIZE", "ASSAULT"):
                    continue  # "a Pyongyang", "in Russia": where, not with whom (but a visit's country)
                if visit and head == "in":
                    head = "none"
                if c.source and m.type == "NORP" and m.country == c.source[0].country and c.type != "COERCE":
                    continue
                nxt = next((x for x in after if x.token_start > m.token_start), None)
                if nxt is not None and nxt.type == "PER" and nxt.token_start - m.token_end <= 1 and m.type != "PER":
                    m = nxt  # "il presidente degli Stati Uniti Donald Trump": the person
                c.target = [m]
                break
        if c.spec.symmetric and c.source and not c.target:
            chain = ss.chain.get(id(c.source[0]), [])
            if len(chain) > 1:
                c.target = [m for m in chain if m is not c.source[0]][:1]
        if c.spec.symmetric and c.target and not c.source and c.target[0].sector == "IGO":
            c.source = list(c.target)  # "il vertice dell'Unione europea": the body's members meet
        window = ss.tokens[c.k:min(len(ss.tokens), c.k + 10)]
        c.military = any(t.norm in self.military_words for t in window) or any(
            t.norm in self.military_words for t in ss.tokens[max(0, c.k - 3):c.k])

    def _only_description_between(self, ss: SentenceSyntax, lo: int, hi: int) -> bool:
        """Only articles, prepositions, role words and demonyms between two tokens:
        "l'appello del segretario generale dell'Onu Antonio Guterres"."""
        for t in ss.tokens[lo:hi]:
            m = ss.actor_at(t.i)
            if not (t.norm in self.syntax.articles or t.norm in self.syntax.prep_base
                    or t.norm in self.syntax.role_words or m is not None and m.type in ("NORP", "ORG", "NOM")):
                return False
        return True

    def _between(self, ss: SentenceSyntax, c: Candidate, after: list[Mention]) -> list[Mention]:
        """"l'incontro tra X e Y": both sides of a meeting or an agreement."""
        for j in range(c.end_k, min(c.end_k + 3, len(ss.tokens))):
            if self.syntax.prep_base.get(ss.tokens[j].norm) == "tra":
                tra_i = ss.tokens[j].i
                found = [m for m in after if m.token_start > tra_i and m.type != "NORP"
                         and ss.prep.get(id(m)) in ("none", "tra")
                         and ss.clause[ss.local(m.token_start)] == ss.clause[c.k]]
                found = _collapse_appositions(found)
                return found[:2] if len(found) >= 2 else []
        return []

    def _subject(self, ss: SentenceSyntax, c: Candidate, before: list[Mention],
                 same_clause: bool = False) -> list[Mention]:
        """The nearest bare (preposition-less) actor to the left, with its coordinated partners;
        the same clause first, then across one relative clause ("X è tra i paesi che hanno …")."""
        bare = [m for m in reversed(before) if ss.prep.get(id(m), "none") == "none"
                and not self.syntax.is_modifier(ss, m)]
        if not bare:
            return []
        same = [m for m in bare if ss.clause[ss.local(m.token_start)] == ss.clause[c.k]]
        if same_clause and not same:
            return []
        subject = same[0] if same else bare[0]
        chain = ss.chain.get(id(subject), [subject])
        return [m for m in chain if m.end <= ss.tokens[c.k].start] or [subject]

    def _infinitive_agent(self, ss: SentenceSyntax, c: Candidate, before: list[Mention]) -> list[Mention]:
        """"la decisione della Federazione Russa di condurre", "accusavano Pyongyang di inviare":
        the actor right before "di + infinitive" does the infinitive."""
        tok = ss.tokens[c.k]
        if c.k == 0 or not tok.norm.endswith(self.syntax.infinitive_endings):
            return []
        j = c.k - 1
        while j >= 0 and ss.tokens[j].norm in self.syntax.fillers:
            j -= 1
        if j < 0 or ss.tokens[j].norm not in ("di", "a"):
            return []
        for m in reversed(before):
            if 0 < ss.local(ss.tokens[j].i) - ss.local(m.token_end) + 1 <= 3 and m.type != "NORP":
                return [m]
        return []

    def _nearest_left_any(self, ss: SentenceSyntax, c: Candidate, before: list[Mention]) -> list[Mention]:
        for m in reversed(before):
            if m.country and m not in c.source:
                return [m]
        return []

    def _is_passive(self, ss: SentenceSyntax, c: Candidate) -> bool:
        tok = ss.tokens[c.k]
        if not self.syntax.is_participle(tok):
            return False
        j = c.k - 1
        while j >= 0 and j >= c.k - 3:
            if ss.tokens[j].norm in self.syntax.passive_aux:
                return not (j > 0 and ss.tokens[j - 1].norm == "si")  # "si è dimesso": reflexive
            if ss.tokens[j].norm not in self.syntax.fillers:
                break
            j -= 1
        return False

    @staticmethod
    def _accused_targets(cands: list[Candidate]) -> None:
        """"accuse … riguardo la fornitura di armi da Pyongyang": the accused is the accused act's
        author."""
        for i, c in enumerate(cands):
            if c.type in ("ACCUSE", "REJECT") and not c.target:
                act = next((x for x in cands[i + 1:] if x.source), None)
                if act is not None and _countries(act.source) != _countries(c.source):
                    c.target = act.source[:1]

    def _fallback_target(self, c: Candidate, events: list[Event], salience: list[str]) -> None:
        """With no target in the sentence: a denial answers the accuser; otherwise the story's most
        salient other country is the likeliest counterpart, and in a story about one country the
        event stays inside it (marked as inferred)."""
        if c.target or not c.source:
            return
        src_country = c.source[0].country
        if c.type == "REJECT":
            for e in reversed(events):
                if e.type == "ACCUSE" and e.source and any(a.country == src_country for a in e.target):
                    c.target = [Mention(start=-1, end=-1, text=e.source[0].text, type="NOM",
                                        token_start=-1, token_end=-1, name=e.source[0].name,
                                        kind=e.source[0].kind, country=e.source[0].country,
                                        sector=e.source[0].sector, role="inferred")]
                    c.target_inferred = True
                    return
        if c.spec.needs_target:
            return
        if c.type in self.domestic or f"{c.type}/{c.mode}" in self.domestic:
            other = src_country  # an arrest, an inquiry, a strike: at home unless said otherwise
        else:
            other = next((code for code in salience if code != src_country), src_country)
        if other:
            c.target = [Mention(start=-1, end=-1, text="", type="NOM", token_start=-1, token_end=-1,
                                country=other, kind="state", role="inferred")]
            c.target_inferred = True

    def _implicit_source(self, ss: SentenceSyntax, c: Candidate, salience: list[str],
                         previous: Mention | None) -> None:
        """Actors the sentence implies. Named participants without a known country take the
        story's (its most mentioned country, else the language's ``home_country``). With no
        source, an active verb's subject is carried over from the previous sentence (the verb has
        no subject of its own); "è stato arrestato a Napoli": the unnamed agent is the authority
        of the place (the police for an arrest, prosecutors for an investigation), as an
        inferred actor."""
        local = next((m.country for m in ss.actors if m.role in PLACE_ROLES and m.country), None)
        story = salience[0] if salience else self.home_country
        if story:  # never the neighbouring place: a man arrested in Paris need not be French
            c.source, c.target = ([replace(m, country=story) if m.country is None and m.type in ("PER", "ORG", "NOM")
                                   else m for m in ms] for ms in (c.source, c.target))
        context = local or story
        if not c.source and previous is not None and c.spec.pos == "verb" and not self._is_passive(ss, c):
            # "Lo ha detto ieri …; ha poi accusato …": the subject of the sentence before acts on
            c.source = [replace(previous, start=-1, end=-1, text="", token_start=-1, token_end=-1,
                                role="carried")]
            return
        if c.source or c.type not in self.implicit_types:
            return
        sector = self.implicit_sectors.get(c.type if c.mode is None else f"{c.type}/{c.mode}",
                                           self.implicit_sectors.get(c.type))
        country = local or next((m.country for m in c.target if m.country), None) or context
        if country:
            c.source = [Mention(start=-1, end=-1, text="", type="NOM", token_start=-1, token_end=-1,
                                kind="state" if sector in (None, "GOV") else "group",
                                country=country, sector=sector, role="inferred")]

    def _subject_of(self, ss: SentenceSyntax, candidates: list[Candidate]) -> Mention | None:
        """Who acts in this sentence, for the next one to carry over: the named source of its
        last event, else its first bare person or organisation with a known country."""
        for c in reversed(candidates):
            if c.source and c.source[0].start >= 0 and c.source[0].country:
                return c.source[0]
        return next((m for m in ss.actors if m.type in ("PER", "ORG", "NOM") and m.country
                     and ss.prep.get(id(m), "none") == "none" and not self.syntax.is_modifier(ss, m)), None)

    @staticmethod
    def _salience(doc: Document) -> list[str]:
        counts = Counter(m.country for m in doc.mentions if m.country and m.type in ("LOC", "NORP", "PER", "NOM", "ORG"))
        return [code for code, _ in counts.most_common()]

    # -- one event per happening -----------------------------------------------------------------
    def _dedupe(self, cands: list[Candidate]) -> list[Candidate]:
        verbal = {FAMILIES.get(c.type, c.type) for c in cands if c.spec.pos == "verb"}
        cands = [c for c in cands if c.spec.pos == "verb" or c.source_from_np
                 or FAMILIES.get(c.type, c.type) not in verbal]
        best: dict[tuple, Candidate] = {}
        order: list[tuple] = []
        for c in cands:
            key = (FAMILIES.get(c.type, c.type), _countries(c.source), _countries(c.target))
            if key in best and best[key].spec.pos == c.spec.pos == "verb" and c.k - best[key].k > 8:
                key = key + (c.k,)  # two distant predications: two reports, kept apart
            if key not in best:
                best[key] = c
                order.append(key)
            elif _rank(c) > _rank(best[key]):
                best[key] = c
        return sorted((best[k] for k in order), key=lambda c: c.k)

    # -- building the record event ---------------------------------------------------------------
    def _event(self, doc: Document, ss: SentenceSyntax, c: Candidate, n: int) -> Event:
        first, last = ss.tokens[c.k], ss.tokens[c.end_k - 1]
        trigger = Trigger(text=doc.text[first.start:last.end], start=first.start, end=last.end)
        sector_hint = "MIL" if c.military and c.type in ("AID", "MOBILIZE", "ASSAULT", "RETREAT") else None
        event = Event(
            id=f"v{n}", type=c.type, mode=c.mode, trigger=trigger,
            sentence=Span(ss.sentence.start, ss.sentence.end),
            source=[_actor(m, sector_hint, self.country_names) for m in c.source],
            target=[_actor(m, None, self.country_names) for m in c.target],
            place=self._place(ss, c),
            confidence=self._confidence(c),
        )
        doc.event_votes[id(event)] = confidence_features(c)  # by object: later stages renumber
        return event

    def _confidence(self, c: Candidate) -> float:
        """The calibrated probability that the event is right (type and actors' countries),
        from the votes and the arguments found; the rules' heuristic without a calibrator."""
        if self.calibration is None or "1" not in self.calibration.labels:
            return _confidence(c)  # no calibrator, or one that never saw a right event
        return self.calibration.classify(confidence_features(c))["1"]

    def _place(self, ss: SentenceSyntax, c: Candidate) -> Place | None:
        """The nearest place named with a locative preposition ("a Pyongyang", "nella regione di Kursk")."""
        used = {id(m) for m in c.source + c.target}
        best: tuple[int, Mention] | None = None
        for m in ss.actors:
            if id(m) in used or m.role not in ("seat", "place") and not (
                    m.role == "country" and ss.prep.get(id(m)) == "in"):
                continue
            if ss.prep.get(id(m)) not in ("a", "in", "su") and m.role == "seat":
                continue
            if ss.prep.get(id(m)) == "none" and m.role != "place":
                continue
            dist = abs(ss.local(m.token_start) - c.k)
            if best is None or dist < best[0]:
                best = (dist, m)
        if best is None:
            return None
        m = best[1]
        return Place(name=m.text, country=m.country)

    # -- dates -----------------------------------------------------------------------------------
    def _dates(self, doc: Document, ss: SentenceSyntax, events: list[Event], cands: list[Candidate]) -> None:
        """The timex of the event's clause; else the sentence's only date when no other event owns
        its clause and no quotation separates them."""
        mine = [e for e in events if ss.sentence.start <= e.trigger.start < ss.sentence.end]
        if not mine:
            return
        timexes = [t for t in doc.timexes if ss.sentence.start <= t.start < ss.sentence.end
                   and t.type == "DATE" and (t.value is not None or doc.published is None)
                   and not self._dates_another_occasion(ss, t)]
        if not timexes:
            return
        starts = [t.start for t in ss.tokens]

        def k_of(char: int) -> int:
            """The (sentence-relative) token holding a character offset, by binary search."""
            return max(bisect_right(starts, char) - 1, 0)

        clauses_with_events = {ss.clause[k_of(e.trigger.start)] for e in mine}
        for e in mine:
            ek = k_of(e.trigger.start)
            same = [t for t in timexes if ss.clause[k_of(t.start)] == ss.clause[ek]]
            chosen = min(same, key=lambda t: abs(k_of(t.start) - ek)) if same else None
            if chosen is None and len(timexes) == 1:
                tk = k_of(timexes[0].start)
                if ss.clause[tk] not in clauses_with_events and ss.quoted[tk] == ss.quoted[ek]:
                    chosen = timexes[0]
            if chosen is not None:
                e.date = EventDate(value=chosen.value, mod=chosen.mod, text=chosen.text)

    def _dates_another_occasion(self, ss: SentenceSyntax, timex) -> bool:
        """"la prima visita dal 2000", "il primo dopo quello del settembre 2023"."""
        k = next((i for i, t in enumerate(ss.tokens) if t.start >= timex.start), None)
        if k is None:
            return False
        before = [t.norm for t in ss.tokens[max(0, k - 3):k]]
        if any(w in self.other_occasion for w in before):
            return True
        return timex.mod == "START" and any(t.norm in self.first_since for t in ss.tokens[max(0, k - 7):k])

    def _inherit_dates(self, doc: Document, events: list[Event]) -> None:
        """An undated event continues a dated one: the same named person doing the same kind of
        thing in the previous two sentences, or a sentence set "durante il loro incontro"."""
        sent_of = {e.id: doc.sentence_of(e.trigger.start).i for e in events if doc.sentence_of(e.trigger.start)}
        for i, e in enumerate(events):
            if e.date is not None:
                continue
            for prev in reversed(events[:i]):
                if prev.date is None or sent_of.get(e.id, 0) - sent_of.get(prev.id, 0) > 2:
                    continue
                if prev.type == e.type and _named(prev.source) & _named(e.source):
                    e.date = EventDate(value=prev.date.value, mod=prev.date.mod, text=prev.date.text)
                    break
            if e.date is None and self._refers_to_meeting(doc, e):
                meeting = next((p for p in reversed(events[:i]) if p.type == "CONSULT" and p.date), None)
                if meeting:
                    e.date = EventDate(value=meeting.date.value, mod=meeting.date.mod, text=meeting.date.text)

    def _refers_to_meeting(self, doc: Document, e: Event) -> bool:
        sent = doc.sentence_of(e.trigger.start)
        if sent is None:
            return False
        toks = doc.tokens[sent.token_start:sent.token_end]
        meetings = [k for k, t in enumerate(toks) if t.norm in self.lexicon.meeting_nouns]
        if not meetings:
            return False
        ss = SentenceSyntax(sentence=sent, tokens=toks, actors=[])
        return any(self._is_background(ss, k) for k in meetings)


def _collapse_appositions(ms: list[Mention]) -> list[Mention]:
    """"il segretario del Consiglio russo, Sergei Shoigu": a description followed by the name is
    one participant, the named one."""
    out: list[Mention] = []
    for m in ms:
        if out and out[-1].type == "NOM" and m.type in ("PER", "ORG") and m.token_start - out[-1].token_end <= 2:
            out[-1] = m
        else:
            out.append(m)
    return out


def _named_in_text(ms: list[Mention]) -> bool:
    """Actors the sentence names (not inferred ones)."""
    return bool(ms) and all(m.start >= 0 and m.role not in ("inferred", "carried") for m in ms)


def _countries(ms: list[Mention]) -> frozenset:
    return frozenset(m.country for m in ms if m.country)


def _rank(c: Candidate) -> tuple:
    return (not c.target_inferred and bool(c.target), c.spec.pos == "verb", len(c.source))


def _named(actors: list[Actor]) -> set[str]:
    return {a.name for a in actors if a.kind == "person" and a.name}


def _actor(m: Mention, sector_hint: str | None, country_names: dict[str, str]) -> Actor:
    kind = m.kind or ("state" if m.role in STATE_ROLES else None)
    sector = m.sector
    name = m.name or (m.text or None)
    if m.role in STATE_ROLES or kind == "state":
        sector = sector_hint or sector or "GOV"
        name = country_names.get(m.country or "", name)  # a state by its name in the article's language
    return Actor(text=m.text, name=name, kind=kind, country=m.country, sector=sector)



def confidence_features(c: Candidate) -> list[str]:
    """What the calibrator weighs: who found the trigger, how sure the tagger was, the type,
    and which arguments were found in the text or inferred."""
    p = c.model_probability
    bucket = "none" if p is None else str(min(int(p * 10), 9))
    source = "none" if not c.source else "inferred" if c.source[0].start < 0 else "text"  # carried too
    target = "none" if not c.target else "inferred" if c.target_inferred else "text"
    return ["b", f"rule={c.by_rule}", f"p={bucket}", f"rule_p={c.by_rule}/{bucket}", f"type={c.type}",
            f"src={source}", f"tgt={target}", f"args={source}/{target}", f"pos={c.spec.pos}"]


def _confidence(c: Candidate) -> float:
    score = 0.4 + (0.25 if c.source else 0) + (0.2 if c.target and not c.target_inferred else 0.05 if c.target else 0)
    return min(score + (0.1 if c.spec.objects else 0), 0.95)
