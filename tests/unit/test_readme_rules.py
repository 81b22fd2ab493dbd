"""The significance table in the README is the one the code applies."""

from __future__ import annotations

from app.settings import PROJECT_ROOT
from app.write.significance import RULES


def test_readme_lists_every_rule_with_its_weight() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule.name}` | +{rule.weight:.2f} | {rule.description} |" in readme
