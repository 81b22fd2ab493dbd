"""Write the service's OpenAPI document (`openapi.json`) and the client's models generated from it
(`src/companion_memory_client/models.py`, by datamodel-code-generator). Run from the service's checkout,
in its environment, after a change to the API: `make client`. A test fails while either is behind."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE / "openapi.json"
MODELS = HERE / "src" / "companion_memory_client" / "models.py"
OPTIONS = (
    *("--input-file-type", "openapi", "--output-model-type", "pydantic_v2.BaseModel"),
    *("--target-python-version", "3.11", "--formatters", "builtin", "--disable-timestamp"),
    *("--use-annotated", "--use-standard-collections", "--use-union-operator", "--field-constraints"),
    *("--use-schema-description", "--enum-field-as-literal", "all"),
)


def document() -> dict[str, Any]:
    """The API's OpenAPI document as the service describes itself (no model loaded: no dimension)."""
    sys.path.insert(0, str(HERE.parent.parent))
    from app.main import create_app
    from app.settings import Settings

    described: dict[str, Any] = create_app(Settings()).openapi()
    return described


def text_of(described: dict[str, Any]) -> str:
    return json.dumps(described, indent=1) + "\n"


def models_of(text: str) -> str:
    """The models datamodel-code-generator makes of a document's text."""
    codegen = Path(sys.executable).with_name("datamodel-codegen")
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "openapi.json", Path(folder) / "models.py"
        source.write_text(text)
        subprocess.run([str(codegen), "--input", str(source), "--output", str(target), *OPTIONS], check=True)
        return target.read_text().replace(f"{source}", "openapi.json")


def main() -> int:
    text = text_of(document())
    DOCUMENT.write_text(text)
    MODELS.write_text(models_of(text))
    print(f"wrote {DOCUMENT.relative_to(HERE)} and {MODELS.relative_to(HERE)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
