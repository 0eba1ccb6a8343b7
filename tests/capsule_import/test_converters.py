"""Converters of what the loopback source cannot produce: emails (filed by Capsule's mail drop,
never created through the API), with their participants and filed parties."""

from pillbox.capsule_import import activity, anonymiser

EMAIL = {
    "id": 901,
    "type": "email",
    "attachments": [
        {"id": 77, "filename": "quote.pdf", "contentType": "application/pdf", "size": 12}
    ],
    "parties": [{"id": 11, "type": "person", "firstName": "Ann", "lastName": "Lee"}],
    "creator": {"id": 5, "username": "sam"},
    "activityType": {"id": -5, "name": "Email sent"},
    "subject": "Your quote",
    "createdAt": "2025-03-01T10:00:00Z",
    "updatedAt": "2025-03-01T10:00:00Z",
    "content": "Hi Ann, here is the quote.",
    "entryAt": "2025-03-01T09:59:00Z",
    "participants": [
        {"id": 43360750, "address": "hello@zestia.com", "name": "Hello", "role": "FROM"},
        {"id": 43360751, "address": "ann@lee.example", "name": "Ann Lee", "role": "TO"},
    ],
}


def test_an_email_becomes_its_entry_participants_filed_parties_and_attachment():
    record = activity.entry(EMAIL, {77: "stored-key"})
    assert record.row | {"id": 901} == {
        "id": 901,
        "type": "email",
        "party_id": None,
        "opportunity_id": None,
        "kase_id": None,
        "creator_id": 5,
        "activity_type_id": -5,
        "subject": "Your quote",
        "content": "Hi Ann, here is the quote.",
        "entry_at": "2025-03-01T09:59:00Z",
        "created_at": "2025-03-01T10:00:00Z",
        "updated_at": "2025-03-01T10:00:00Z",
    }
    assert record.children == [
        (
            "attachments",
            {
                "id": 77,
                "entry_id": 901,
                "filename": "quote.pdf",
                "content_type": "application/pdf",
                "size": 12,
                "storage_key": "stored-key",
                "created_at": "2025-03-01T10:00:00Z",
            },
        ),
        (
            "entry_participants",
            {
                "id": 43360750,
                "entry_id": 901,
                "address": "hello@zestia.com",
                "name": "Hello",
                "role": "FROM",
            },
        ),
        (
            "entry_participants",
            {
                "id": 43360751,
                "entry_id": 901,
                "address": "ann@lee.example",
                "name": "Ann Lee",
                "role": "TO",
            },
        ),
        ("entry_parties", {"entry_id": 901, "party_id": 11}),
    ]


def test_an_anonymised_email_keeps_its_shape_but_none_of_its_words_or_addresses():
    anonymous = anonymiser.entry(EMAIL)
    assert [p["id"] for p in anonymous["participants"]] == [43360750, 43360751]
    assert [p["role"] for p in anonymous["participants"]] == ["FROM", "TO"]
    text = repr(anonymous["participants"]) + anonymous["subject"] + anonymous["content"]
    for personal in ("hello@zestia.com", "ann@lee.example", "Ann Lee", "Your quote", "Hi Ann"):
        assert personal not in text
    assert anonymous["attachments"][0]["filename"] == "document-77.pdf"
    assert (anonymous["entryAt"], anonymous["parties"]) == (EMAIL["entryAt"], EMAIL["parties"])
    assert anonymiser.entry(EMAIL) == anonymous  # the same every time
