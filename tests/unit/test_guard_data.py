"""The guard's development examples: a public source is held out whole, and a set that is only measured
never reaches training."""

from __future__ import annotations

from pipelines.guard_data import REAL, Example, folds, small_talk


def _example(n: int, source: str, collection: str, kind: str = "injection") -> Example:
    return Example(f"{source}-{n}", "text", kind, source, source, collection)


def test_a_public_source_lands_whole_in_one_fold_and_a_measured_set_never_trains() -> None:
    data = [_example(n, f"repo/{n % 7}", "guard_dev" if n % 2 else "guard_train") for n in range(70)]
    data += [Example(f"t{n}", "hi", REAL, "locomo", f"locomo#conv-{n % 2}", "locomo") for n in range(4)]
    fold = folds(data)
    by_source: dict[str, set[int]] = {}
    for example, f in zip(data, fold, strict=True):
        by_source.setdefault(example.group, set()).add(f)
    assert all(len(fs) == 1 for fs in by_source.values())
    assert len(set(fold)) > 1
    assert [e.trains for e in data if e.collection == "guard_train"] == [False] * 35
    assert all(e.trains for e in data if e.collection in {"guard_dev", "locomo"})


def test_small_talk_is_the_users_side_held_out_by_topic_and_never_trained_on() -> None:
    talk = small_talk()
    texts = {e.text for e in talk}
    assert "Hi, How is it going?" in texts  # a greeting said to the bot
    assert "Could be better." not in texts  # the bot's answer to it
    assert len(texts) == len(talk)
    assert not any(e.trains for e in talk)
    assert {e.kind for e in talk} == {REAL}
    fold_of_topic: dict[str, set[int]] = {}
    for example, f in zip(talk, folds(talk), strict=True):
        fold_of_topic.setdefault(example.id.split(":", 1)[0], set()).add(f)
    assert len(fold_of_topic) > 10
    assert all(len(fs) == 1 for fs in fold_of_topic.values())
