"""Which field a CSV column holds: common header names, Capsule's export, custom field names.

A header is normalised (case, spaces, punctuation) and looked up among each record type's
names. Party contact details carry a type and a number in their headers, as Capsule writes
them: `Work Email`, `Home Email 2`, `Mobile Phone`, `Office City`. Every header Pillbox writes
in an export is a name this module reads back to the same field.
"""

import re

FIELD_PREFIX = "field:"  # keys of custom fields: "field:<definition name>"

# -- parties -------------------------------------------------------------------------------------

EMAIL_TYPES = {"home": "Home", "work": "Work", "personal": "Home", "business": "Work"}
PHONE_TYPES = {
    "home": "Home",
    "work": "Work",
    "mobile": "Mobile",
    "cell": "Mobile",
    "fax": "Fax",
    "direct": "Direct",
    "business": "Work",
}
ADDRESS_TYPES = {
    "home": "Home",
    "postal": "Postal",
    "office": "Office",
    "work": "Office",
    "business": "Office",
    "billing": "Billing",
    "shipping": "Shipping",
}
ADDRESS_PARTS = {
    "street": "Street",
    "address": "Street",
    "street address": "Street",
    "address line 1": "Street",
    "city": "City",
    "town": "City",
    "state": "State",
    "county": "State",
    "region": "State",
    "province": "State",
    "postcode": "Postcode",
    "post code": "Postcode",
    "postal code": "Postcode",
    "zip": "Postcode",
    "zip code": "Postcode",
    "zipcode": "Postcode",
    "country": "Country",
}
# Website services as Capsule labels them; "Website" is a plain URL.
SERVICES = {
    "website": "URL",
    "web site": "URL",
    "web": "URL",
    "url": "URL",
    "homepage": "URL",
    "skype": "SKYPE",
    "twitter": "TWITTER",
    "linkedin": "LINKED_IN",
    "linked in": "LINKED_IN",
    "facebook": "FACEBOOK",
    "xing": "XING",
    "feed": "FEED",
    "blog": "FEED",
    "google plus": "GOOGLE_PLUS",
    "flickr": "FLICKR",
    "github": "GITHUB",
    "youtube": "YOUTUBE",
    "instagram": "INSTAGRAM",
    "pinterest": "PINTEREST",
    "tiktok": "TIKTOK",
    "threads": "THREADS",
    "bluesky": "BLUESKY",
    "snapchat": "SNAPCHAT",
}
SERVICE_LABELS = {
    "URL": "Website",
    "SKYPE": "Skype",
    "TWITTER": "Twitter",
    "LINKED_IN": "LinkedIn",
    "FACEBOOK": "Facebook",
    "XING": "Xing",
    "FEED": "Feed",
    "GOOGLE_PLUS": "Google Plus",
    "FLICKR": "Flickr",
    "GITHUB": "GitHub",
    "YOUTUBE": "YouTube",
    "INSTAGRAM": "Instagram",
    "PINTEREST": "Pinterest",
    "TIKTOK": "TikTok",
    "THREADS": "Threads",
    "BLUESKY": "Bluesky",
    "SNAPCHAT": "Snapchat",
}
WEBSITE_TYPES = {"home": "Home", "work": "Work"}

PARTY_NAMES = {
    "id": "Id",
    "party id": "Id",
    "capsule id": "Id",
    "type": "Type",
    "party type": "Type",
    "name": "Name",
    "full name": "Name",
    "contact name": "Name",
    "first name": "First Name",
    "firstname": "First Name",
    "given name": "First Name",
    "forename": "First Name",
    "last name": "Last Name",
    "lastname": "Last Name",
    "surname": "Last Name",
    "family name": "Last Name",
    "title": "Title",
    "salutation": "Title",
    "job title": "Job Title",
    "position": "Job Title",
    "role": "Job Title",
    "organisation": "Organisation",
    "organization": "Organisation",
    "organisation name": "Organisation",
    "organization name": "Organisation",
    "company": "Organisation",
    "company name": "Organisation",
    "employer": "Organisation",
    "tags": "Tags",
    "tag": "Tags",
    "labels": "Tags",
    "owner": "Owner",
    "assigned to": "Owner",
    "about": "About",
    "background": "About",
    "notes": "About",
    "fax": "Fax Phone",
    "mobile": "Mobile Phone",
    "cell": "Mobile Phone",
    "telephone": "Phone",
    "tel": "Phone",
    "phone number": "Phone",
    "email address": "Email",
    "e mail": "Email",
}

# -- opportunities, projects, tasks --------------------------------------------------------------

