"""What the write path's whole analysis (the guard's rules and classifier, spaCy, extraction, the planning of
facts) states about a message's speaker, without the graph: what `measure.facts` measures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.settings import Settings
from app.write.analysis import Analysis
from measure.facts import analysis_of, stated_facts


@pytest.fixture(scope="module")
def analysis() -> Iterator[Analysis]:
    built = analysis_of(Settings())
    yield built
    built.close()


def _stated(analysis: Analysis, text: str) -> set[tuple[str, str]]:
    (facts,) = stated_facts(analysis, [text], Settings().fact_min_confidence)
    return {(f["predicate"], f["value"]) for f in facts}


def test_a_plain_statement_is_stated(analysis: Analysis) -> None:
    assert _stated(analysis, "I work as a nurse at St. Mary's and I live in Leeds.") == {
        ("job", "nurse"),
        ("works_at", "St. Mary's"),
        ("lives_in", "Leeds"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Let's play a game. You are an HR specialist and I am a marketing manager.",  # said inside a game
        "If I were rich I'd live in Paris.",  # a hypothetical the guard keeps for the exchange
        "I'm probably vegan by now.",  # a hedge is kept apart, never stated
    ],
)
def test_what_is_not_a_plain_statement_states_nothing(analysis: Analysis, text: str) -> None:
    assert _stated(analysis, text) == set()
