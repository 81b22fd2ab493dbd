"""One user's memories as a keyword index: BM25 with the user's own statistics.

Lucene's full-text indexes hold every tenant's documents, so a word's rarity (idf) and the mean document
length are counted over all of them, and the tenant clause every query carries adds a constant that
shrinks as the index grows: one tenant's ranking would move when another tenant's data arrives. A user
whose memories are held is scored here instead, over their memories and their conversations (as whole
documents) alone, with what Lucene's English analyzer does to a text (`analyze`) and Lucene's BM25
(k1 1.2, b 0.75). Neo4j's indexes still answer for a user not held.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import Stemmer
from spacy.lang.en.stop_words import STOP_WORDS

from app.nlp.text import folded

Floats = npt.NDArray[np.float32]

K1 = 1.2
B = 0.75

#: Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`: dropped before counting a document's length.
LUCENE_ENGLISH_STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not"}
    | {"of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was"}
    | {"will", "with"}
)
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_STEMMER = Stemmer.Stemmer("porter")  # Lucene's PorterStemFilter is Porter's original algorithm


def analyze(text: str) -> list[str]:
    """A text's terms as Lucene's English analyzer makes them: words, possessive dropped, lower case,
    stop words out, Porter stems; read folded (`app.nlp.text`), as the write path reads it, so that a
    memory kept as written ("ｆｕｌｌ-width", a zero-width joiner inside) matches a query typed plainly."""
    if not text.isascii():
        text = folded(text)
    return [term for word in _WORD.findall(text.lower()) if (term := _term(word)) is not None]


def content_terms(text: str) -> frozenset[str]:
    """The terms of a text's content words: its terms less those of spaCy's English stop words ("how",
    "many", "have", "been"), which say what is asked, not what about."""
    if not text.isascii():
        text = folded(text)
    return frozenset(term for word in _WORD.findall(text.lower()) if word not in STOP_WORDS and (term := _term(word)))


@functools.lru_cache(maxsize=1 << 17)
def _term(word: str) -> str | None:
    """One lower-case word's term, None for a stop word. Cached: a user's load analyses every memory, and
    a conversation's words repeat."""
    word = word.removesuffix("'s").removesuffix("’s")
    return None if word in LUCENE_ENGLISH_STOP_WORDS else str(_STEMMER.stemWord(word))


