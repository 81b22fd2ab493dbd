"""Extraction, significance and memory type on realistic messages (spaCy's small English model)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from app.nlp.extraction import Extractor
from app.nlp.sentences import presplit, sentences
from app.nlp.spacy_pipeline import load_spacy, resolve_spacy_model
from app.settings import Settings
from app.write.significance import MemoryType, memory_type, significance


@cache
def _extractor() -> Extractor:
    return Extractor(load_spacy(Settings()))


@cache
def _full_extractor() -> Extractor:
    """With every component of the spaCy pipeline running, the lemmatizer included."""
    import spacy

    return Extractor(spacy.load(resolve_spacy_model(Settings())))


def _facts(text: str, role: str = "user") -> set[tuple[str, str, str]]:
    extraction = _extractor().extract(_extractor().nlp(text), role)
    return {(f.predicate, f.value, f.modality) for f in extraction.facts}


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("My name is Alice and I live in Seattle.", ("name", "Alice", "direct")),
        ("My name is Alice and I live in Seattle.", ("lives_in", "Seattle", "direct")),
        ("I just moved to Tokyo last week!", ("lives_in", "Tokyo", "direct")),
        ("I'm from Lisbon originally.", ("from", "Lisbon", "direct")),
        ("I work at Google as a software engineer.", ("works_at", "Google", "direct")),
        ("I work at Google as a software engineer.", ("job", "software engineer", "direct")),
        ("My sister Anna is visiting on Saturday.", ("sibling", "Anna", "direct")),
        ("My dog Buster hates the vacuum.", ("has_pet", "Buster (dog)", "direct")),
        ("I love sushi and hiking.", ("likes", "hiking", "direct")),
        ("I don't like horror movies.", ("dislikes", "horror movies", "direct")),
        ("I'm vegan now.", ("diet", "vegan", "direct")),
        ("I'm 34 years old.", ("age", "34", "direct")),
        ("My birthday is on March 3rd.", ("birthday", "March 3rd", "direct")),
        ("I think I might move to Berlin.", ("lives_in", "Berlin", "hedged")),
        ("You seem like a writer.", ("job", "writer", "inferred")),
    ],
)
def test_extracts_fact(text: str, fact: tuple[str, str, str]) -> None:
    role = "companion" if text.startswith("You") else "user"
    assert fact in _facts(text, role)


def test_companion_messages_never_yield_direct_facts() -> None:
    assert all(m == "inferred" for _, _, m in _facts("I live in Paris and my name is Lucy.", "companion"))


def test_named_pet_carries_its_alias_for_later_resolution() -> None:
    extraction = _extractor().extract(_extractor().nlp("My dog Buster hates the vacuum."), "user")
    buster = next(e for e in extraction.entities if e.name == "Buster")
    assert (buster.type, buster.aliases) == ("PET", ("my dog",))
    later = _extractor().extract(_extractor().nlp("my dog is sick again"), "user")
    assert later.alias_mentions == ["my dog"]


def _score(text: str) -> tuple[float, Any]:
    extraction = _extractor().extract(_extractor().nlp(text), "user")
    return significance(text, extraction), memory_type(text, extraction)


@pytest.mark.parametrize("text", ["ok", "hmm", "lol ok", "thanks!", "yeah sure"])
def test_filler_scores_zero(text: str) -> None:
    assert _score(text)[0] == 0.0


def test_significance_orders_messages_as_a_person_would() -> None:
    promise = _score("I promise I'll help you with your garden tomorrow, I love doing that with you")[0]
    fact = _score("My sister Anna is getting married in June")[0]
    chat = _score("the weather was fine today")[0]
    assert promise > chat
    assert fact > chat
    assert max(promise, fact) <= 1.0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("My sister Anna is visiting on Saturday.", MemoryType.RELATIONSHIP),
        ("I'll see the dentist tomorrow at 9.", MemoryType.EVENT),
        ("I'm vegan now.", MemoryType.OBSERVATION),
        ("that movie was kind of boring", MemoryType.CONVERSATION),
    ],
)
def test_memory_type(text: str, kind: MemoryType) -> None:
    assert _score(text)[1] == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My dog Buster hates thunderstorms", ["My dog Buster hates thunderstorms"]),
        (
            "I'm looking for BBQ sauce recipes. By the way, I just got a smoker today!",
            ["I'm looking for BBQ sauce recipes.", "By the way, I just got a smoker today!"],
        ),
        # Fragments never stand alone: joined to the sentence before, or the first one after.
        ("Thanks! I adopted a kitten last week. Oh.", ["Thanks! I adopted a kitten last week. Oh."]),
        ("ok", ["ok"]),
    ],
)
def test_sentences_for_embedding(text: str, expected: list[str]) -> None:
    assert sentences(_extractor().nlp(text)) == expected
    # Punctuation alone gives the same sentences here: what the write path embeds while spaCy parses.
    assert presplit(text) == expected


def test_punctuation_alone_misses_what_the_parse_splits() -> None:
    text = "I'm trying to get my life together and I was wondering if you could help me create a 5-year plan."
    assert presplit(text) == [text]
    assert len(sentences(_extractor().nlp(text))) == 2


@pytest.mark.parametrize(
    "text",
    [
        "I grew up in Porto but we moved to Lisbon in 2019.",
        "I've been working at Acme Corp since May.",
        "I lived in Boston for years before relocating to Denver.",
        "She comes from Madrid, and I came from Quito.",
        "MY SISTER Anna and my brother's name is Tom.",
        "We adopted a puppy named Rex; my cat Mia hates him.",
        "I'm worried about tomorrow's meeting.",
    ],
)
def test_same_extraction_as_the_full_spacy_pipeline(text: str) -> None:
    """`load_spacy` skips the lemmatizer and messages without "my <relation>" skip the Matcher: neither
    may change what is extracted."""
    reference = _full_extractor()
    assert "lemmatizer" in _extractor().nlp.disabled
    assert "lemmatizer" in reference.nlp.pipe_names
    fast, slow = _extractor().extract(_extractor().nlp(text), "user"), reference.extract(reference.nlp(text), "user")
    assert (fast.facts, fast.entities, fast.alias_mentions) == (slow.facts, slow.entities, slow.alias_mentions)
