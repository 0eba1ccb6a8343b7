"""Where each API lives under the server's root: v2 under /api/v2, v1 in the rest of /api/ except
the API's documentation pages under /api/docs."""

V2_PREFIX = "/api/v2"
V1_PREFIX = "/api/"
DOCS_PREFIX = "/api/docs"  # the API's documentation pages: public, and no v1 path of Capsule's


def under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def is_v1_path(path: str) -> bool:
    if not path.startswith(V1_PREFIX):
        return False
    return not under(path, V2_PREFIX) and not under(path, DOCS_PREFIX)
