"""Keyword search words: kinds expanded to their members, counting words left out, Lucene syntax."""

from __future__ import annotations

import pytest

from app.retrieval.kinds import expand_kinds, kind_members
from app.retrieval.lucene import query_terms, scoped_query


@pytest.mark.parametrize(
    ("query", "members"),
    [
        ("What is the total number of siblings I have?", {"sister", "brother"}),
        ("How many different doctors did I visit?", {"dr", "physician", "dermatologist"}),
        ("How long have I been working in my current role?", {"job", "company", "position"}),
        ("Do my kids like the new school?", {"son", "daughter"}),
        ("What are my children's names?", {"son", "daughter"}),
        ("How are my parents doing?", {"mom", "mother", "dad", "father"}),
        ("Which pets do I have?", {"dog", "cat", "hamster"}),
    ],
)
def test_a_kind_word_brings_its_members(query: str, members: set[str]) -> None:
    expansion = kind_members(query_terms(query))
    assert members <= set(expansion)
    assert not set(expansion) & set(query_terms(query))


@pytest.mark.parametrize(
    "query",
    [
        "How is my sister doing?",  # a member names one relation: no other relatives join it
        "What was the name of the concert venue?",
        "I love hiking in the Alps",
    ],
)
def test_words_that_name_no_kind_bring_nothing(query: str) -> None:
    assert kind_members(query_terms(query)) == []


@pytest.mark.parametrize(
    ("query", "terms", "members"),
    [
        (
            "I mentioned participating in a sports event. What was it?",
            ["participating", "sports"],
            {"tournament", "5k"},
        ),
        ("Which sporting events did I watch?", ["sporting", "watch"], {"match", "race"}),
        ("Who did I go with to the music event last Saturday?", ["music", "saturday"], {"concert", "festival"}),
    ],
)
def test_an_event_kind_searches_its_members_instead_of_event(query: str, terms: list[str], members: set[str]) -> None:
    searched, related = expand_kinds(query_terms(query))
    assert searched == terms
    assert members <= set(related)


def test_event_stays_a_keyword_where_no_kind_names_it() -> None:
    assert expand_kinds(query_terms("What charity event did I attend?")) == (["charity", "event", "attend"], [])


def test_counting_words_are_no_keywords() -> None:
    # "total" and "number" matched every arithmetic exercise in a history, above the side remark
    # "I come from a family with 3 sisters" that answers the question.
    assert query_terms("What is the total number of siblings I have?") == ["siblings"]


def test_members_count_with_a_lower_weight_in_every_field() -> None:
    query = scoped_query("t1", ["name", "aliases"], [("siblings", 1.0), ("sister", 0.7)])
    assert query == "+tenant:t1^0 +(name:siblings aliases:siblings name:sister^0.7 aliases:sister^0.7)"
