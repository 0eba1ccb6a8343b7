"""API v2: every resource's endpoints, gathered from the modules of this package.

A module serves endpoints by declaring `ENDPOINTS`; nothing here lists them, so a new resource
module is served without an edit to this file. Routes never compete (record ids match digits
only), so the order (by module name, then as each module lists its own) is only the order of the
OpenAPI document and of the routes tried within a path segment.
"""

import importlib
import pkgutil

from pillbox.api.kit import Endpoint


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        served = getattr(importlib.import_module(f"{__name__}.{module.name}"), "ENDPOINTS", None)
        if served is not None:
            found.extend(served)
    return found
