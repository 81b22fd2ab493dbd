"""The entities a user's memories mention, found by the query's words (`app.retrieval.cache.entity_words`)."""

from __future__ import annotations

from app.retrieval.cache.entity_words import ENTITY_HITS, EntityWords


def _entity(entity_id: str, name: str, *aliases: str) -> dict[str, object]:
    return {"id": entity_id, "name": name, "aliases": list(aliases)}


def test_a_name_finds_every_memory_mentioning_its_entity() -> None:
    words = EntityWords()
    words.put(0, [_entity("e1", "Biscuit")])
    words.put(1, [_entity("e2", "Anna")])
    words.put(2, [_entity("e1", "Biscuit"), _entity("e2", "Anna")])
    found = words.best([("biscuit", 1.0)])
    assert set(found) == {0, 2}
    assert found[0] == found[2] > 0.0


def test_an_alias_a_later_memory_brings_finds_the_earlier_ones_too() -> None:
    words = EntityWords()
    words.put(0, [_entity("e1", "Robert")])
    assert words.best([("bob", 1.0)]) == {}
    words.put(1, [_entity("e1", "Robert", "Bob")])
    assert set(words.best([("bob", 1.0)])) == {0, 1}


def test_a_memory_takes_its_best_matching_entity() -> None:
    words = EntityWords()
    words.put(0, [_entity("e1", "Anna"), _entity("e2", "Anna Karenina")])
    words.put(1, [_entity("e2", "Anna Karenina")])
    found = words.best([("anna", 1.0), ("karenina", 1.0)])
    assert found[0] == found[1]  # memory 0's best entity is e2, as memory 1's


def test_only_the_best_entities_count() -> None:
    words = EntityWords()
    for memory in range(ENTITY_HITS + 5):
        words.put(memory, [_entity(f"e{memory}", f"Trail {memory}")])
    assert len(words.best([("trail", 1.0)])) == ENTITY_HITS


def test_its_size_follows_what_it_holds() -> None:
    words = EntityWords()
    empty = words.nbytes
    words.put(0, [_entity("e1", "Robert")])
    one = words.nbytes
    words.put(0, [_entity("e1", "Robert")])  # the same mention again
    assert words.nbytes == one > empty
    words.put(1, [_entity("e1", "Robert", "Bob")])
    assert words.nbytes > one
