"""The decay formula and its tiers, without a graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from app.decay.model import (
    DAY_MS,
    DecayParams,
    Memories,
    carries_content,
    kind_of,
    next_tiers,
    resolved_kind,
    score_of,
    scores,
    with_mentions,
)
from app.memory_types import DecayKind
from app.settings import Settings

PARAMS = DecayParams.of(Settings())


def _memories(**columns: object) -> Memories:
    base: dict[str, object] = {
        "occurred_ms": np.array([0.0]),
        "last_accessed_ms": np.array([np.nan]),
        "access_count": np.array([0.0]),
        "significance": np.array([0.5]),
        "kinds": [DecayKind.EVENT],
        "tiers": ["hot"],
        "keeps": [False],
    }
    return Memories(**(base | columns))  # type: ignore[arg-type]


def _score(days: float, **columns: object) -> float:
    return float(scores(PARAMS, _memories(**columns), days * DAY_MS)[0])


def test_a_score_halves_with_each_half_life_of_its_kind() -> None:
    for kind in DecayKind:
        half_life = PARAMS.half_life_days[kind]
        assert _score(0, kinds=[kind]) == pytest.approx(0.5)
        assert _score(half_life, kinds=[kind]) == pytest.approx(0.25)
        assert _score(2 * half_life, kinds=[kind]) == pytest.approx(0.125)


def test_a_moment_before_the_memory_does_not_raise_its_score() -> None:
    assert _score(-10) == pytest.approx(0.5)


def test_recalling_restarts_the_clock_and_lengthens_the_half_life() -> None:
    year = 365.0
    never = _score(year)
    recalled_late = _score(year, last_accessed_ms=np.array([(year - 1) * DAY_MS]), access_count=np.array([1.0]))
    assert recalled_late > never
    once = _score(2 * year, last_accessed_ms=np.array([year * DAY_MS]), access_count=np.array([1.0]))
    often = _score(2 * year, last_accessed_ms=np.array([year * DAY_MS]), access_count=np.array([15.0]))
    assert never < once < often


def test_one_memorys_score_is_the_passs_score_for_it() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    recalled = start + timedelta(days=20)
    as_of = start + timedelta(days=100)
    one = score_of(PARAMS, DecayKind.OBSERVATION, 0.4, start, recalled, 3, as_of)
    columns = _memories(
        occurred_ms=np.array([start.timestamp() * 1000]),
        last_accessed_ms=np.array([recalled.timestamp() * 1000]),
        access_count=np.array([3.0]),
        significance=np.array([0.4]),
        kinds=[DecayKind.OBSERVATION],
    )
    assert one == pytest.approx(float(scores(PARAMS, columns, as_of.timestamp() * 1000)[0]), abs=1e-4)
    assert score_of(PARAMS, DecayKind.OBSERVATION, 0.4, start, None, 0, as_of) < one


def test_a_stored_kind_wins_and_a_missing_one_comes_from_type_and_facts() -> None:
    assert resolved_kind("mood", "event", ["name"], False) == DecayKind.MOOD
    assert resolved_kind("", "observation", ["name"], False) == DecayKind.IDENTITY
    assert resolved_kind(None, "observation", [], False) == DecayKind.OBSERVATION
    assert resolved_kind("chatter", "observation", [], True) == DecayKind.RELATIONSHIP


def test_importance_has_a_floor() -> None:
    assert _score(0, significance=np.array([0.0])) == PARAMS.importance_floor


def _tiered(tiers: list[str], keeps: list[bool] | None = None) -> Memories:
    n = len(tiers)
    return Memories(
        occurred_ms=np.zeros(n),
        last_accessed_ms=np.full(n, np.nan),
        access_count=np.zeros(n),
        significance=np.zeros(n),
        kinds=[DecayKind.CHATTER] * n,
        tiers=tiers,
        keeps=keeps if keeps is not None else [False] * n,
    )


def test_tiers_move_with_hysteresis_and_forgetting_is_for_good() -> None:
    between = np.array([(PARAMS.cold_below + PARAMS.hot_above) / 2] * 3)
    assert next_tiers(PARAMS, _tiered(["hot", "cold", "forgotten"]), between) == ["hot", "cold", "forgotten"]
    assert next_tiers(PARAMS, _tiered(["hot", "cold"]), np.array([PARAMS.cold_below * 0.99, PARAMS.hot_above])) == [
        "cold",
        "hot",
    ]
    faded = np.array([PARAMS.forget_below * 0.99] * 2)
    assert next_tiers(PARAMS, _tiered(["hot", "cold"]), faded) == ["forgotten"] * 2


def test_age_alone_only_cools_a_memory_that_carries_content() -> None:
    faded = np.array([PARAMS.forget_below * 0.5] * 3)
    assert next_tiers(PARAMS, _tiered(["hot", "cold", "hot"], [True, True, False]), faded) == [
        "cold",
        "cold",
        "forgotten",
    ]


@pytest.mark.parametrize(
    ("kind", "asserts", "names", "tells", "carries"),
    [
        (DecayKind.CHATTER, False, False, False, False),
        (DecayKind.MOOD, False, False, False, False),
        (DecayKind.OBSERVATION, False, False, False, False),
        (DecayKind.EVENT, False, False, False, True),
        (DecayKind.RELATIONSHIP, False, False, False, True),
        (DecayKind.IDENTITY, False, False, False, True),
        (DecayKind.CHATTER, True, False, False, True),
        (DecayKind.MOOD, False, True, False, True),
        (DecayKind.CHATTER, False, False, True, True),
    ],
)
def test_what_carries_content_is_what_the_write_path_found(
    kind: DecayKind, asserts: bool, names: bool, tells: bool, carries: bool
) -> None:
    assert carries_content(kind, asserts, names, tells) is carries


def test_a_new_memory_starts_hot_unless_it_is_filler() -> None:
    assert PARAMS.first_tier(0.1) == "hot"
    assert PARAMS.first_tier(0.0) == "cold"


@pytest.mark.parametrize(
    ("memory_type", "predicates", "rules", "kind"),
    [
        ("observation", ["name"], ["personal_fact"], DecayKind.IDENTITY),
        ("relationship", ["lives_in", "sibling"], [], DecayKind.IDENTITY),
        ("relationship", ["sibling"], ["relationship"], DecayKind.RELATIONSHIP),
        ("event", [], ["experience", "date"], DecayKind.EVENT),
        ("observation", ["likes"], ["extracted_fact"], DecayKind.OBSERVATION),
        ("conversation", [], ["emotion", "date"], DecayKind.MOOD),
        ("conversation", [], ["emotion", "name"], DecayKind.CHATTER),
        ("conversation", [], ["content"], DecayKind.CHATTER),
        ("conversation", [], [], DecayKind.CHATTER),
    ],
)
def test_kind_of_a_new_memory(memory_type: str, predicates: list[str], rules: list[str], kind: DecayKind) -> None:
    assert kind_of(memory_type, predicates, rules) == kind


def test_a_feeling_among_several_sentences_is_not_a_mood() -> None:
    assert kind_of("conversation", [], ["emotion", "content"], sentences=3) == DecayKind.CHATTER


def test_naming_a_known_person_makes_a_memory_last_as_a_relationship_at_least() -> None:
    assert with_mentions(DecayKind.CHATTER, True) == DecayKind.RELATIONSHIP
    assert with_mentions(DecayKind.MOOD, True) == DecayKind.RELATIONSHIP
    assert with_mentions(DecayKind.IDENTITY, True) == DecayKind.IDENTITY
    assert with_mentions(DecayKind.CHATTER, False) == DecayKind.CHATTER


def test_settings_refuse_bars_out_of_order() -> None:
    with pytest.raises(ValueError, match="ordered"):
        Settings(decay_cold_below=0.2, decay_hot_above=0.15)
    assert isinstance(DecayParams.of(Settings()), DecayParams)
