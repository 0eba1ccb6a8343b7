"""API v1 configuration lists, in XML and in JSON, under every path clients used: countries,
currencies, milestones, task categories and tracks."""

import xml.etree.ElementTree as ET

import pytest

from pillbox import reference
from tests.api.v1.wire import FORMATS, V1, error_message, items

pytestmark = pytest.mark.parametrize("fmt", FORMATS)

COUNTRY_PATHS = ["/countries", "/resource/country", "/config/country"]
CURRENCY_PATHS = ["/currencies", "/resource/currency", "/config/currency"]
MILESTONE_PATHS = ["/opportunity/milestones", "/config/milestones"]


def xml_size(v1: V1, path: str) -> str:
    return ET.fromstring(v1.get(path).content).attrib["size"]


# -- countries and currencies ---------------------------------------------------------------------


@pytest.mark.parametrize("path", COUNTRY_PATHS)
def test_countries_are_the_names_an_address_takes_under_every_path(v1, fmt, path):
    countries = v1.read(path, fmt)["countries"]["country"]
    assert countries == [country["name"] for country in reference.countries()]
    assert {"United Kingdom", "France", "Brazil"} <= set(countries)
    assert xml_size(v1, path) == str(len(countries))


@pytest.mark.parametrize("path", CURRENCY_PATHS)
def test_currencies_are_iso_codes_under_every_path(v1, fmt, path):
    currencies = v1.read(path, fmt)["currencies"]["currency"]
    assert currencies == [currency["code"] for currency in reference.currencies()]
    assert {"AUD", "CAD", "EUR", "GBP"} <= set(currencies)
    assert xml_size(v1, path) == str(len(currencies))


def test_the_xml_of_a_plain_list_holds_one_element_per_value(v1, fmt):
    body = v1.get("/currencies").text
    assert "<currency>EUR</currency><currency>" in body
    assert body.count("<currency>") == len(reference.currencies())


def test_a_country_listed_is_one_a_v1_address_keeps(v1, fmt):
    country = v1.read("/countries", fmt)["countries"]["country"][0]
    contacts = {"address": {"street": "1 Road", "country": country}}
    party_id = v1.create("organisation", {"name": "Abroad", "contacts": contacts}, fmt)
    shown = v1.read(f"/party/{party_id}", fmt)["organisation"]["contacts"]["address"]
    assert shown["country"] == country


# -- milestones -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", MILESTONE_PATHS)
def test_milestones_are_the_accounts_under_both_paths(account, v1, fmt, path):
    milestones = v1.read(path, fmt)["milestones"]["milestone"]
    v2 = account.get("/milestones").json()["milestones"]
    assert milestones == [
        {
            "id": str(v2[0]["id"]),
            "name": "New",
            "description": "You have a potential buyer for your offering",
            "probability": "10",
            "complete": "false",
        },
        {
            "id": str(v2[1]["id"]),
            "name": "Bid",
            "description": "You have put forward a bid for your offering",
            "probability": "50",
            "complete": "false",
        },
        {"id": str(v2[2]["id"]), "name": "Won", "probability": "100", "complete": "true"},
        {"id": str(v2[3]["id"]), "name": "Lost", "probability": "0", "complete": "true"},
    ]
    assert xml_size(v1, path) == "4"


def test_milestones_of_every_pipeline_follow_pipeline_by_pipeline(account, v1, fmt):
    pipeline = account.post("/pipelines", {"pipeline": {"name": "Renewals"}}).json()["pipeline"]
    body = {"milestone": {"name": "Due", "probability": 30, "pipeline": pipeline["id"]}}
    made = account.post("/milestones", body)
    assert made.status_code == 201, made.text
    milestones = v1.read("/opportunity/milestones", fmt)["milestones"]["milestone"]
    assert [m["name"] for m in milestones] == ["New", "Bid", "Won", "Lost", "Due"]
    assert milestones[-1] == {
        "id": str(made.json()["milestone"]["id"]),
        "name": "Due",
        "probability": "30",
        "complete": "false",
    }


def test_milestones_changed_in_v2_show_in_v1(account, v1, fmt):
    new = account.get("/milestones").json()["milestones"][0]
    change = {"milestone": {"name": "Lead", "probability": 5, "description": ""}}
    assert account.put(f"/milestones/{new['id']}", change).status_code == 200
    first = v1.read("/opportunity/milestones", fmt)["milestones"]["milestone"][0]
    assert (first["name"], first["probability"]) == ("Lead", "5")
    assert "description" not in first


