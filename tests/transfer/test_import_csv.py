"""import csv: rows through the domain's rules, matched to existing records, in batches."""

import io

import pytest

from pillbox.transfer import importer
from pillbox.transfer.importer import Counts
from pillbox.transfer.plan import ImportRefused, Options


def parties_of(account, **params):
    return account.get("/parties", params={"perPage": 100, **params}).json()["parties"]


def people_named(account, last_name):
    return [p for p in parties_of(account) if p.get("lastName") == last_name]


def run(engine, actor, path, entity="parties", **kwargs):
    mapping = tuple(kwargs.pop("mapping", ()))
    options = Options(entity, mapping, kwargs.pop("match", None))
    return importer.run(engine, actor, path, options, **kwargs)


PEOPLE = (
    "First Name,Last Name,Company,Work Email,Mobile,Tags,City,Country,Job Title\n"
    'Ada,Lovelace,Analytical Ltd,ada@an.example,+44 1,"VIP; Maths",London,United Kingdom,Countess\n'
    "Alan,Turing,Bletchley Park,alan@bp.example,,Maths,,,\n"
)


def test_import_people_with_common_headers_creates_people_and_their_organisations(
    engine, account, actor, write_csv
):
    counts = run(engine, actor, write_csv(PEOPLE))
    assert counts == Counts(created=2, organisations=2)
    ada = people_named(account, "Lovelace")[0]
    assert ada["firstName"] == "Ada" and ada["jobTitle"] == "Countess"
    assert ada["organisation"]["name"] == "Analytical Ltd"
    assert [(e["type"], e["address"]) for e in ada["emailAddresses"]] == [
        ("Work", "ada@an.example")
    ]
    assert [(p["type"], p["number"]) for p in ada["phoneNumbers"]] == [("Mobile", "+44 1")]
    assert [(a["city"], a["country"]) for a in ada["addresses"]] == [("London", "United Kingdom")]
    tags = account.get(f"/parties/{ada['id']}", params={"embed": "tags"}).json()["party"]["tags"]
    assert sorted(t["name"] for t in tags) == ["Maths", "VIP"]


def test_import_same_file_twice_changes_nothing_the_second_time(engine, account, actor, write_csv):
    path = write_csv(PEOPLE)
    run(engine, actor, path)
    before = parties_of(account)
    assert run(engine, actor, path) == Counts(unchanged=2)
    assert parties_of(account) == before


def test_import_matching_row_updates_only_the_columns_present(engine, account, actor, write_csv):
    run(engine, actor, write_csv(PEOPLE))
    changes = "Email,Job Title,Phone\nada@an.example,Engineer,+44 2\n"
    assert run(engine, actor, write_csv(changes)) == Counts(updated=1)
    ada = people_named(account, "Lovelace")[0]
    assert (ada["firstName"], ada["jobTitle"]) == ("Ada", "Engineer")
    assert sorted(p["number"] for p in ada["phoneNumbers"]) == ["+44 1", "+44 2"]
    assert ada["organisation"]["name"] == "Analytical Ltd"


def test_import_without_email_matches_people_by_name_within_their_organisation(
    engine, account, actor, write_csv
):
    text = "First Name,Last Name,Organisation\nJo,Smith,Acme\nJo,Smith,Globex\nJo,Smith,\n"
    assert run(engine, actor, write_csv(text)) == Counts(created=3, organisations=2)
    again = "First Name,Last Name,Organisation,Job Title\nJo,Smith,Globex,Buyer\n"
    assert run(engine, actor, write_csv(again)) == Counts(updated=1)
    smiths = people_named(account, "Smith")
    assert len(smiths) == 3
    assert [p["jobTitle"] for p in smiths if p["organisation"]] == [None, "Buyer"]


def test_import_organisations_match_by_name_in_any_case(engine, account, actor, write_csv):
    run(engine, actor, write_csv("Organisation,About\nAcme Ltd,Makes things\n"))
    assert run(engine, actor, write_csv("Company,About\nACME LTD,Makes things\n")) == Counts(
        unchanged=1
    )


def test_import_match_none_creates_every_row_again(engine, account, actor, write_csv):
    path = write_csv("First Name,Last Name\nJo,Bloggs\n")
    run(engine, actor, path)
    assert run(engine, actor, path, match="none") == Counts(created=1)
    assert len(people_named(account, "Bloggs")) == 2


