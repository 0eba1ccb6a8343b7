"""The v1 document mirror: one tree written as XML or as XML-shaped JSON, and read from both;
and the values read from documents (texts, dates) as every resource reads them."""

import json

import pytest

from pillbox.api.v1.documents import (
    Element,
    date_value,
    leaf,
    leaves,
    list_element,
    moment_value,
    read,
    rows,
    sent,
    texts,
    timestamp_value,
    to_json,
    to_xml,
)
from pillbox.errors import InvalidBody

PROLOG = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def parties(*children: Element) -> Element:
    return list_element("parties", list(children))


def test_xml_is_minified_after_a_standalone_prolog_and_empty_elements_close_themselves():
    person = Element("person", children=[leaf("id", 5), Element("contacts")])
    assert to_xml(person) == PROLOG + b"<person><id>5</id><contacts/></person>"


def test_xml_escapes_markup_and_carriage_returns_and_drops_characters_xml_cannot_carry():
    assert to_xml(leaf("about", 'a<b>&"c"\r\nd\x01')) == (
        PROLOG + b"<about>a&lt;b&gt;&amp;&quot;c&quot;&#xD;\nd</about>"
    )


def test_json_values_are_all_strings():
    person = Element("person", children=[leaf("id", 5), leaf("flag", True)])
    assert json.loads(to_json(person)) == {"person": {"id": "5", "flag": "true"}}


def test_json_empty_element_is_an_empty_string():
    assert json.loads(to_json(Element("person", children=[Element("contacts")]))) == {
        "person": {"contacts": ""}
    }


def test_json_one_child_is_a_bare_object_and_several_an_array():
    one = parties(Element("person", children=[leaf("id", 1)]))
    two = parties(*(Element("person", children=[leaf("id", i)]) for i in (1, 2)))
    assert json.loads(to_json(one)) == {"parties": {"person": {"id": "1"}}}
    assert json.loads(to_json(two)) == {"parties": {"person": [{"id": "1"}, {"id": "2"}]}}


def test_json_groups_mixed_children_by_name():
    mixed = parties(
        Element("person", children=[leaf("id", 1)]),
        Element("organisation", children=[leaf("id", 2)]),
        Element("person", children=[leaf("id", 3)]),
    )
    assert json.loads(to_json(mixed)) == {
        "parties": {"person": [{"id": "1"}, {"id": "3"}], "organisation": {"id": "2"}}
    }


def test_size_attribute_is_always_in_xml_and_in_json_only_on_an_empty_list():
    assert to_xml(parties()) == PROLOG + b'<parties size="0"/>'
    assert json.loads(to_json(parties())) == {"parties": {"@size": "0"}}
    one = parties(Element("person", children=[leaf("id", 1)]))
    assert to_xml(one).startswith(PROLOG + b'<parties size="1"><person>')
    assert "@size" not in json.loads(to_json(one))["parties"]


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml", ""])
def test_xml_is_read_by_content_type_or_by_its_first_character(content_type):
    body = b'<?xml version="1.0"?>\n<person><firstName>Homer</firstName><contacts/></person>'
    document = read(body, content_type, "person")
    assert document.name == "person"
    assert [(c.name, c.text) for c in document.children] == [
        ("firstName", "Homer"),
        ("contacts", ""),
    ]


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=UTF-8", ""]
)
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_json_is_read_by_content_type_or_by_its_first_character(content_type, bom):
    body = bom + b'{"person": {"firstName": "Homer", "age": 7, "email": [{"a": 1}, {"a": true}]}}'
    document = read(body, content_type, "person")
    assert [(c.name, c.text) for c in document.children[:2]] == [
        ("firstName", "Homer"),
        ("age", "7"),
    ]
    assert [c.children[0].text for c in document.all("email")] == ["1", "true"]


def test_json_null_and_empty_objects_are_absent_and_at_keys_are_attributes():
    body = (
        b'{"person": {"about": null, "contacts": {}, "tags": [null, {}], "@size": 3, "@x": null}}'
    )
    document = read(body, "application/json", "person")
    assert document.children == []
    assert document.attributes == {"size": "3"}


def test_an_xml_element_marked_nil_is_absent():
    body = (
        b'<person xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        b'<about xsi:nil="true"/><contacts><phone xsi:nil="true"/></contacts>'
        b'<title xsi:nil="false">Mr</title></person>'
    )
    document = read(body, "application/xml", "person")
    assert [(c.name, c.text, c.attributes) for c in document.children] == [
        ("contacts", "", {}),
        ("title", "Mr", {}),
    ]
    assert document.all("contacts")[0].children == []


