"""The significance table in the design notes (docs/design.md) is the one the code applies."""

from __future__ import annotations

from app.settings import PROJECT_ROOT
from app.write.significance import RULES


def test_the_design_notes_list_every_rule_with_its_weight() -> None:
    readme = (PROJECT_ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule.name}` | +{rule.weight:.2f} | {rule.description} |" in readme