def test_import_match_id_updates_that_record_and_refuses_an_unknown_id(
    engine, account, actor, write_csv
):
    run(engine, actor, write_csv("Organisation\nAcme\n"))
    acme = next(p for p in parties_of(account) if p.get("name") == "Acme")
    text = f"Id,Name\n{acme['id']},Acme Renamed\n999999999,Nobody\n"
    assert run(engine, actor, write_csv(text), match="id") == Counts(updated=1, failed=1)
    assert account.get(f"/parties/{acme['id']}").json()["party"]["name"] == "Acme Renamed"


def test_import_refused_rows_go_to_the_rejects_file_and_the_rest_go_in(
    engine, account, actor, write_csv
):
    text = (
        "First Name,Last Name,Country,Owner\n"
        "Ok,One,,\n"
        "Bad,Country,Narnia,\n"
        'Bad,"Owner, Really",,nobody\n'
        "Ok,Two,France,\n"
    )
    out = io.StringIO()
    counts = run(engine, actor, write_csv(text), rejects=out)
    assert counts == Counts(created=2, failed=2)
    assert out.getvalue().splitlines() == [
        "First Name,Last Name,Country,Owner,row,error",
        "Bad,Country,Narnia,,2,Country: not a country name",
        "Bad,\"Owner, Really\",,nobody,3,Owner: no user 'nobody' in the account",
    ]
    assert {p["lastName"] for p in parties_of(account, q="")} >= {"One", "Two"}
    assert not people_named(account, "Country")


def test_import_dry_run_reports_the_counts_and_commits_nothing(engine, account, actor, write_csv):
    before = parties_of(account)
    counts = run(engine, actor, write_csv(PEOPLE), dry_run=True)
    assert counts == Counts(created=2, organisations=2)
    assert parties_of(account) == before


def test_import_interrupted_after_some_batches_finishes_without_duplicates_when_run_again(
    engine, account, actor, write_csv
):
    rows = "".join(f"Person{i},Crash,p{i}@crash.example\n" for i in range(7))
    path = write_csv("First Name,Last Name,Email\n" + rows)

    def crash(batch):
        if batch == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(engine, actor, path, batch_size=2, after_batch=crash)
    assert len(people_named(account, "Crash")) == 4
    assert run(engine, actor, path, batch_size=2) == Counts(created=7)
    assert len(people_named(account, "Crash")) == 7
    assert run(engine, actor, path, batch_size=2) == Counts(unchanged=7)


def test_import_reads_bom_semicolons_tabs_and_quoted_newlines(engine, account, actor, write_csv):
    semicolons = 'First Name;Last Name;About\nAda;Semi;"line one\nline two"\n'
    tabs = "First Name\tLast Name\nAlan\tTab\n"
    assert run(engine, actor, write_csv(semicolons, bom=True)) == Counts(created=1)
    assert run(engine, actor, write_csv(tabs)) == Counts(created=1)
    assert people_named(account, "Semi")[0]["about"] == "line one\nline two"
    assert people_named(account, "Tab")


def test_import_several_emails_and_phones_and_tags_split_on_commas_or_semicolons(
    engine, account, actor, write_csv
):
    text = (
        "Name,Organisation,Home Email,Work Email,Email 2,Home Phone,Fax,Tags\n"
        'Mary Jane Watson,Daily Bugle,m@home.example,m@work.example,m@other.example,1,2,"a, b; c"\n'
    )
    run(engine, actor, write_csv(text))
    mary = people_named(account, "Watson")[0]
    assert mary["firstName"] == "Mary Jane"
    assert len(mary["emailAddresses"]) == 3 and len(mary["phoneNumbers"]) == 2
    tags = account.get(f"/parties/{mary['id']}", params={"embed": "tags"}).json()["party"]["tags"]
    assert sorted(t["name"] for t in tags) == ["a", "b", "c"]


