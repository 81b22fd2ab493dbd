"""The API against its own OpenAPI document, fuzzed by schemathesis: every operation, with a key of a
tenant of its own and with no key, over a real socket to the suite's Neo4j. No answer may be a server
error, and every answer must be one the document describes (status, headers, body)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.schemas import APIOperation

from app.container import Container
from app.tenancy import Tenant
from tests.helpers import tenant_of_its_own

pytestmark = pytest.mark.integration
Operation = APIOperation[Any, Any, Any, Any]

#: Requests generated per operation, key and mode.
EXAMPLES = 25


def _checks() -> list[Any]:
    """Every built-in check, as `schemathesis run --checks all`."""
    return CHECKS.get_all()


@pytest.fixture(scope="module")
def fuzz_tenant(container: Container) -> Iterator[tuple[Tenant, str]]:
    """A tenant of its own with a key of every scope; everything written under it is deleted afterwards."""
    with tenant_of_its_own(container, "fuzz") as tenant:
        yield tenant


@pytest.fixture(scope="module")
def operations(live_api: str) -> list[Operation]:
    schema = schemathesis.openapi.from_url(f"{live_api}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]


def _fuzz(operation: Operation, mode: GenerationMode, examples: int, headers: dict[str, str]) -> list[str]:
    """Hypothesis over one operation's generated requests; the failures found, as text."""
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: Case[Any]) -> None:
        try:
            case.call_and_validate(headers=headers, checks=_checks())
        except (Failure, FailureGroup) as failure:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(failure)[:1500]}")

    try:
        run()
    except Unsatisfiable:  # no invalid request exists (an operation without parameters or body)
        assert mode is GenerationMode.NEGATIVE
    return failures


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_every_operation_with_a_key(
    operations: list[Operation], fuzz_tenant: tuple[Tenant, str], mode: GenerationMode
) -> None:
    headers = {"Authorization": f"Bearer {fuzz_tenant[1]}"}
    failures = [failure for operation in operations for failure in _fuzz(operation, mode, EXAMPLES, headers)]
    assert not failures, "\n\n".join(failures)


def test_every_operation_without_a_key_is_refused_as_documented(
    operations: list[Operation],
) -> None:
    failures = [failure for operation in operations for failure in _fuzz(operation, GenerationMode.POSITIVE, 5, {})]
    assert not failures, "\n\n".join(failures)
