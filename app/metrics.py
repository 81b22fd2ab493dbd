"""The service's own Prometheus metrics beside the per-route ones (`app.main`): the write path's stages,
type-ahead sockets and MCP tools. Labels name stages, codes and tools, never a user or a tenant."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

#: Upper bounds (seconds) of every latency histogram: the targets are set in milliseconds (a search in
#: 2-40), which Prometheus's default buckets (from 5 ms) and the route library's (0.1, 0.5, 1 s) blur.
LATENCY_BUCKETS_S = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

WRITE_STAGE = Histogram(
    "memory_write_stage_seconds",
    "Time a batch of messages spent in each stage of the write path (rules, parse, embedding, judge, graph)",
    ["stage"],
    buckets=LATENCY_BUCKETS_S,
)
TYPEAHEAD_SOCKETS = Gauge("memory_typeahead_sockets", "Type-ahead sockets open")
TYPEAHEAD_SENDS = Counter(
    "memory_typeahead_sends_total", "Messages sent over type-ahead, by whether their context was precomputed", ["warm"]
)
TYPEAHEAD_READY = Histogram(
    "memory_typeahead_ready_seconds",
    "Time from a draft's pause to its context being ready",
    buckets=LATENCY_BUCKETS_S,
)
TYPEAHEAD_REFUSED = Counter(
    "memory_typeahead_refused_frames_total", "Type-ahead frames answered with an error, by code", ["code"]
)
MCP_CALLS = Counter("memory_mcp_calls_total", "MCP tool calls, by tool and outcome (ok, refused)", ["tool", "outcome"])
MCP_SECONDS = Histogram("memory_mcp_call_seconds", "MCP tool calls' time, by tool", ["tool"], buckets=LATENCY_BUCKETS_S)