def test_another_accounts_milestones_are_not_listed(client, other_account, v1, fmt):
    theirs = V1(client, other_account.token).read("/opportunity/milestones", fmt)
    mine = v1.read("/opportunity/milestones", fmt)
    assert {m["id"] for m in theirs["milestones"]["milestone"]}.isdisjoint(
        {m["id"] for m in mine["milestones"]["milestone"]}
    )


# -- task categories ------------------------------------------------------------------------------


def test_task_categories_are_the_accounts_names(account, other_account, v1, fmt):
    assert v1.read("/task/categories", fmt) == {"taskCategories": {"@size": "0"}}
    for name in ("Call", "Email", "Follow-up"):
        account.post("/categories", {"category": {"name": name, "colour": "#D36C00"}})
    other_account.post("/categories", {"category": {"name": "Theirs"}})
    categories = v1.read("/task/categories", fmt)["taskCategories"]["taskCategory"]
    assert categories == ["Call", "Email", "Follow-up"]
    assert xml_size(v1, "/task/categories") == "3"
    assert v1.read("/task/categories?start=1&limit=1", fmt) == {
        "taskCategories": {"taskCategory": "Email"}
    }


def test_a_listed_category_is_one_a_v1_task_takes(account, v1, fmt):
    account.post("/categories", {"category": {"name": "Meeting"}})
    [category] = items(v1.read("/task/categories", fmt)["taskCategories"]["taskCategory"])
    task = {"task": {"description": "Meet", "dueDate": "2012-02-24", "category": category}}
    response = v1.post("/task", task, fmt)
    assert response.status_code == 201, response.text
    shown = v1.read(response.headers["Location"].split("/api", 1)[1], fmt)["task"]
    assert shown["category"] == "Meeting"


# -- tracks ---------------------------------------------------------------------------------------


def define(account, description: str, capture_rule: str, direction: str) -> int:
    body = {
        "trackDefinition": {
            "description": description,
            "captureRule": capture_rule,
            "direction": direction,
        }
    }
    response = account.post("/trackdefinitions", body)
    assert response.status_code == 201, response.text
    return int(response.json()["trackDefinition"]["id"])


def test_tracks_are_the_accounts_opportunity_and_case_track_definitions(
    account, other_account, v1, fmt
):
    assert v1.read("/tracks", fmt) == {"tracks": {"@size": "0"}}
    sales = define(account, "Sales follow up", "OPPORTUNITY", "START_DATE")
    define(account, "Onboarding", "PARTY", "START_DATE")
    service = define(account, "Customer service feedback", "CASEFILE", "END_DATE")
    define(other_account, "Theirs", "OPPORTUNITY", "START_DATE")
    assert v1.read("/tracks", fmt)["tracks"]["track"] == [
        {
            "id": str(sales),
            "description": "Sales follow up",
            "captureRule": "OPPORTUNITY",
            "direction": "START_DATE",
        },
        {
            "id": str(service),
            "description": "Customer service feedback",
            "captureRule": "CASEFILE",
            "direction": "END_DATE",
        },
    ]
    assert xml_size(v1, "/tracks") == "2"


def test_tracks_filter_by_direction_in_any_case(account, v1, fmt):
    define(account, "Sales follow up", "OPPORTUNITY", "START_DATE")
    renewal = define(account, "Renewal", "OPPORTUNITY", "END_DATE")
    assert v1.read("/tracks?direction=end_date", fmt)["tracks"]["track"]["id"] == str(renewal)
    response = v1.get("/tracks?direction=sideways", fmt)
    assert response.status_code == 400
    text = error_message(response, fmt)
    assert "direction must be one of START_DATE, END_DATE" in text


# -- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [*COUNTRY_PATHS, *CURRENCY_PATHS, *MILESTONE_PATHS, "/task/categories", "/tracks"]
)
def test_every_list_needs_a_token_and_a_read_token_reads_it(client, account, fmt, path):
    assert client.get(f"/api{path}").status_code == 401
    assert V1(client, account.read_token).get(path, fmt).status_code == 200