def test_rows_leave_out_empty_elements():
    body = b"<contacts><phone/><email> </email><phone><number>1</number></phone></contacts>"
    document = read(body, "application/xml", "contacts")
    assert [row.children[0].text for row in rows(document)] == ["1"]
    assert len(rows(document, "phone")) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<person><firstName>", "Malformed XML"),
        (b'<?xml version="1.0" encoding="no-such"?><person/>', "Malformed XML"),
        (b'<?xml version="1.0" encoding="utf-16"?><person/>', "Malformed XML"),
        (b"", "Malformed XML"),
        (b'{"person": ', "Malformed JSON"),
        (b'{"person": {}, "other": {}}', "exactly one key"),
        (b'["person"]', "exactly one key"),
        (b'{"person": [{}, {}]}', "must be one object"),
        (b'{"person": {"a": [[1]]}}', "may not hold arrays"),
        (b'{"person": {"a": "x\\u0000"}}', "NUL"),
        (b"<organisation/>", "Expected a <person> document, not <organisation>"),
        (b'{"organisation": {}}', "Expected a <person> document, not <organisation>"),
        (b"<a>" * 20 + b"</a>" * 20, "nested too deeply"),
    ],
)
def test_unreadable_bodies_and_wrong_roots_are_400_saying_why(body, message):
    with pytest.raises(InvalidBody) as raised:
        read(body, "", "person")
    assert raised.value.status == 400
    assert message in raised.value.message


def test_either_of_several_roots_is_taken():
    assert read(b"<organization/>", "", ("organisation", "organization")).name == "organization"


# -- values -------------------------------------------------------------------------------------


def test_leaves_leave_out_values_that_are_not_set():
    values = [("id", 3), ("name", ""), ("about", None), ("flag", False), ("count", 0)]
    assert leaves(values) == [leaf("id", 3), leaf("flag", False), leaf("count", 0)]


def test_sent_text_is_trimmed_unless_asked_and_absent_is_none():
    task = Element("task", children=[leaf("owner", " ada "), leaf("note", " Hi ")])
    assert (sent(task, "owner"), sent(task, "note", trim=False)) == ("ada", " Hi ")
    assert sent(task, "category") is None


def test_texts_sent_empty_clear_their_field_and_absent_ones_are_left_out():
    kase = Element("kase", children=[leaf("name", "Audit"), Element("description")])
    assert texts(kase, ("name", "description", "status")) == {"name": "Audit", "description": None}


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("2012-04-21T15:00:00Z", "2012-04-21T15:00:00Z"),
        (" 2012-04-21T15:00:00.250z ", "2012-04-21T15:00:00Z"),
        ("2012-04-21T17:00:00+02:00", "2012-04-21T15:00:00Z"),
        ("2012-04-21 15:00", "2012-04-21T15:00:00Z"),
        ("2012-04-21", "2012-04-21T00:00:00Z"),
    ],
)
def test_date_times_are_read_in_the_iso_forms_clients_send_a_zoneless_one_as_utc(raw, stored):
    assert timestamp_value(raw, "entryDate") == stored


@pytest.mark.parametrize("raw", ["2012-03-21", "2012-03-21T00:00:00Z", "2012-03-21T23:30:00-05:00"])
def test_a_day_is_the_one_written_whatever_time_and_offset_follow(raw):
    assert date_value(raw, "closeDate") == "2012-03-21"


def test_a_moment_keeps_the_offset_it_was_sent_with():
    assert moment_value("2012-04-21T17:00+02:00", "dueDateTime").utcoffset().seconds == 7200


@pytest.mark.parametrize("raw", ["", "yesterday", "2012-02-30", "24/02/2012", "2012-03-21\x00"])
def test_an_unreadable_date_is_400_naming_the_element_and_the_form_expected(raw):
    with pytest.raises(InvalidBody) as raised:
        date_value(raw, "closeDate")
    assert raised.value.message == "closeDate must be a date like 2012-03-21T00:00:00Z"
    with pytest.raises(InvalidBody) as raised:
        moment_value(raw, "dueDateTime", "an ISO 8601 date-time")
    assert raised.value.message == "dueDateTime must be an ISO 8601 date-time"


def test_a_date_time_that_leaves_the_calendar_in_utc_is_400():
    with pytest.raises(InvalidBody) as raised:
        timestamp_value("9999-12-31T23:00:00-05:00", "entryDate")
    assert raised.value.message == "entryDate must be a date-time like 2012-04-21T15:00:00Z"
