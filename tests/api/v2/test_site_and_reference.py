"""The account's site (/site) and the static lists (/countries, /currencies)."""


def test_site_is_the_tokens_account(account, other_account):
    site = account.get("/site").json()["site"]
    assert list(site) == ["url", "subdomain", "name"]
    assert site["url"] == "http://pillbox.test"
    assert site["name"].startswith("account-")
    assert site["subdomain"] == site["name"].replace("-", "")
    assert other_account.get("/site").json()["site"]["name"] != site["name"]


def test_countries_are_iso_3166_in_capsules_shape(account):
    countries = account.get("/countries").json()["countries"]
    assert len(countries) == 249
    gb = next(c for c in countries if c["alpha2Code"] == "GB")
    assert gb == {
        "alpha2Code": "GB",
        "alpha3Code": "GBR",
        "numericCode": 826,
        "name": "United Kingdom",
    }
    assert countries[0]["name"] == "Afghanistan"


def test_currencies_are_iso_4217_in_capsules_shape(account):
    currencies = account.get("/currencies").json()["currencies"]
    codes = [c["code"] for c in currencies]
    assert codes == sorted(codes)
    assert {"GBP", "USD", "EUR", "AUD", "JPY"} <= set(codes)
    usd = next(c for c in currencies if c["code"] == "USD")
    assert list(usd) == ["code", "symbol", "name", "pluralName"]
    assert usd["symbol"] == "$"


def test_reference_data_needs_a_token_like_everything_else(client):
    assert client.get("/api/v2/countries").status_code == 401


def test_an_address_country_must_be_a_country_name(account):
    body = {
        "type": "person",
        "lastName": "X",
        "addresses": [{"city": "Leeds", "country": "united kingdom"}],
    }
    party = account.post("/parties", {"party": body}).json()["party"]
    assert party["addresses"][0]["country"] == "United Kingdom"
    body["addresses"] = [{"country": "Narnia"}]
    response = account.post("/parties", {"party": body})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"message": "country is invalid", "resource": "party", "field": "address.country"}
    ]
