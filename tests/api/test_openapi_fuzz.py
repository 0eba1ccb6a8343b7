"""The server fuzzed through its own OpenAPI document: no 5xx, and every response matches the
document (status codes, content type, body schema), so the document cannot drift from the code."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from pillbox.api import v2

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
OPERATIONS = [f"{e.method} /api/v2{e.path}" for e in v2.endpoints()]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_conforms_to_the_document(app, account, operation):
    schema = schemathesis.openapi.from_asgi("/api/v2/openapi.json", app)
    method, path = operation.split(" ", 1)
    api_operation = schema[path][method]
    organisation = account.post("/parties", {"party": {"type": "organisation", "name": "Fuzz Org"}})
    assert organisation.status_code == 201

    @given(case=api_operation.as_strategy())
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def conforms(case):
        response = case.call(headers=account.headers)
        case.validate_response(response, checks=CHECKS)

    conforms()
