"""How the server treats HTTP itself: unknown paths and methods, bodies, forgiving clients."""

import pytest

from pillbox.settings import Settings


@pytest.fixture
def settings():
    return Settings(database_url="sqlite://", max_body_bytes=1000, run_worker=False)


def test_unknown_path_is_404_json(account):
    response = account.get("/no-such-thing")
    assert (response.status_code, response.json()) == (404, {"message": "Could not find resource"})
    assert response.headers["Content-Type"] == "application/json"


def test_unknown_path_outside_the_api_is_the_web_interfaces_404_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api", "/api/", "/api//"])
def test_the_bare_api_paths_are_404_json_not_a_redirect(client, path):
    response = client.get(path, follow_redirects=False)
    assert (response.status_code, response.json()) == (404, {"message": "Could not find resource"})
    assert "location" not in response.headers


def test_wrong_method_is_405_method_not_allowed(account):
    response = account.request("PATCH", "/parties")
    assert (response.status_code, response.json()) == (405, {"message": "Method not allowed"})
    assert "GET" in response.headers["Allow"]


def test_repeated_and_trailing_slashes_are_forgiven(account):
    assert account.client.get("/api/v2//parties/", headers=account.headers).status_code == 200


def test_json_body_on_a_get_is_ignored(account):
    response = account.request("GET", "/parties", json={"party": {"name": "x"}})
    assert response.status_code == 200


def test_unsupported_embed_values_are_ignored(account):
    response = account.get("/parties?embed=meta,nonsense,tags")
    assert response.status_code == 200


def test_oversized_body_is_413_and_writes_nothing(account):
    body = {"party": {"type": "organisation", "name": "Big", "about": "x" * 2000}}
    response = account.post("/parties", body)
    assert (response.status_code, response.json()) == (413, {"message": "Request body too large"})
    assert account.get("/parties").json() == {"parties": []}


def test_oversized_streamed_body_is_413(account):

    def chunks():
        yield b'{"party": {"type": "organisation", "name": "'
        yield b"x" * 2000
        yield b'"}}'

    response = account.request("POST", "/parties", content=chunks())
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/parties/abc",
        "/parties/0",
        "/parties/-1",
        "/parties/99999999999999999999",
        "/parties/1.5",
        "/parties/²",  # a digit to str.isdigit(), not to int()
        "/parties/" + "9" * 5000,  # past the 4,300 digits int() converts
    ],
)
def test_ids_that_cannot_exist_are_404(account, path):
    assert account.get(path).status_code == 404
    assert account.put(path, {"party": {}}).status_code == 404
    assert account.delete(path).status_code == 404


def test_openapi_document_is_public_and_lists_the_parties_endpoints(client):
    document = client.get("/api/v2/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert {"get", "post"} <= set(document["paths"]["/api/v2/parties"])
    assert "/api/v2/parties/{id}/people" in document["paths"]
    assert "PartyInput" in document["components"]["schemas"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/parties/tags", "GET, HEAD, POST"),
        ("DELETE", "/users/current", "GET, HEAD"),
        ("PUT", "/titles/1", "DELETE, GET, HEAD"),
        ("POST", "/parties/search", "GET, HEAD"),
    ],
)
def test_literal_paths_beside_id_paths_answer_405_for_other_methods(account, method, path, allowed):
    response = account.request(method, path, json={})
    assert (response.status_code, response.json()) == (405, {"message": "Method not allowed"})
    assert ", ".join(sorted(response.headers["Allow"].split(", "))) == allowed


def test_openapi_show_of_several_ids_documents_both_envelopes(client):
    document = client.get("/api/v2/openapi.json").json()
    ok = document["paths"]["/api/v2/parties/{ids}"]["get"]["responses"]["200"]
    choices = ok["content"]["application/json"]["schema"]["oneOf"]
    assert [c["required"] for c in choices] == [["party"], ["parties"]]


@pytest.mark.parametrize("value", ["9" * 5000, "²", "١٢"])
def test_an_id_parameter_that_is_no_id_is_a_422_naming_it(account, value):
    response = account.get("/tasks", params={"owner": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner"
