"""BM25 over one user's memories, by their own statistics (`app.retrieval.cache.keywords`)."""

from __future__ import annotations

import math

import numpy as np

from app.retrieval.cache.keywords import KeywordIndex, analyze


def _index(*memories: tuple[str, int]) -> KeywordIndex:
    index = KeywordIndex()
    for memory, (text, conversation) in enumerate(memories):
        index.put(memory, conversation, text)
    return index


def test_terms_are_what_lucenes_english_analyzer_makes() -> None:
    assert analyze("Caroline's dogs are running to THE adoption agencies") == [
        "carolin",
        "dog",
        "run",
        "adopt",
        "agenc",
    ]


def test_a_query_word_finds_its_other_forms() -> None:
    index = _index(("We ran a charity run", 0), ("I adopted two cats", 0))
    assert index.memory_scores([("adoption", 1.0)]).tolist()[0] == 0.0
    assert index.memory_scores([("adoption", 1.0)])[1] > 0


def test_scores_are_lucenes_bm25() -> None:
    index = _index(("dog park", 0), ("dog", 0), ("cat nap time", 1))
    # Three documents of 2, 1 and 3 terms; "dog" is in two of them.
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    expected = [idf / (1 + 1.2 * (0.25 + 0.75 * n / 2)) for n in (2, 1)]
    assert np.allclose(index.memory_scores([("dog", 1.0)])[:2], expected)
    assert np.allclose(index.memory_scores([("dog", 0.5)])[:2], [0.5 * e for e in expected])


def test_the_rarer_word_counts_more() -> None:
    index = _index(("my dog", 0), ("the dog park", 0), ("a dog walk", 0), ("the animal shelter", 0))
    scores = index.memory_scores([("dog", 1.0), ("shelter", 1.0)])
    assert scores[3] > max(scores[:3])


def test_a_conversation_is_one_document_of_all_its_memories() -> None:
    index = _index(("hiking", 0), ("hiking again", 0), ("hiking once", 1), ("baking", 2))
    scores = index.conversation_scores([("hiking", 1.0)])
    assert scores[0] > scores[1] > scores[2] == 0.0


def test_changed_text_is_found_by_its_new_words_only() -> None:
    index = _index(("I went hiking", 0), ("hiking boots", 0))
    assert index.memory_scores([("hiking", 1.0)])[0] > 0.0
    index.put(0, 0, "I went swimming", previous="I went hiking")
    assert index.memory_scores([("hiking", 1.0)])[0] == 0.0
    assert index.memory_scores([("swimming", 1.0)])[0] > 0.0
    assert index.memory_scores([("hiking", 1.0)])[1] > 0.0


def test_best_keeps_to_eligible_memories_and_to_those_holding_a_word() -> None:
    index = _index(("dog", 0), ("dog dog", 0), ("cat", 1), ("dog park", 2))
    memories, conversations = index.best([("dog", 1.0)], np.array([True, False, True, True]), 10, 10)
    assert [m for m, _ in memories] == [0, 3]
    assert [c for c, _ in conversations] == [0, 2]


def test_no_memory_and_no_known_word_score_nothing() -> None:
    assert len(KeywordIndex().memory_scores([("dog", 1.0)])) == 0
    index = _index(("dog", 0))
    assert index.memory_scores([("unicorn", 1.0), ("the", 1.0)]).tolist() == [0.0]


def test_a_memory_added_after_a_search_counts_in_the_next() -> None:
    index = _index(("dog", 0), ("cat", 0))
    alone = index.memory_scores([("dog", 1.0)])[0]
    index.put(2, 1, "dog park")
    scores = index.memory_scores([("dog", 1.0)])
    assert len(scores) == 3
    assert scores[2] > 0.0
    assert scores[0] < alone  # "dog" is no longer in one memory of two but in two of three
    assert index.conversation_scores([("dog", 1.0)])[1] > 0.0
