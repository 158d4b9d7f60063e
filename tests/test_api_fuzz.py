"""Property-based fuzzing of the whole HTTP API, explicit bad input, and concurrent note writes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error

from api.app import create_app
from assistant.core import Assistant
from assistant.demo import load_demo
from assistant.guide import Guide
from assistant.settings import REPO_ROOT, Settings

MAX_EXAMPLES = 20
KNOWLEDGE = REPO_ROOT / "knowledge"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A writable demo program in this module's own data folder."""
    settings = Settings(home=tmp_path_factory.mktemp("fuzz-home"), knowledge_dir=KNOWLEDGE)
    assistant = Assistant(settings)
    load_demo(assistant)
    return assistant


@pytest.fixture(scope="module")
def app(assistant: Assistant) -> FastAPI:
    return create_app(assistant, Guide(assistant, model=None))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def openapi_schema() -> Any:
    """The API's OpenAPI schema, read from an app whose (never opened) data folder is not used."""
    probe = Assistant(
        Settings(home=Path(tempfile.gettempdir()) / "fuzz-probe-unused", knowledge_dir=KNOWLEDGE)
    )
    config = schemathesis.Config.from_dict(
        {
            "seed": 20261125,
            "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large", "large_base_example"],
            "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
        }
    )
    return schemathesis.openapi.from_dict(
        create_app(probe, Guide(probe, model=None)).openapi(), config=config
    )


schema = openapi_schema()


@schema.parametrize()
@pytest.mark.parametrize("token", ["demo-priya", "demo-jonas"], ids=["mentor", "admin"])
def test_no_server_errors(case: schemathesis.Case, app: FastAPI, token: str) -> None:
    response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
