"""Which memories of a context are shown as the earlier telling of something a later one tells again: pure."""

from __future__ import annotations

from datetime import UTC, datetime

from app.retrieval.context_text import earlier, render
from app.retrieval.options import SearchHit


def _hit(memory_id: str, content: str, day: int, speaker: str | None = None) -> SearchHit:
    return SearchHit(
        memory_id=memory_id,
        message_id=memory_id,
        content=content,
        occurred_at=datetime(2023, 5, day, tzinfo=UTC),
        memory_type="conversation",
        significance=0.5,
        conversation_id="c",
        speaker=speaker,
        score=1.0,
        parts={},
    )


def test_the_older_of_two_memories_telling_what_the_query_asks_is_marked_earlier() -> None:
    old = _hit("a", "I've been living in my new apartment in Harajuku for a month now.", 1)
    new = _hit("b", "By the way, I've been living in Harajuku for 3 months now.", 20)
    aside = _hit("c", "I haven't explored the historical side of Harajuku yet.", 25)
    later = earlier([old, new, aside], "How long have I been living in my current apartment in Harajuku?")
    assert later == {"a": new.occurred_at}
    text, _ = render([], None, [old, new, aside], 1000, "How long have I been living in Harajuku?")
    assert "(earlier; see 2023-05-20)" in text.splitlines()[1]
    assert "(earlier" not in text.splitlines()[2]


def test_the_names_of_who_speaks_do_not_make_two_lines_one_thing() -> None:
    first = _hit("a", "Caroline: I went to a support group yesterday.", 1, speaker="Caroline")
    second = _hit("b", "Caroline: I painted a sunrise last week.", 9, speaker="Caroline")
    assert earlier([first, second], "What has Caroline been up to?") == {}