class KeywordIndex:
    """Postings of one user's memories, appended as memories are (index `i` is memory `i`), with each
    memory's and each conversation's length. Not thread-safe: its owner holds the lock."""

    def __init__(self) -> None:
        self._term_ids: dict[str, int] = {}
        self._memories: list[array[int]] = []  # per term: the memories holding it
        self._counts: list[array[float]] = []  # per term: how often each holds it
        self._lengths = array("f")  # per memory: its terms
        self._conversation_of = array("i")  # per memory
        self._conversation_lengths = array("f")  # per conversation: its memories' terms
        self._postings = 0
        self._statistics: _Statistics | None = None  # computed on the first search after a change

    @property
    def nbytes(self) -> int:
        """Approximate memory taken: 8 bytes a posting, two arrays and a dict entry a term, 12 bytes a memory."""
        return 8 * self._postings + 300 * len(self._term_ids) + 12 * len(self._lengths)

    def put(self, memory: int, conversation: int, text: str, previous: str | None = None) -> None:
        """Index memory `memory` (the next one, or one held whose text was `previous`) of `conversation`."""
        if memory == len(self._lengths):
            self._lengths.append(0.0)
            self._conversation_of.append(conversation)
        elif previous == text and self._conversation_of[memory] == conversation:
            return  # re-stamped for another reason (a tier move, a fact's status): the statistics stand
        else:
            self._remove(memory, previous or "")
            self._conversation_of[memory] = conversation
        while conversation >= len(self._conversation_lengths):
            self._conversation_lengths.append(0.0)
        terms = analyze(text)
        counted = Counter(terms)
        term_ids, postings = self._term_ids, self._memories
        for term, count in counted.items():
            term_id = term_ids.get(term)
            if term_id is None:
                term_id = term_ids[term] = len(postings)
                postings.append(array("i"))
                self._counts.append(array("f"))
            postings[term_id].append(memory)
            self._counts[term_id].append(count)
        self._postings += len(counted)
        self._statistics = None
        self._lengths[memory] = len(terms)
        self._conversation_lengths[conversation] += len(terms)

    def _remove(self, memory: int, text: str) -> None:
        terms = set(analyze(text))
        self._postings -= len(terms)
        for term in terms:
            term_id = self._term_ids[term]
            memories = self._memories[term_id]
            place = memories.index(memory)
            del memories[place]
            del self._counts[term_id][place]
        self._conversation_lengths[self._conversation_of[memory]] -= self._lengths[memory]
        self._lengths[memory] = 0.0

    def memory_scores(self, clauses: Sequence[tuple[str, float]]) -> Floats:
        """Each memory's BM25 for `clauses` (query words, each with its boost), summed over clauses as
        Lucene sums a disjunction's; 0 for a memory holding none."""

        def holding(term_id: int) -> tuple[npt.NDArray[np.intp], Floats]:
            return np.array(self._memories[term_id], dtype=np.intp), np.array(self._counts[term_id], dtype=np.float32)

        statistics = self._current()
        return _bm25(statistics.memory_documents, statistics.memory_norms, self._clauses(clauses), holding)

    def conversation_scores(self, clauses: Sequence[tuple[str, float]]) -> Floats:
        """Each conversation's BM25 for `clauses`, the conversation read as one document of all its memories."""
        statistics = self._current()
        owner, size = statistics.owner, len(statistics.conversation_norms)

        def holding(term_id: int) -> tuple[npt.NDArray[np.intp], Floats]:
            memories = np.array(self._memories[term_id], dtype=np.intp)
            counts = np.bincount(owner[memories], self._counts[term_id], minlength=size)
            conversations = np.flatnonzero(counts)
            return conversations, counts[conversations].astype(np.float32)

        return _bm25(statistics.conversation_documents, statistics.conversation_norms, self._clauses(clauses), holding)

    def best(
        self, clauses: Sequence[tuple[str, float]], eligible: npt.NDArray[np.bool_], memories: int, conversations: int
    ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """The `memories` eligible memories and the `conversations` conversations (numbers) with the best
        BM25 for `clauses`, best first, each with its score; none that holds none of the words."""
        by_memory = self.memory_scores(clauses)[: len(eligible)]
        by_memory[~eligible[: len(by_memory)]] = 0.0
        by_conversation = self.conversation_scores(clauses) if conversations else np.zeros(0, dtype=np.float32)
        return _best(by_memory, memories), _best(by_conversation, conversations)

    def _current(self) -> _Statistics:
        if self._statistics is None:
            memories, memory_norms = _length_norms(np.array(self._lengths, dtype=np.float32))
            conversations, conversation_norms = _length_norms(np.array(self._conversation_lengths, dtype=np.float32))
            owner = np.array(self._conversation_of, dtype=np.intp)
            self._statistics = _Statistics(memories, memory_norms, conversations, conversation_norms, owner)
        return self._statistics

    def _clauses(self, clauses: Sequence[tuple[str, float]]) -> list[tuple[int, float]]:
        """The query's words as this index's terms (a word the analyzer drops, or none holds, adds nothing)."""
        found = []
        for word, boost in clauses:
            for term in analyze(word):
                term_id = self._term_ids.get(term)
                if term_id is not None and len(self._memories[term_id]):
                    found.append((term_id, boost))
        return found


@dataclass(frozen=True)
class _Statistics:
    """What every search's BM25 needs of the whole index: how many documents hold any term, and each
    document's length normalisation, for memories and for conversations; each memory's conversation."""

    memory_documents: int
    memory_norms: Floats
    conversation_documents: int
    conversation_norms: Floats
    owner: npt.NDArray[np.intp]


def _length_norms(lengths: Floats) -> tuple[int, Floats]:
    """How many documents hold a term, and each one's `k1 × (1 − b + b × length / mean length)`."""
    documents = int(np.count_nonzero(lengths))
    mean = float(lengths.sum()) / documents if documents else 1.0
    return documents, (K1 * (1 - B + B * lengths / mean)).astype(np.float32)


def _bm25(
    documents: int,
    norms: Floats,
    clauses: list[tuple[int, float]],
    holding: Callable[[int], tuple[npt.NDArray[np.intp], Floats]],
) -> Floats:
    """Each document's BM25 (Lucene's: no (k1 + 1) factor) for `clauses` (term ids and boosts), given the
    collection's `_length_norms` and, per term, the documents holding it and how often."""
    scores = np.zeros(len(norms), dtype=np.float32)
    if not documents:
        return scores
    for term_id, boost in clauses:
        found, counts = holding(term_id)
        weight = boost * float(np.log(1 + (documents - len(found) + 0.5) / (len(found) + 0.5)))
        scores[found] += weight * counts / (counts + norms[found])
    return scores


def _best(scores: Floats, n: int) -> list[tuple[int, float]]:
    found = np.flatnonzero(scores > 0)
    if len(found) > n > 0:  # a common word: select before sorting
        found = found[np.argpartition(-scores[found], n - 1)[:n]]
    order = found[np.argsort(-scores[found], kind="stable")[:n]]
    return [(int(i), float(scores[i])) for i in order]
