"""Supersession, corroboration, weaker evidence and verification, as pure decisions."""

from __future__ import annotations

from app.facts.planning import StoredFact, plan_facts, resolve_pending
from app.nlp.extraction import ExtractedFact


def _current(predicate: str, value: str, confidence: float = 0.9) -> StoredFact:
    return StoredFact(f"{predicate}-{value}", "self", predicate, value, confidence, "current")


def test_newer_direct_statement_supersedes_and_keeps_history() -> None:
    seattle = _current("lives_in", "Seattle")
    plan = plan_facts([seattle], [ExtractedFact("lives_in", "Tokyo")])
    ((tokyo, _),) = plan.created
    assert tokyo.status == "current"
    assert seattle.status == "superseded"
    assert seattle.confidence == 0.45
    (edge,) = plan.supersessions
    assert (edge.new_id, edge.old_id, edge.old_confidence_before, edge.old_confidence_after) == (
        tokyo.id,
        seattle.id,
        0.9,
        0.45,
    )


def test_repeated_evidence_raises_confidence_up_to_the_cap() -> None:
    fact = _current("diet", "vegan", 0.9)
    for _ in range(10):
        plan = plan_facts([fact], [ExtractedFact("diet", "Vegan")])
        assert not plan.created
    assert 0.9 < fact.confidence <= 0.99


def test_multi_valued_predicates_accumulate() -> None:
    sushi = _current("likes", "sushi")
    plan = plan_facts([sushi], [ExtractedFact("likes", "hiking")])
    assert plan.created[0][0].status == "current"
    assert sushi.status == "current"
    assert not plan.supersessions


def test_companion_inference_never_outranks_the_users_statement() -> None:
    nurse = _current("job", "nurse")
    plan = plan_facts([nurse], [ExtractedFact("job", "writer", modality="inferred")])
    assert plan.created[0][0].status == "candidate"
    assert nurse.status == "current"


def test_a_hedge_is_kept_apart_and_never_current() -> None:
    plan = plan_facts([], [ExtractedFact("diet", "vegan", modality="hedged")])
    assert [f.status for f, _ in plan.created] == ["candidate"]


def test_naming_a_relative_replaces_the_mention_and_a_mention_adds_nothing() -> None:
    sister = _current("sibling", "sister")
    existing = [sister, _current("likes", "jazz")]
    plan = plan_facts(existing, [ExtractedFact("sibling", "sister Emma")])
    ((emma, _),) = plan.created
    assert (emma.status, sister.status) == ("current", "refined")
    assert plan.supersessions[0].reason == "named what it mentioned"
    again = plan_facts(existing, [ExtractedFact("sibling", "sister"), ExtractedFact("sibling", "brother")])
    assert [f.value for f, _ in again.created] == ["brother"]
    assert [f.value for f in existing if f.predicate == "sibling" and f.status == "current"] == [
        "sister Emma",
        "brother",
    ]


def test_restating_an_old_value_restores_it_with_a_new_edge() -> None:
    existing = [_current("lives_in", "Seattle")]
    plan_facts(existing, [ExtractedFact("lives_in", "Tokyo")])
    plan = plan_facts(existing, [ExtractedFact("lives_in", "Seattle")])
    current = [f for f in existing if f.status == "current"]
    assert [f.value for f in current] == ["Seattle"]
    assert plan.supersessions[0].reason == "restated earlier value"
    assert len(existing) == 3  # the first Seattle stays as history


def test_name_change_asks_for_clarification_then_confirm_supersedes() -> None:
    alice = _current("name", "Alice")
    existing = [alice]
    plan = plan_facts(existing, [ExtractedFact("name", "Ally")])
    ((pending, _),) = plan.created
    assert pending.status == "pending"
    assert alice.status == "current"
    assert "Alice" in plan.clarifications[0].question
    assert "Ally" in plan.clarifications[0].question
    confirmed = resolve_pending(pending, [alice], confirm=True)
    assert (pending.status, alice.status) == ("current", "superseded")
    assert confirmed.supersessions[0].old_id == alice.id


def test_rejecting_a_pending_fact_leaves_the_current_one() -> None:
    alice = _current("name", "Alice")
    pending = StoredFact("p", "self", "name", "Ally", 0.9, "pending")
    resolve_pending(pending, [alice], confirm=False)
    assert (pending.status, alice.status) == ("rejected", "current")


def test_becoming_vegan_retires_liking_sushi_but_not_liking_hiking() -> None:
    sushi, hiking = _current("likes", "sushi"), _current("likes", "hiking")
    plan = plan_facts([sushi, hiking], [ExtractedFact("diet", "vegan")])
    assert (sushi.status, hiking.status) == ("superseded", "current")
    assert plan.supersessions[0].reason == "incompatible with diet: vegan"


def test_extra_functional_and_high_stakes_predicates_from_settings() -> None:
    team = _current("favourite_team", "Arsenal")
    plan = plan_facts(
        [team],
        [ExtractedFact("favourite_team", "Spurs")],
        functional=frozenset({"favourite_team"}),
        high_stakes=frozenset({"favourite_team"}),
    )
    assert plan.created[0][0].status == "pending"
    assert plan.clarifications[0].question == "You told me your favourite team is Arsenal; has it changed to Spurs?"
