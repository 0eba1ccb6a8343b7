"""How one record refers to another inline: the short forms of users, teams and parties."""

from typing import Any

# Capsule answers static default pictures where nothing was uploaded.
USER_PICTURE_URL = "https://capsulecrm.com/theme/default/images/person_avatar_70.png"
PERSON_PICTURE_URL = "https://capsulecrm.com/theme/default/images/person_avatar_70.png"
ORGANISATION_PICTURE_URL = "https://capsulecrm.com/theme/default/images/org_avatar_70.png"


def nested_user(user_id: int, username: str, name: str, deleted: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "deleted": bool(deleted),
        "username": username,
        "pictureURL": USER_PICTURE_URL,
        "name": name,
    }


def nested_team(team_id: int, name: str) -> dict[str, Any]:
    return {"id": team_id, "name": name}


def nested_party(party_id: int, kind: str, first: Any, last: Any, name: Any) -> dict[str, Any]:
    """The short form of a party inside another record."""
    if kind == "person":
        return {
            "id": party_id,
            "type": "person",
            "firstName": first,
            "lastName": last,
            "pictureURL": PERSON_PICTURE_URL,
        }
    return {
        "id": party_id,
        "type": "organisation",
        "name": name,
        "pictureURL": ORGANISATION_PICTURE_URL,
    }
