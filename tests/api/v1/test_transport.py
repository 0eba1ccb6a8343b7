"""API v1 transport: HTTP Basic, content negotiation, errors as v1 had them, safe XML parsing."""

import base64
import time

import pytest

from tests.api.v1.wire import FORMATS, V1, error_message

PERSON = {"person": {"firstName": "Homer", "lastName": "Simpson"}}


def basic(user: str, password: str | None = "x") -> dict[str, str]:
    credentials = user if password is None else f"{user}:{password}"
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


# -- authentication -------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["x", "", "the-account-name", None])
def test_the_token_is_the_basic_user_name_and_any_password_is_accepted(client, account, password):
    response = client.get("/api/party", headers=basic(account.token, password))
    assert response.status_code == 200
    assert "X-RateLimit-Remaining" in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {},
        basic("not-a-token"),
        basic(""),
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Bearer something"},
    ],
)
def test_a_missing_or_unknown_token_is_401_asking_for_basic(client, headers):
    response = client.get("/api/party/1", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == "Requires authentication"


def test_a_401_for_a_json_client_has_a_json_message(client):
    response = client.get("/api/party", headers={**basic("nope"), "Accept": "application/json"})
    assert response.status_code == 401
    assert response.json() == {"message": "Requires authentication"}


def test_each_api_takes_its_own_authorization_scheme(client, account):
    assert client.get("/api/party", headers=account.headers).status_code == 401
    assert client.get("/api/v2/parties", headers=basic(account.token)).status_code == 401


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_read_token_reads_but_may_not_write(client, account, fmt):
    reader = V1(client, account.read_token)
    assert reader.get("/party", fmt).status_code == 200
    response = reader.post("/person", PERSON, fmt)
    assert response.status_code == 403
    assert reader.get("/party", fmt).status_code == 200
    assert V1(client, account.token).read("/party", fmt) == {"parties": {"@size": "0"}}


# -- negotiation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "*/*", "application/xml", "text/xml"])
def test_answers_are_xml_unless_json_is_asked_for(v1, accept):
    headers = {"Accept": accept} if accept else {}
    response = v1.get("/party", headers=headers)
    assert response.headers["Content-Type"] == "application/xml; charset=UTF-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')


def test_answers_are_json_when_accept_names_it(v1):
    response = v1.get("/party", headers={"Accept": "application/json, text/plain"})
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert response.json() == {"parties": {"@size": "0"}}


@pytest.mark.parametrize(
    "body",
    [b"<person><lastName>Simpson</lastName></person>", b'{"person": {"lastName": "Simpson"}}'],
)
def test_a_body_without_content_type_is_recognised_by_its_first_character(v1, body):
    response = v1.request("POST", "/person", content=body)
    assert response.status_code == 201


# -- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/xml", b"<person><lastName>Simpson</person>"),
        ("text/xml", b"not xml at all"),
        ("application/json", b'{"person": {"lastName": "Simpson"'),
        ("application/json", b"[1, 2]"),
        ("application/json", b'"person"'),
    ],
)
def test_a_malformed_body_is_400_and_changes_nothing(v1, content_type, body):
    response = v1.request("POST", "/person", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert v1.read("/party") == {"parties": {"@size": "0"}}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_well_formed_document_of_the_wrong_root_is_400_naming_both_roots(v1, fmt):
    response = v1.post("/person", {"organisation": {"name": "Acme"}}, fmt)
    assert response.status_code == 400
    message = error_message(response, fmt)
    assert message == "Expected a <person> document, not <organisation>"


def test_a_broken_rule_is_400_with_the_domains_message(v1):
    response = v1.post("/person", {"person": {"jobTitle": "Safety inspector"}}, "json")
    assert response.status_code == 400
    assert response.json() == {"message": "firstName or lastName is required"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_record_is_404(v1, fmt):
    response = v1.get("/party/999999", fmt)
    assert response.status_code == 404
    if fmt == "json":
        assert response.json() == {"message": "Could not find resource"}
    else:
        assert response.text == "Could not find resource"


@pytest.mark.parametrize("path", ["/nothing-here", "/party/abc", "/party/99999999999999"])
def test_paths_no_v1_endpoint_serves_are_404(v1, path):
    assert v1.get(path).status_code == 404


def test_a_method_a_path_does_not_take_is_405_with_allow(v1):
    response = v1.request("PATCH", "/party")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("query", ["start=x", "limit=1.5", "lastmodified=yesterday"])
def test_an_unreadable_list_parameter_is_400(v1, query):
    assert v1.get(f"/party?{query}").status_code == 400


def test_a_body_over_the_limit_is_413(v1, app):
    too_big = b"<person><about>" + b"x" * app.state.settings.max_body_bytes + b"</about></person>"
    assert v1.request("POST", "/person", content=too_big).status_code == 413


# -- hardened XML ---------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<person><lastName>&lol9;</lastName></person>"""


def test_an_xml_bomb_is_refused_with_400_without_being_expanded(v1):
    started = time.monotonic()
    response = v1.request("POST", "/person", content=BILLION_LAUGHS)
    assert response.status_code == 400
    assert time.monotonic() - started < 2
    assert v1.read("/party") == {"parties": {"@size": "0"}}


def test_an_external_entity_is_refused_with_400_without_being_read(v1, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE person [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<person><lastName>&xxe;</lastName></person>"
    ).encode()
    response = v1.request("POST", "/person", content=body)
    assert response.status_code == 400
    assert "TOP-SECRET" not in response.text
    assert v1.read("/party") == {"parties": {"@size": "0"}}