def test_import_custom_fields_by_their_definition_name(engine, account, actor, write_csv):
    for name, kind in (("Shoe Size", "number"), ("Newsletter", "boolean")):
        body = {"definition": {"name": name, "type": kind}}
        assert account.post("/parties/fields/definitions", body).status_code == 201
    text = "Organisation,Shoe Size,Newsletter\nAcme,42,yes\nGlobex,big,no\n"
    assert run(engine, actor, write_csv(text)) == Counts(created=1, failed=1)
    acme = next(p for p in parties_of(account) if p.get("name") == "Acme")
    fields = account.get(f"/parties/{acme['id']}", params={"embed": "fields"}).json()["party"]
    assert {f["definition"]["name"]: f["value"] for f in fields["fields"]} == {
        "Shoe Size": "42",
        "Newsletter": True,
    }
    assert run(engine, actor, write_csv(text)) == Counts(unchanged=1, failed=1)


def test_import_map_names_a_column_the_headers_do_not(engine, account, actor, write_csv):
    path = write_csv("Vorname,Nachname,Firma\nKarl,Kopf,Kopf GmbH\n")
    mapping = [("Vorname", "First Name"), ("Nachname", "Last Name"), ("Firma", "Company")]
    assert run(engine, actor, path, mapping=mapping) == Counts(created=1, organisations=1)
    assert people_named(account, "Kopf")[0]["organisation"]["name"] == "Kopf GmbH"


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("Vorname\nKarl\n", {}, "no name column"),
        ("Name\nX\n", {"mapping": [("Missing", "Name")]}, "no column 'Missing'"),
        ("Name\nX\n", {"mapping": [("Name", "Shoe colour")]}, "not a field"),
        ("Name\nX\n", {"match": "email"}, "email column"),
        ("Name\nX\n", {"match": "id"}, "Id column"),
    ],
)
def test_import_that_cannot_run_is_refused_before_any_row(
    engine, account, actor, write_csv, text, options, message
):
    before = parties_of(account)
    with pytest.raises(ImportRefused, match=message):
        run(engine, actor, write_csv(text), **options)
    assert parties_of(account) == before


def test_import_opportunities_link_their_party_by_name_or_email(engine, account, actor, write_csv):
    run(engine, actor, write_csv(PEOPLE))
    text = (
        "Opportunity Name,Organisation,Value,Currency,Milestone,Tags\n"
        "Big deal,Analytical Ltd,1500,GBP,Bid,hot\n"
        "Small deal,alan@bp.example,20,GBP,,\n"
        "Lost cause,Nobody Ltd,1,GBP,,\n"
    )
    path = write_csv(text)
    assert run(engine, actor, path, "opportunities") == Counts(created=2, failed=1)
    found = account.get("/opportunities").json()["opportunities"]
    by_name = {o["name"]: o for o in found}
    assert by_name["Big deal"]["milestone"]["name"] == "Bid"
    assert by_name["Big deal"]["value"] == {"amount": 1500.0, "currency": "GBP"}
    assert by_name["Small deal"]["party"]["lastName"] == "Turing"
    assert run(engine, actor, path, "opportunities") == Counts(unchanged=2, failed=1)


def test_import_projects_and_tasks_link_to_their_records(engine, account, actor, write_csv):
    run(engine, actor, write_csv(PEOPLE))
    projects = "Project,Party,Status\nRollout,Analytical Ltd,OPEN\n"
    assert run(engine, actor, write_csv(projects), "kases") == Counts(created=1)
    tasks = (
        "Task,Due Date,Project,Party,Category\n"
        "Kick off,2030-01-02,Rollout,,\n"
        "Call Ada,2030-01-03,,Ada Lovelace,\n"
        "Nothing due,,,,\n"
    )
    path = write_csv(tasks)
    assert run(engine, actor, path, "tasks") == Counts(created=2, failed=1)
    listed = account.get("/tasks").json()["tasks"]
    by_description = {t["description"]: t for t in listed}
    assert by_description["Kick off"]["kase"]["name"] == "Rollout"
    assert by_description["Call Ada"]["party"]["lastName"] == "Lovelace"
    assert run(engine, actor, path, "tasks") == Counts(unchanged=2, failed=1)


def test_an_imports_writes_are_recorded_in_the_change_history_as_import(
    engine, account, actor, write_csv
):
    run(engine, actor, write_csv(PEOPLE))
    ada = people_named(account, "Lovelace")[0]
    changes = account.get(f"/parties/{ada['id']}/changes").json()["changes"]
    assert changes and {change["via"] for change in changes} == {"import"}
