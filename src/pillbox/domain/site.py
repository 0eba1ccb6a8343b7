"""The account as Capsule presents it: a "site" with a subdomain."""

import re


def subdomain(name: str) -> str:
    """Capsule's site subdomain: the account name in lowercase letters and digits."""
    return re.sub(r"[^a-z0-9]+", "", name.lower()) or "site"
