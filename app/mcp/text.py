"""What an MCP tool's answer says as text: short lines an agent reads at a glance, beside the structured
answer a program reads. Each names the ids a follow-up call needs (a memory to correct, a fact to fix)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mcp.types import CallToolResult, TextContent

#: How much of a memory a listing shows; the whole text is in the structured answer.
SHOWN_CHARS = 200


def answer(structured: dict[str, Any] | list[Any], text: str) -> CallToolResult:
    """A tool's result: `text` for the reader, `structured` (a list wrapped as `{"result": [...]}`) beside."""
    content = structured if isinstance(structured, dict) else {"result": structured}
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=content)


def _short(text: str | None) -> str:
    if text is None:
        return "(forgotten)"
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _fact(fact: dict[str, Any]) -> str:
    status = "" if fact.get("status") in (None, "current") else f", {fact['status']}"
    said = f"{fact['predicate'].replace('_', ' ')}: {fact['value']}"
    return f"{said} ({fact['confidence']:.2f}{status}) [fact {fact['id']}]"


def facts(listed: Iterable[dict[str, Any]]) -> str:
    """One line a fact, with its id."""
    lines = [_fact(f) for f in listed]
    return "\n".join(lines) if lines else "No facts are known."


def memories(listed: Iterable[dict[str, Any]]) -> str:
    """One line a memory (or search hit), with its date and id."""
    lines = [
        f"- {str(m['occurred_at'])[:10]} [memory {m.get('memory_id') or m['id']}] {_short(m.get('content'))}"
        for m in listed
    ]
    return "\n".join(lines) if lines else "No memories match."


def memory(shown: dict[str, Any]) -> str:
    """A memory, what it states, and what it said before a correction."""
    lines = [
        f"[memory {shown['id']}] {str(shown['occurred_at'])[:10]}, {shown['role']}, {shown['memory_type']}, "
        f"{shown['tier']}: {shown.get('content') or '(forgotten)'}"
    ]
    lines += [f"  states {_fact(f)}" for f in shown.get("facts", [])]
    lines += [f"  until {str(r['until'])[:10]} it read: {r['content']}" for r in shown.get("revisions", [])]
    return "\n".join(lines)


def remembered(outcome: dict[str, Any]) -> str:
    """What became of a message: stored (with its facts and questions to ask), kept for now, or refused."""
    if outcome["status"] != "stored":
        why = "; ".join(filter(None, [outcome.get("reason"), outcome.get("detail")]))
        return f"Not stored ({outcome['status']}: {why})."
    head = f"Stored as memory {outcome['memory_id']}" + (" (already stored)" if outcome.get("duplicate") else "")
    lines = [head + "."]
    lines += [f"  states {_fact(f)}" for f in outcome.get("facts", [])]
    lines += [
        f"  ask the user: {c['question']} (answer with clarify, fact {c['pending_fact_id']})"
        for c in outcome.get("clarifications", [])
    ]
    return "\n".join(lines)


def history(shown: dict[str, Any]) -> str:
    """A fact's history: the sentence, then each value with its status."""
    return "\n".join([shown["summary"], *(f"  {_fact(f)}" for f in shown["facts"])])
