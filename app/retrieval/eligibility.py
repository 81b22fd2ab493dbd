"""Which memories a search may return: one definition, applied to one row (`admits`), to a cached user's
columns at once (`mask`), or handed to the Cypher of `search_candidates` (`cypher_parameters`), which
applies the same filters inside Neo4j, where Python cannot run; a test holds all three to the same answers
on one table of cases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from app.retrieval.rows import MemoryRow

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FilterColumns:
    """A cached user's memories as the filters read them, one array entry per memory; tiers and memory
    types as small integer codes (`codes` maps each value seen to its code)."""

    occurred_s: npt.NDArray[np.float64]
    significance: npt.NDArray[np.float32]
    tier: npt.NDArray[np.int16]
    memory_type: npt.NDArray[np.int16]
    codes: Mapping[str, int]


@dataclass(frozen=True)
class Eligibility:
    """The filters of one search: as of, time range, minimum significance, tiers and memory types."""

    as_of: datetime
    since: datetime | None
    min_significance: float
    tiers: frozenset[str] = frozenset({"hot", "cold"})
    memory_types: frozenset[str] | None = None

    def admits(self, memory: MemoryRow) -> bool:
        """Whether one memory passes."""
        occurred_at = memory["occurred_at"]
        return (
            (memory.get("tier") or "hot") in self.tiers
            and memory["significance"] >= self.min_significance
            and occurred_at <= self.as_of
            and (self.since is None or occurred_at >= self.since)
            and (self.memory_types is None or memory["memory_type"] in self.memory_types)
        )

    def mask(self, columns: FilterColumns) -> Mask:
        """Which of a cached user's memories pass, in a few numpy steps over every memory."""
        occurred = columns.occurred_s
        mask = (occurred <= self.as_of.timestamp()) & (columns.significance >= self.min_significance)
        if self.since is not None:
            mask &= occurred >= self.since.timestamp()
        mask &= np.isin(columns.tier, _codes_of(self.tiers, columns.codes))
        if self.memory_types is not None:
            mask &= np.isin(columns.memory_type, _codes_of(self.memory_types, columns.codes))
        return mask

    def cypher_parameters(self) -> dict[str, Any]:
        """The filters as `search_candidates.cypher` takes them ($as_of, $min_significance, $since, $types,
        $tiers)."""
        return {
            "as_of": self.as_of,
            "min_significance": self.min_significance,
            "since": self.since,
            "types": sorted(self.memory_types) if self.memory_types else None,
            "tiers": sorted(self.tiers),
        }


def _codes_of(values: frozenset[str], codes: Mapping[str, int]) -> list[int]:
    return [codes[v] for v in values if v in codes]