_PARTY_LINK = {
    "party": "Party",
    "contact": "Party",
    "client": "Party",
    "customer": "Party",
    "organisation": "Party",
    "organization": "Party",
    "company": "Party",
    "party email": "Party",
}
_COMMON = {
    "id": "Id",
    "owner": "Owner",
    "assigned to": "Owner",
    "tags": "Tags",
    "tag": "Tags",
    "description": "Description",
    "notes": "Description",
    **_PARTY_LINK,
}
OPPORTUNITY_NAMES = {
    **_COMMON,
    "name": "Name",
    "opportunity": "Name",
    "opportunity name": "Name",
    "deal": "Name",
    "deal name": "Name",
    "milestone": "Milestone",
    "stage": "Milestone",
    "value": "Value",
    "amount": "Value",
    "deal value": "Value",
    "currency": "Currency",
    "expected close date": "Expected Close Date",
    "expected close": "Expected Close Date",
    "close date": "Expected Close Date",
    "probability": "Probability",
    "duration basis": "Duration Basis",
    "payment terms": "Duration Basis",
    "duration": "Duration",
}
PROJECT_NAMES = {
    **_COMMON,
    "name": "Name",
    "project": "Name",
    "project name": "Name",
    "case": "Name",
    "status": "Status",
    "expected close date": "Expected Close Date",
    "expected close": "Expected Close Date",
    "close date": "Expected Close Date",
    "start date": "Start Date",
    "start": "Start Date",
    "opportunity": "Opportunity",
}
TASK_NAMES = {
    "id": "Id",
    "owner": "Owner",
    "assigned to": "Owner",
    "description": "Description",
    "task": "Description",
    "subject": "Description",
    "detail": "Detail",
    "details": "Detail",
    "notes": "Detail",
    "category": "Category",
    "due date": "Due Date",
    "due": "Due Date",
    "due on": "Due Date",
    "due time": "Due Time",
    "status": "Status",
    "opportunity": "Opportunity",
    "project": "Project",
    "case": "Project",
    **_PARTY_LINK,
}
NAMES = {
    "parties": PARTY_NAMES,
    "opportunities": OPPORTUNITY_NAMES,
    "kases": PROJECT_NAMES,
    "tasks": TASK_NAMES,
}
# Columns of Capsule's own exports that are written by the server, not imported.
READ_ONLY = {"created", "updated", "last contacted", "created at", "updated at", "last updated"}


def normalise(header: str) -> str:
    words = re.sub(r"[^0-9a-z]+", " ", header.lower().replace("'", "")).split()
    return " ".join(words)


def recognise(entity: str, header: str, definitions: dict[str, str]) -> str | None:
    """The key of the field `header` names (`definitions`: lower name -> definition name)."""
    plain = normalise(header)
    named = NAMES[entity].get(plain)
    if named is not None:
        return named
    if entity == "parties":
        typed = _party_detail(plain)
        if typed is not None:
            return typed
    definition = definitions.get(header.strip().lower())
    if definition is not None:
        return FIELD_PREFIX + definition
    if header.strip().lower().startswith(FIELD_PREFIX):
        name = definitions.get(header.strip()[len(FIELD_PREFIX) :].strip().lower())
        return FIELD_PREFIX + name if name else None
    return None


_TYPED = re.compile(r"^(?:(?P<type>[a-z]+) )?(?P<base>[a-z ]+?)(?: (?P<n>\d+))?$")


def _party_detail(plain: str) -> str | None:
    """`Work Email 2`, `Mobile Phone`, `Office City`, `LinkedIn`: a typed contact detail."""
    match = _TYPED.match(plain)
    if match is None:
        return None
    kind, base, number = match["type"], match["base"], match["n"]
    found = _detail(kind, base)
    if found is None and kind is not None:  # "street address" is a base, not a type + base
        found = _detail(None, f"{kind} {base}")
    if found is None:
        return None
    return f"{found} {number}" if number and number != "1" else found


def _detail(kind: str | None, base: str) -> str | None:
    if base in ("email", "e mail", "email address"):
        return _label(kind, EMAIL_TYPES, "Email")
    if base in ("phone", "phone number", "telephone", "tel", "number"):
        return _label(kind, PHONE_TYPES, "Phone")
    if base in ADDRESS_PARTS:
        return _label(kind, ADDRESS_TYPES, ADDRESS_PARTS[base])
    if base in SERVICES:
        return _label(kind, WEBSITE_TYPES, SERVICE_LABELS[SERVICES[base]])
    if kind is None and base in PHONE_TYPES:  # "Mobile", "Fax"
        return f"{PHONE_TYPES[base]} Phone"
    return None


def _label(kind: str | None, types: dict[str, str], base: str) -> str | None:
    if kind is None:
        return base
    return f"{types[kind]} {base}" if kind in types else None
