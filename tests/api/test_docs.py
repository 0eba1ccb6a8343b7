"""The API's documentation: one valid OpenAPI document of every route the server serves, and a
page at /api/docs that shows it from vendored files only."""

import re
from importlib import resources

import pytest
from openapi_spec_validator import validate
from starlette.routing import Route

from pillbox.api.docs import health, oauth, sandbox
from pillbox.api.docs.operations import openapi_path
from pillbox.api.sandbox.routes import PREFIX
from pillbox.settings import Settings
from pillbox.web.routes import fallback_routes, web_routes

EXTENSION = "x-pillbox-extension"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # every route the server can have
    return settings.model_copy(update={"sandbox": True, "metrics": True})


@pytest.fixture
def document(client):
    response = client.get("/api/v2/openapi.json")
    assert response.status_code == 200
    return response.json()


def served(routes) -> set[tuple[str, str]]:
    """(method, path) of every route, looking inside the route groups of v2 and v1."""
    found: set[tuple[str, str]] = set()
    for route in routes:
        inner = getattr(route, "routes", None)
        if inner is not None:
            found |= served(inner)
        elif isinstance(route, Route):
            methods = set(route.methods or ()) - {"HEAD"}
            found |= {(m.lower(), openapi_path(route.path)) for m in methods}
        else:
            raise AssertionError(f"a route of an unknown kind: {route!r}")
    return found


def documented(document) -> set[tuple[str, str]]:
    return {(method, path) for path, item in document["paths"].items() for method in item}


def test_document_is_valid_openapi(document):
    validate(document)


def test_every_route_is_documented_and_every_documented_operation_is_served(app, document):
    screens = {id(route) for route in [*web_routes(), *fallback_routes()]}
    screen_paths = {getattr(route, "path", None) for route in [*web_routes(), *fallback_routes()]}
    routes = served(
        [
            r
            for r in app.routes
            if id(r) not in screens and getattr(r, "path", 0) not in screen_paths
        ]
    )  # the web interface's pages are screens, not operations of the API
    assert len(routes) > 300
    assert routes - documented(document) == set()
    assert documented(document) - routes == set()


def test_every_route_outside_the_kit_has_its_own_description():
    for module, described in (
        (sandbox, {(m, PREFIX + p) for m, p in sandbox.SUMMARIES}),
        (oauth, set(oauth.OPERATIONS)),
        (health, {("GET", path) for path in health.OPERATIONS}),
    ):
        listed = {(method, path) for method, path, _ in module.operations()}
        assert listed <= described, listed - described


def test_operation_ids_are_unique(document):
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_every_operation_has_a_summary_and_a_described_tag(document):
    described = {tag["name"] for tag in document["tags"] if tag["description"].strip()}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["summary"].strip(), (method, path)
            assert set(operation["tags"]) <= described, (method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v2/parties/filters"),
        ("put", "/api/v2/kases/filters/{id}"),
        ("delete", "/api/v2/opportunities/filters/{id}"),
        ("get", "/api/v2/resthooks/{id}/deliveries"),
        ("post", "/_pillbox/accounts"),
        ("put", "/_pillbox/clock"),
        ("get", "/api/docs"),
        ("get", "/_ready"),
    ],
)
def test_pillbox_extensions_are_marked(document, method, path):
    operation = document["paths"][path][method]
    assert operation[EXTENSION] is True
    assert "Pillbox extensions" in operation["tags"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v2/parties/filters"),
        ("get", "/api/v2/parties/filters/{id}/results"),
        ("post", "/api/v2/goals"),
        ("post", "/api/v2/activities/filters/results"),
        ("post", "/api/v2/opportunities/value"),
        ("get", "/api/party/{id}"),
        ("post", "/oauth/token"),
    ],
)
def test_capsules_own_operations_are_not_marked(document, method, path):
    operation = document["paths"][path][method]
    assert EXTENSION not in operation
    assert "Pillbox extensions" not in operation["tags"]


def test_v1_operations_take_and_answer_xml_and_json_with_basic_auth(document):
    operation = document["paths"]["/api/person"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/xml", "application/json"}
    assert set(operation["responses"]["2XX"]["content"]) == {"application/xml", "application/json"}
    assert operation["security"] == [{"basic": []}]
    assert document["components"]["securitySchemes"]["basic"]["scheme"] == "basic"


def test_oauth_token_endpoint_is_described_after_the_reference(document):
    operation = document["paths"]["/oauth/token"]["post"]
    assert {"application/x-www-form-urlencoded", "application/json"} <= set(
        operation["requestBody"]["content"]
    )
    token = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert token["properties"]["token_type"] == {"const": "bearer"}


def test_docs_page_is_public_and_loads_only_files_of_this_server(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) == 3
    for asset in assets:
        assert asset.startswith("/api/docs/static/"), asset
        assert client.get(asset).status_code == 200
    initializer = client.get("/api/docs/static/docs.js").text
    assert "/api/v2/openapi.json" in initializer
    assert "validatorUrl: null" in initializer  # Swagger UI's outside validator stays off
    assert not re.search(r"https?://", page.text + initializer)


def test_only_the_viewers_files_are_served(client):
    assert client.get("/api/docs/static/README.md").status_code == 404
    assert client.get("/api/docs/static/..%2F..%2Fapp.py").status_code == 404


def test_vendored_viewer_keeps_its_licence():
    folder = resources.files("pillbox.api").joinpath("docs_static")
    assert "Apache License" in folder.joinpath("LICENSE").read_text()
    assert "swagger-ui-dist" in folder.joinpath("README.md").read_text()
