"""Tagging with CRFsuite's weights in numpy, for the sequence taggers CRFsuite trains.

CRFsuite trains the entity and trigger taggers well, but tagging through it converts and looks up
every feature string of every token, which was most of the extraction time. Here a model's
weights become matrices. A word's own features, and those it lends each neighbour, are summed
once per word and cached; a token's label scores are its word's sum, its neighbours' loans and
the rows of its few other features (tags, bigrams, cues). A linear-chain model is then decoded
by Viterbi, the sentences of a document side by side; a token classifier (trained on one-token
items) needs only a softmax per token. The scores are CRFsuite's own (state features plus label
transitions, no start or end weights), so both give its labels and probabilities, up to the six
decimals it writes weights with.
"""
from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence

import numpy as np
import pycrfsuite

from .features import SequenceFeatures

# Memory for the words' summed weights, per model; when it is full the cache starts afresh, so
# a long ingest stays bounded (the trigger tagger fits about 36,000 words, the entity tagger
# 240,000: a few days of news).
WORD_CACHE_BYTES = 32 * 2**20


class ChainModel:
    """The weights of a CRFsuite model, with per-word caches and batched decoding."""

    def __init__(self, tagger: pycrfsuite.Tagger) -> None:
        info = tagger.info()
        self.labels: list[str] = sorted(info.labels, key=lambda label: int(info.labels[label]))
        column = {label: j for j, label in enumerate(self.labels)}
        attributes = sorted({attribute for attribute, _ in info.state_features})
        # feature name → row; the last row is all zeros (what an unknown feature weighs)
        self.index: dict[str, int] = {attribute: i for i, attribute in enumerate(attributes)}
        self._zero = len(attributes)
        self.weights = np.zeros((len(attributes) + 1, len(self.labels)))
        for (attribute, label), weight in info.state_features.items():
            self.weights[self.index[attribute], column[label]] = weight
        self.transitions = np.zeros((len(self.labels), len(self.labels)))
        for (before, after), weight in info.transitions.items():
            self.transitions[column[before], column[after]] = weight
        self._lock = threading.Lock()
        self._slot: dict[Hashable, int] = {}
        self._word_scores = np.zeros((0, 0, len(self.labels)), dtype=np.float32)

    # -- label scores ---------------------------------------------------------------------------
    def emissions(self, sentences: Sequence[SequenceFeatures]) -> list[np.ndarray]:
        """Per sentence, a ``[tokens, labels]`` array of state scores. All the sentences are
        scored together: a handful of array operations per document, not per sentence."""
        lengths = [len(s) for s in sentences]
        if not sum(lengths):
            return [np.zeros((n, len(self.labels))) for n in lengths]
        context = sentences[0].context
        with self._lock:  # the word cache may be reset by another thread's document
            slots = self._word_slots([k for s in sentences for k in s.keys],
                                     [w for s in sentences for w in s.words], context)
            words = self._word_scores[slots]  # [tokens, 1 + len(context), labels]
        scores = words[:, 0].astype(np.float64)
        sentence_of = np.repeat(np.arange(len(lengths)), lengths)
        for c, d in enumerate(context, 1):
            if abs(d) >= len(scores):
                continue
            # token i receives what the word at i + d lends at distance d, within its sentence
            if d > 0:
                same = (sentence_of[:-d] == sentence_of[d:])[:, None]
                scores[:-d] += words[d:, c] * same
            else:
                same = (sentence_of[-d:] == sentence_of[:d])[:, None]
                scores[-d:] += words[:d, c] * same
        rows: list[int] = []
        starts: list[int] = []
        row_of, zero = self.index.get, self._zero
        for s in sentences:
            for features in s.other:
                starts.append(len(rows))
                rows.append(zero)  # a token with no known feature still has its segment
                rows.extend([row_of(f, zero) for f in features])  # unknown: the zero row
        scores += np.add.reduceat(self.weights[rows], starts, axis=0)
        return np.split(scores, np.cumsum(lengths)[:-1])

    def _word_slots(self, keys: list[Hashable], words: list, context: tuple[int, ...]) -> list[int]:
        """The cache rows of these words' summed weights, computing those of new words at once."""
        slot = self._slot
        width = (1 + len(context)) * len(self.labels) * 4
        if (len(slot) + len(keys)) * width > WORD_CACHE_BYTES or self._word_scores.shape[1] != 1 + len(context):
            slot.clear()
            self._word_scores = np.zeros((max(1024, len(keys)), 1 + len(context), len(self.labels)),
                                         dtype=np.float32)
        new: dict[Hashable, tuple] = {}
        for key, word in zip(keys, words):
            if key not in slot and key not in new:
                new[key] = word
        if new:
            first = len(slot)
            needed = first + len(new)
            if needed > len(self._word_scores):
                grown = np.zeros((max(needed, 2 * len(self._word_scores)),) + self._word_scores.shape[1:],
                                 dtype=np.float32)
                grown[:first] = self._word_scores[:first]
                self._word_scores = grown
            rows: list[int] = []
            starts: list[int] = []
            index, zero = self.index, self._zero
            for own, lent in new.values():
                for features in (own, *(lent[d] for d in context)):
                    starts.append(len(rows))
                    rows.append(zero)
                    rows.extend([index[f] for f in features if f in index])
            sums = np.add.reduceat(self.weights[rows], starts, axis=0)
            self._word_scores[first:needed] = sums.reshape(len(new), 1 + len(context), len(self.labels))
            for n, key in enumerate(new, first):
                slot[key] = n
        return [slot[key] for key in keys]

    # -- decoding -------------------------------------------------------------------------------
    def probabilities(self, sentences: Sequence[SequenceFeatures]) -> list[np.ndarray]:
        """A token classifier's label probabilities: ``[tokens, labels]`` per sentence."""
        scores = self.emissions(sentences)
        if not any(len(s) for s in scores):
            return scores
        flat = np.concatenate(scores)
        exp = np.exp(flat - flat.max(axis=1, keepdims=True))
        exp /= exp.sum(axis=1, keepdims=True)
        return np.split(exp, np.cumsum([len(s) for s in scores])[:-1])

    def decode(self, sentences: Sequence[SequenceFeatures]) -> list[list[str]]:
        """A linear-chain model's best labels for each sentence (Viterbi)."""
        scores = self.emissions(sentences)
        paths: list[list[str]] = [[] for _ in scores]
        order = sorted((i for i, s in enumerate(scores) if len(s)), key=lambda i: -len(scores[i]))
        if not order:
            return paths
        steps = len(scores[order[0]])
        lengths = [len(scores[i]) for i in order]
        batch = np.zeros((len(order), steps, len(self.labels)))
        for row, i in enumerate(order):
            batch[row, :lengths[row]] = scores[i]
        # sentences sorted longest first: at step t the first `alive[t]` rows are still running
        alive = [sum(1 for n in lengths if n > t) for t in range(steps)]
        best = batch[:, 0].copy()
        back = np.zeros((steps, len(order), len(self.labels)), dtype=np.intp)
        for t in range(1, steps):
            m = alive[t]
            candidates = best[:m, :, None] + self.transitions
            back[t, :m] = candidates.argmax(axis=1)
            best[:m] = candidates.max(axis=1) + batch[:m, t]
        # back from each sentence's last token (a sentence's labels stay put past its end)
        current = best.argmax(axis=1)
        path = np.zeros((len(order), steps), dtype=np.intp)
        for t in range(steps - 1, -1, -1):
            m = alive[t]
            path[:m, t] = current[:m]
            if t:
                current[:m] = back[t, np.arange(m), current[:m]]
        for row, (i, labels) in enumerate(zip(order, path.tolist())):
            paths[i] = [self.labels[j] for j in labels[:lengths[row]]]
        return paths
