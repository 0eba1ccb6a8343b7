"""The ceiling: a bare Starlette app serving a fixed ~1.2 KB JSON document with orjson."""

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_ADDRESS = {
    "id": 12135,
    "type": None,
    "city": "Chicago",
    "country": "United States",
    "street": "847 North Rush Street",
    "state": "IL",
    "zip": "65629",
}
DOCUMENT = orjson.dumps(
    {
        "party": {
            "id": 11587,
            "owner": None,
            "team": None,
            "type": "person",
            "about": None,
            "firstName": "Scott",
            "lastName": "Spacey",
            "jobTitle": "Creative Director",
            "createdAt": "2015-09-15T10:43:23Z",
            "updatedAt": "2015-09-15T10:43:23Z",
            "organisation": None,
            "lastContactedAt": None,
            "pictureURL": "https://capsulecrm.com/theme/default/images/person_avatar_70.png",
            "title": "Mr",
            "enrichment": None,
            "tags": [{"id": 1, "name": "Customer", "description": None, "dataTag": False}],
            "phoneNumbers": [{"id": 12133, "type": None, "number": "773-338-7786"}],
            "addresses": [_ADDRESS, {**_ADDRESS, "id": 12136, "type": "Home"}],
            "emailAddresses": [
                {"id": 12134, "type": "Work", "address": "scott@example.com"},
                {"id": 12137, "type": "Home", "address": "scott.spacey@example.org"},
            ],
            "websites": [
                {
                    "id": 106,
                    "type": "Home",
                    "address": "https://capsulecrm.com",
                    "service": "URL",
                    "url": "https://capsulecrm.com",
                },
                {
                    "id": 107,
                    "type": None,
                    "address": "capsulecrm",
                    "service": "TWITTER",
                    "url": "https://twitter.com/capsulecrm",
                },
            ],
        }
    }
)


async def document(_request: Request) -> Response:
    return Response(DOCUMENT, media_type="application/json")


app = Starlette(routes=[Route("/", document)])
