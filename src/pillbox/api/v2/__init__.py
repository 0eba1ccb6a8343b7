"""API v2: every resource's endpoints, in routing order."""

from pillbox.api.kit import Endpoint
from pillbox.api.v2 import parties


def endpoints() -> list[Endpoint]:
    return [*parties.ENDPOINTS]
