"""The resource kit: what every resource does the same way, built once.

A resource is declared once (`Resource`), and `resource_endpoints()` turns the declaration into
routes and OpenAPI operations alike, so the two cannot drift apart.
"""

from pillbox.api.kit.endpoints import (
    action_endpoint,
    filter_endpoint,
    link_endpoint,
    paged_list_endpoint,
    resource_endpoints,
    selected_endpoint,
    sub_list_endpoint,
)
from pillbox.api.kit.resource import Endpoint, Resource, SubList

__all__ = [
    "Endpoint",
    "Resource",
    "SubList",
    "action_endpoint",
    "filter_endpoint",
    "link_endpoint",
    "paged_list_endpoint",
    "resource_endpoints",
    "selected_endpoint",
    "sub_list_endpoint",
]
