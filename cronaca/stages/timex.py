"""Time expressions: find them, normalise them to ISO 8601, and guess each sentence's tense.

Everything language-specific comes from ``cronaca/lang/<code>/timex.yaml``: lexicons (months,
weekdays, units, number words, relative and deictic words, modifiers), rule templates and tense
cues. The templates are regular expressions with ``{placeholders}``; all rules are compiled once,
at construction, into one regex (an alternation, rules tried in file order, word lists as tries).
The regex is only tried near anchor tokens (a month, weekday, unit, season, deictic word or a
digit), starting at most a few tokens earlier: a dict lookup per token, not a scan per position.

Placeholders: ``month`` (full names), ``mon`` (names and abbreviations), ``weekday``, ``season``,
``unit``, ``num`` (digits, number words, vague quantities), ``day`` (1–31 with ordinal suffix,
day and number words), ``d``/``m`` (numeric day and month), ``year`` (1800–2199), ``decade``
("'90", "1990" + the language's ``decade_suffix``, words), ``rel``, ``deictic``, ``mod`` (modifier
phrase and optional linker) and every list under ``words``.

The value is computed from which groups matched, never from which rule did: a year, month and day
make a date; a unit with a relative word shifts the publication date; a bare weekday or month is
read backwards from publication unless the nearest tense cue is future ("past-tense news reads
relative expressions as past"). Values never claim more precision than the publication date
has: with ``published="2023-01"``, "oggi" is ``2023-01``.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import compress
from typing import Any

from dateutil.relativedelta import relativedelta, weekday as rd_weekday

from ..document import Document
from ..lang import LanguageData
from ..model import Timex

_APOS = "'’ʼ`‘"
_APOS_CLASS = "['’ʼ`‘]"
# A space in a template: white space within a line, or nothing right after an apostrophe or
# hyphen ("dell'anno"). Line breaks end headlines and paragraphs, so no expression spans one.
_SP = rf"(?:(?<=[{_APOS}-])[^\S\n]*|[^\S\n]+)"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_FOLD = str.maketrans({c: "'" for c in _APOS})

# Granularity ranks: a value is only as precise as the coarser of text and publication date.
YEAR, MONTH, WEEK, DAY = 0, 1, 2, 3
_UNIT_RANK = {"year": YEAR, "decade": YEAR, "month": MONTH, "week": WEEK, "day": DAY}
_ISO_UNIT = {"day": (1, "D"), "week": (1, "W"), "month": (1, "M"), "year": (1, "Y"),
             "decade": (10, "Y")}
_DELTA_FIELD = {"day": "days", "week": "weeks", "month": "months"}
_SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}  # WI of year Y is December Y-1 .. February Y
_SEASON_CODES = {v: k for k, v in _SEASON_ORDER.items()}
_WEEKDAYS = [rd_weekday(i) for i in range(7)]
_DIGITS = frozenset("0123456789")
_WORDS = re.compile(r"[^\W\d_]+'?")
# How many tokens an expression may start before its anchor ("entro la fine dell'|anno").
_LEAD = 6
_KIND_CACHE = 50_000  # word forms whose tense kind is remembered across documents


def _has_digit(word: str) -> bool:
    """Whether a token holds an ASCII digit; most are plain words, ruled out by ``isalpha``."""
    return not word.isalpha() and not _DIGITS.isdisjoint(word)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _key(text: str) -> str:
    """Lookup key of a phrase: lower case, one apostrophe, no accents, single spaces, no final dot."""
    text = _strip_accents(text.lower().translate(_FOLD))
    return re.sub(r"'\s+", "'", re.sub(r"\s+", " ", text.strip().rstrip(".")))


def _pieces(phrase: str) -> list[str]:
    """A lexicon phrase as regex pieces, one per character: any apostrophe, flexible spaces,
    accented or plain vowels."""
    pieces = []
    for ch in phrase:
        if ch == "'":
            pieces.append(_APOS_CLASS + r"[^\S\n]?")  # "l'altro" or "l' altro"
        elif ch == " ":
            pieces.append(_SP)
        else:
            base = _strip_accents(ch)
            pieces.append(f"[{re.escape(ch)}{re.escape(base)}]" if base != ch else re.escape(ch))
    return pieces


def _alternation(phrases: Any, exact: bool = False) -> str:
    """The phrases as one trie-shaped regex (the engine branches on a character instead of
    trying every phrase), preferring the longest ("alla fine" over "fine")."""
    trie: dict[str, dict] = {}
    for phrase in {str(p) if exact else str(p).lower() for p in phrases}:
        node = trie
        for piece in _pieces(phrase):
            node = node.setdefault(piece, {})
        node[""] = {}
    return "(?:" + _emit(trie) + ")"


def _emit(node: dict[str, dict]) -> str:
    branches = [piece + _emit(child) for piece, child in node.items() if piece]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _keyed(mapping: dict[Any, Any] | None) -> dict[str, Any]:
    return {_key(str(k)): v for k, v in (mapping or {}).items()}


@dataclass(slots=True)
class _Rule:
    type: str
    requires: tuple[str, ...]
    groups: dict[str, str]  # placeholder name -> group name in the combined regex


@dataclass(slots=True)
class _Reference:
    """The publication date with its granularity; ``day`` is a mid-point when coarser."""

    day: date
    rank: int

    @classmethod
    def parse(cls, published: str | None) -> _Reference | None:
        if not published:
            return None
        m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", published)
        if not m:
            return None
        year, month, day = m.group(1), m.group(2), m.group(3)
        try:
            if day:
                return cls(date(int(year), int(month), int(day)), DAY)
            if month:
                return cls(date(int(year), int(month), 15), MONTH)
            return cls(date(int(year), 7, 1), YEAR)
        except ValueError:
            return None


def _format(day: date, rank: int) -> str:
    if rank == YEAR:
        return f"{day.year:04d}"
    if rank == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if rank == WEEK:
        iso = day.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    return day.isoformat()


def _shift(ref: _Reference, unit: str, n: int) -> str:
    """The publication date moved by ``n`` units, at the granularity both allow."""
    step, _ = _ISO_UNIT[unit]
    target = ref.day + relativedelta(**{_DELTA_FIELD.get(unit, "years"): n * step})
    if unit == "decade":
        return f"{target.year // 10:03d}"
    return _format(target, min(_UNIT_RANK[unit], ref.rank))


class TimexTagger:
    """Finds, types and normalises time expressions; fills ``doc.timexes`` and ``doc.tense``."""

    name = "timex"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        data = lang.data("timex") or {}
        self.months_all = {**_keyed(data.get("months")), **_keyed(data.get("month_abbreviations"))}
        self.weekdays = _keyed(data.get("weekdays"))
        self.seasons = _keyed(data.get("seasons"))
        self.units = _keyed(data.get("units"))
        self.numbers = _keyed(data.get("numbers"))
        self.day_words = _keyed(data.get("day_words"))
        self.decade_words = _keyed(data.get("decade_words"))
        self.relative = _keyed(data.get("relative"))
        self.deictic = _keyed(data.get("deictic"))
        self.modifiers = _keyed(data.get("modifiers"))
        self.rules: dict[str, _Rule] = {}
        self.pattern = self._regex(data)
        self.probe = self._regex(data, capture=False)  # where self.pattern can match, quickly
        self.anchors, self.starters = self._vocabularies(data)
        self._init_tense(data.get("tense") or {})

    # -- construction -------------------------------------------------------------------------

    def _fragments(self, data: dict[str, Any]) -> dict[str, str]:
        def alt(phrases: dict[Any, Any] | list[Any] | None) -> str:
            return _alternation(phrases) if phrases else r"(?!x)x"

        raw = data.get
        capitalized_only = {str(w).lower() for w in raw("capitalized_only") or ()}

        def name(phrases: list[str]) -> str:
            """Names in any case, except those that are also common words: "May", never "may"."""
            plain = [p for p in phrases if p.lower() not in capitalized_only]
            forms = [f for p in phrases if p.lower() in capitalized_only
                     for f in (p[:1].upper() + p[1:], p.upper())]
            parts = ([f"(?-i:{_alternation(forms, exact=True)})"] if forms else []) + \
                ([alt(plain)] if plain else [])
            return "(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"

        months = [str(k) for k in raw("months") or {}]
        abbreviations = [str(k) for k in raw("month_abbreviations") or {}]
        weekdays = [str(k) for k in raw("weekdays") or {}]
        suffix = alt(raw("ordinal_suffixes"))
        decade_suffix = re.escape(raw("decade_suffix") or "")
        number_words = [str(w) for w in raw("numbers") or {}] + [str(w) for w in raw("vague_numbers") or ()]
        day_words = [str(w) for w in raw("day_words") or {}] + [
            str(w) for w, n in (raw("numbers") or {}).items() if isinstance(n, int) and 2 <= n <= 31]
        fragments = {
            "month": name(months),
            "mon": name(months + [a + "." for a in abbreviations] + abbreviations),
            "weekday": name(weekdays),
            "season": alt(raw("seasons")),
            "unit": alt(raw("units")),
            "num": rf"(?:(?<![\d.,-])\d{{1,3}}(?![\d.,]\d)|{alt(number_words)})",
            "day": rf"(?:(?:[12]\d|3[01]|0?[1-9])(?!\d)(?:{suffix})?|{alt(day_words)})",
            "d": r"(?:[12]\d|3[01]|0?[1-9])",
            "m": r"(?:1[0-2]|0?[1-9])",
            "year": r"(?<![\d.,])(?:1[89]\d\d|2[01]\d\d)(?![\d]|[.,]\d)",  # not in "2.024"
            "decade": rf"(?:(?:{_APOS_CLASS}?[0-9]0|1[89][0-9]0|20[0-9]0){decade_suffix}(?!\d)"
                      rf"|{alt(raw('decade_words'))})",
            "rel": alt(raw("relative")),
            "deictic": alt(raw("deictic")),
            "mod": alt(raw("modifiers")),
        }
        for name, phrases in (raw("words") or {}).items():
            fragments[name] = alt(phrases)
        return fragments

    @staticmethod
    def _vocabularies(data: dict[str, Any]) -> tuple[frozenset[str], frozenset[str]]:
        """Token forms that every expression contains one of (anchors: a month, weekday, unit,
        season, deictic word or a digit), and token forms an expression may start with. The
        regex is only tried near anchors, from starters: a dict lookup per token instead of a
        regex attempt at every word."""
        def forms(phrases: Any) -> set[str]:
            out: set[str] = set()
            for phrase in phrases or ():
                for word in _WORDS.findall(str(phrase).lower().translate(_FOLD)):
                    # "l' anno" may come as tokens "l", "'", "anno"
                    out.update((word, _strip_accents(word), word.rstrip("'")))
            return out

        anchors = set()
        for name in ("months", "month_abbreviations", "weekdays", "seasons", "units", "decade_words"):
            anchors |= forms(data.get(name))
        anchors |= {w for w in forms(data.get("deictic")) if len(w) >= 4}
        starters = set(anchors) | forms(data.get("deictic")) | forms(data.get("modifiers"))
        for name in ("numbers", "vague_numbers", "day_words", "relative", "mod_linkers"):
            starters |= forms(data.get(name))
        for phrases in (data.get("words") or {}).values():
            starters |= forms(phrases)
        for rule in data.get("rules") or ():
            starters |= forms([_PLACEHOLDER.sub(" ", rule["pattern"])])
        return frozenset(anchors), frozenset(starters)

    def _regex(self, data: dict[str, Any], capture: bool = True) -> re.Pattern[str]:
        """One regex: an optional modifier phrase shared by the modifiable rules, then the rules
        in file order, each a named group ``r<i>`` whose placeholders are groups ``r<i>_<name>``.

        With ``capture=False``, the same regex without groups: it matches exactly where the
        regex does, and rejects a position faster (most tries fail) as no group is tracked."""
        def group(name: str, body: str) -> str:
            return f"(?P<{name}>{body})" if capture else f"(?:{body})"

        fragments = self._fragments(data)
        linkers = data.get("mod_linkers")
        linker = f"(?:{_SP}{_alternation(linkers)})?" if linkers else ""  # "alla fine [del]"
        mod = group("mod", fragments["mod"]) + linker
        modifiable, fixed = [], []
        for i, spec in enumerate(data.get("rules") or []):
            groups: dict[str, str] = {}

            def expand(m: re.Match[str], i: int = i, groups: dict[str, str] = groups) -> str:
                name = m.group(1)
                if name in groups:
                    raise ValueError(f"timex rule {i}: placeholder {{{name}}} used twice")
                groups[name] = f"r{i}_{name}"
                return group(groups[name], fragments[name]) + (linker if name == "mod" else "")

            body = _PLACEHOLDER.sub(expand, spec["pattern"].replace(" ", _SP))
            if capture:
                self.rules[f"r{i}"] = _Rule(type=spec.get("type", "DATE"),
                                            requires=tuple(spec.get("requires") or ()), groups=groups)
            (modifiable if spec.get("modifiable", True) else fixed).append(group(f"r{i}", body))
        alternatives = []
        if modifiable:
            alternatives.append(f"(?:{mod}{_SP})?(?:" + "|".join(modifiable) + ")")
        alternatives.extend(fixed)
        if not alternatives:
            return re.compile(r"(?!x)x")
        return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)

    def _init_tense(self, cues: dict[str, Any]) -> None:
        def words(name: str) -> frozenset[str]:
            return frozenset(str(w).lower().translate(_FOLD) for w in cues.get(name) or ())

        self.aux = words("past_auxiliaries")
        self.participle_endings = tuple(words("participle_endings"))
        self.participle_window = int(cues.get("participle_window", 2))
        self.past_endings = tuple(words("past_endings"))
        self.past_words = words("past_words")
        self.future_endings = tuple(words("future_endings"))
        self.future_words = words("future_words")
        self.not_verbs = words("not_verbs")
        self.min_length = int(cues.get("min_length", 4))
        # News vocabulary repeats: remember the kinds of the most frequent forms, boundedly.
        self._word_kind: Callable[[str], str] = lru_cache(maxsize=_KIND_CACHE)(self._classify)
        self.phrases: dict[str, list[tuple[list[str], str]]] = {}
        for tense in ("past", "future"):
            for phrase in words(f"{tense}_phrases"):
                parts = phrase.split()
                self.phrases.setdefault(parts[0], []).append((parts, tense))

    # -- tense ----------------------------------------------------------------------------------

    def _tense_cues(self, doc: Document, norms: list[str]) -> dict[int, list[tuple[int, str]]]:
        """(character offset, tense) of every tense cue, by sentence. Word kinds are looked up
        once per token; only tokens of a kind (a phrase's first word included) are read further."""
        tokens = doc.tokens
        kinds = list(map(self._word_kind, norms))
        phrases, window = self.phrases, self.participle_window
        telling = list(compress(range(len(kinds)), kinds))  # the tokens of a non-empty kind
        by_sentence: dict[int, list[tuple[int, str]]] = {}
        for sentence in doc.sentences:
            cues: list[tuple[int, str]] = []
            end = sentence.token_end
            governed_until = -1  # tokens right after a future auxiliary belong to it ("will be held")
            for j in telling[bisect_left(telling, sentence.token_start):bisect_left(telling, end)]:
                if j <= governed_until:
                    continue
                kind, w = kinds[j], norms[j]
                tense = self._phrase_tense(norms, j, end) if w in phrases else None
                if tense is None:
                    if kind == "aux":
                        if w in self.past_words or "participle" in kinds[j + 1:min(j + 1 + window, end)]:
                            tense = "past"
                    elif kind == "will":
                        tense = "future"
                        governed_until = j + window
                    elif kind in ("past", "future"):
                        tense = kind
                    elif kind == "participle" and w.endswith(self.past_endings):
                        tense = "past"
                if tense:
                    cues.append((tokens[j].start, tense))
            by_sentence[sentence.i] = cues
        return by_sentence

    def _phrase_tense(self, norms: list[str], j: int, end: int) -> str | None:
        """The tense of the phrase starting at token ``j`` and ending by ``end``, if any."""
        for parts, tense in self.phrases[norms[j]]:
            if j + len(parts) <= end and norms[j:j + len(parts)] == parts:
                return tense
        return None

    def _classify(self, w: str) -> str:
        """What a word tells about tense on its own; "phrase" when it tells nothing alone but
        may start a tense phrase ("in programma"), "" when neither."""
        if w in self.aux:
            kind = "aux"
        elif w in self.past_words:
            kind = "past"
        elif w in self.future_words:
            kind = "will"
        elif len(w) < self.min_length or w in self.not_verbs:
            kind = ""
        elif w.endswith(self.future_endings):  # before past: "tornerò" is not "dichiarò"
            kind = "future"
        elif w.endswith(self.past_endings) and not w.endswith(self.participle_endings):
            kind = "past"
        elif w.endswith(self.participle_endings):
            kind = "participle"
        else:
            kind = ""
        return kind or ("phrase" if w in self.phrases else "")

    @staticmethod
    def _sentence_tense(cues: list[tuple[int, str]]) -> str:
        past = sum(1 for _, t in cues if t == "past")
        future = len(cues) - past
        if future > past:
            return "future"
        return "past" if past else "present"

    # -- the stage ------------------------------------------------------------------------------

    def __call__(self, doc: Document) -> Document:
        ref = _Reference.parse(doc.published)
        text = doc.text
        norms = [t.norm for t in doc.tokens]
        cues_by_sentence = self._tense_cues(doc, norms)
        for s in doc.sentences:
            doc.tense[s.i] = self._sentence_tense(cues_by_sentence[s.i])
        found: list[Timex] = []
        sentence_starts = [s.start for s in doc.sentences]
        tokens, anchors, starters = doc.tokens, self.anchors, self.starters
        covered = 0  # text before this offset already belongs to a time expression
        # The match at each start offset tried, as the leads of nearby anchors overlap.
        attempts: dict[int, re.Match[str] | None] = {}
        # _has_digit inlined: this scans every token
        for a in [a for a, w in enumerate(norms) if w in anchors
                  or not w.isalpha() and not _DIGITS.isdisjoint(w)]:
            anchor = tokens[a]
            if anchor.start < covered:
                continue
            for j in range(max(0, a - _LEAD), a + 1):
                start, norm = tokens[j].start, tokens[j].norm
                if start < covered or (j < a and norm not in starters and not _has_digit(norm)):
                    continue
                if start in attempts:
                    m = attempts[start]
                else:
                    m = attempts[start] = (self.pattern.match(text, start)
                                           if self.probe.match(text, start) else None)
                if m is None or m.end() <= anchor.start:
                    continue
                timex = self._timex(m, ref, self._tense_at(start, doc, sentence_starts,
                                                             cues_by_sentence))
                if timex is not None:
                    found.append(timex)
                    covered = m.end()
                    break
        doc.timexes = sorted(doc.timexes + found, key=lambda t: t.start)
        return doc

    def _timex(self, m: re.Match[str], ref: _Reference | None, tense: str) -> Timex | None:
        rule = self.rules[m.lastgroup or ""]
        groups = {name: m.group(g) for name, g in rule.groups.items() if m.group(g)}
        if m.group("mod"):
            groups["mod"] = m.group("mod")
        if rule.requires and not any(r in groups for r in rule.requires):
            return None
        resolved = self._resolve(rule, groups, ref, tense)
        if resolved is None:
            return None
        value, kind = resolved
        mod = self.modifiers.get(_key(groups["mod"])) if "mod" in groups else None
        return Timex(text=m.group(0), start=m.start(), end=m.end(), value=value, type=kind, mod=mod)

    def _tense_at(self, offset: int, doc: Document, starts: list[int],
                  cues_by_sentence: dict[int, list[tuple[int, str]]]) -> str:
        """The tense of the cue nearest to ``offset`` in its sentence, else the sentence's."""
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return "present"
        sentence = doc.sentences[index]
        cues = cues_by_sentence.get(sentence.i) or []
        if not cues:
            return doc.tense.get(sentence.i, "present")
        return min(cues, key=lambda c: abs(c[0] - offset))[1]

    # -- normalisation --------------------------------------------------------------------------

    def _number(self, text: str) -> int | None:
        return int(text) if text.isdigit() else self.numbers.get(_key(text))

    def _unit(self, text: str) -> tuple[str, bool]:
        """Canonical unit and whether the word was plural."""
        unit = str(self.units[_key(text)])
        return (unit[:-1], True) if unit.endswith("s") else (unit, False)

    def _resolve(self, rule: _Rule, g: dict[str, str], ref: _Reference | None,
                 tense: str) -> tuple[str | None, str] | None:
        """(value, type), or None when the match is not a valid time expression."""
        forward = tense == "future"
        if rule.type == "DURATION":
            unit, _ = self._unit(g["unit"])
            n = self._number(g["num"]) if "num" in g else None
            return (self._duration(unit, n) if n else None), "DURATION"
        if rule.type == "SET":
            if "weekday" in g:
                return f"XXXX-WXX-{self.weekdays[_key(g['weekday'])]}", "SET"
            unit, _ = self._unit(g["unit"])
            n = self._number(g["num"]) if "num" in g else 1
            return (self._duration(unit, n) if n else None), "SET"
        if "decade" in g:
            return self._decade(g["decade"]), "DATE"
        if "year" in g:
            return self._absolute(g), "DATE"
        if "deictic" in g:
            return (_shift(ref, "day", int(self.deictic[_key(g["deictic"])])) if ref else None), "DATE"
        if ref is None:
            return None, "DATE"
        if "unit" in g:
            unit, plural = self._unit(g["unit"])
            if "num" in g:  # "tre giorni fa"; a vague "pochi giorni fa" has no value
                n = self._number(g["num"])
                return (_shift(ref, unit, n if "later" in g else -n) if n else None), "DATE"
            if plural:
                return None, "DATE"
            return _shift(ref, unit, int(self.relative[_key(g["rel"])]) if "rel" in g else 0), "DATE"
        shift = int(self.relative[_key(g["rel"])]) if "rel" in g else None
        if "day" in g or "d" in g:
            return self._day_month(g, ref, forward), "DATE"
        if "month" in g:
            return self._month(self.months_all[_key(g["month"])], ref, shift, forward), "DATE"
        if "season" in g:
            return self._season(self.seasons[_key(g["season"])], ref, shift, forward), "DATE"
        if "weekday" in g:
            return self._weekday(int(self.weekdays[_key(g["weekday"])]), ref, shift, forward), "DATE"
        return None

    @staticmethod
    def _duration(unit: str, n: int) -> str:
        step, letter = _ISO_UNIT[unit]
        return f"P{n * step}{letter}"

    def _decade(self, text: str) -> str:
        word = self.decade_words.get(_key(text))
        if word:
            return str(word)
        digits = re.sub(r"\D", "", text)
        return digits[:3] if len(digits) == 4 else "19" + digits[0]

    def _absolute(self, g: dict[str, str]) -> str | None:
        year = int(g["year"])
        month_text = g.get("month") or g.get("mon") or g.get("m")
        if "season" in g:
            return f"{year:04d}-{self.seasons[_key(g['season'])]}"
        if not month_text:
            return f"{year:04d}"
        month = int(month_text) if month_text.isdigit() else int(self.months_all[_key(month_text)])
        day_text = g.get("day") or g.get("d")
        if not day_text:
            return f"{year:04d}-{month:02d}"
        try:
            return date(year, month, self._day_number(day_text)).isoformat()
        except ValueError:
            return None

    def _day_number(self, text: str) -> int:
        digits = re.match(r"\d+", text)
        if digits:
            return int(digits.group(0))
        return int(self.day_words.get(_key(text)) or self.numbers[_key(text)])

    def _day_month(self, g: dict[str, str], ref: _Reference, forward: bool) -> str | None:
        """A day and month without year: the nearest occurrence in the reading direction."""
        month = int(self.months_all[_key(g.get("mon") or g["month"])])
        day = self._day_number(g.get("day") or g["d"])
        if ref.rank == DAY:
            when, now = (month, day), (ref.day.month, ref.day.day)
        else:  # only the month is known: the same month counts as now
            when, now = (month, 0), (ref.day.month, 0)
        year = ref.day.year + (1 if forward and when < now else -1 if not forward and when > now else 0)
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None

    @staticmethod
    def _month(month: int, ref: _Reference, shift: int | None, forward: bool) -> str:
        """"lo scorso agosto" is strictly before the current month, a bare "ad aprile" may be it."""
        year, current = ref.day.year, ref.day.month
        if shift == -1 and month >= current:
            year -= 1
        elif shift == 1 and month <= current:
            year += 1
        elif shift is None and forward and month < current:
            year += 1
        elif shift is None and not forward and month > current:
            year -= 1
        return f"{year:04d}-{month:02d}"

    @staticmethod
    def _season(code: str, ref: _Reference, shift: int | None, forward: bool) -> str:
        """Seasons as a sequence (year * 4 + order); pick the occurrence the words ask for."""
        d = ref.day
        current_code = ("WI" if d.month in (12, 1, 2) else "SP" if d.month < 6
                        else "SU" if d.month < 9 else "FA")
        current = (d.year + (d.month == 12)) * 4 + _SEASON_ORDER[current_code]
        candidates = [(d.year + k) * 4 + _SEASON_ORDER[code] for k in (-1, 0, 1, 2)]
        if shift == 0:
            index = min(candidates, key=lambda c: abs(c - current))
        elif shift == -1 or (shift is None and not forward):
            index = max(c for c in candidates if c < current or (shift is None and c == current))
        else:
            index = min(c for c in candidates if c > current or (shift is None and c == current))
        return f"{index // 4:04d}-{_SEASON_CODES[index % 4]}"

    @staticmethod
    def _weekday(iso_day: int, ref: _Reference, shift: int | None, forward: bool) -> str:
        if ref.rank < DAY:
            return _format(ref.day, ref.rank)
        wd = _WEEKDAYS[iso_day - 1]
        d = ref.day
        if shift == 0:
            target = d + relativedelta(days=iso_day - d.isoweekday())
        elif shift == -1:
            target = d + relativedelta(days=-1, weekday=wd(-1))
        elif shift == 1:
            target = d + relativedelta(days=1, weekday=wd(+1))
        else:
            target = d + relativedelta(weekday=wd(+1) if forward else wd(-1))
        return target.isoformat()

