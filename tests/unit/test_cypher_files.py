"""The Cypher files and the names that load them agree; migrations are well formed."""

from __future__ import annotations

import re

import pytest

from app.graph.cypher import NamedQuery, Query, migrations, query, split_statements
from measure.cypher import MeasureQuery

PARAM_HEADER = re.compile(r"Params:(.*?)(?:Returns:|$)", re.S)
PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


FOLDERS: list[type[NamedQuery]] = [Query, MeasureQuery]


@pytest.mark.parametrize("names", FOLDERS)
def test_every_query_name_has_a_file_and_every_file_a_name(names: type[NamedQuery]) -> None:
    files = {p.stem for p in names.folder().glob("*.cypher")}
    assert files == {q.value for q in names}


@pytest.mark.parametrize("names", FOLDERS)
def test_every_query_declares_the_parameters_it_uses(names: type[NamedQuery]) -> None:
    for name in names:
        text = query(name)
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
        comments = " ".join(line.lstrip()[2:] for line in text.splitlines() if line.lstrip().startswith("//"))
        header = PARAM_HEADER.search(comments)
        declared = set(PARAM.findall(header.group(1))) if header else set()
        assert set(PARAM.findall(body)) == declared, f"{name}: header and body disagree on parameters"


def test_migrations_are_numbered_in_order_and_not_empty() -> None:
    found = migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert all(m.statements for m in found)


def test_split_statements_drops_comments_and_keeps_multiline_statements() -> None:
    text = "// header\nCREATE INDEX a IF NOT EXISTS\n  FOR (n:A) ON (n.x);\n// c\nCREATE INDEX b FOR (n:B) ON (n.y);\n"
    assert split_statements(text) == [
        "CREATE INDEX a IF NOT EXISTS\n  FOR (n:A) ON (n.x)",
        "CREATE INDEX b FOR (n:B) ON (n.y)",
    ]
