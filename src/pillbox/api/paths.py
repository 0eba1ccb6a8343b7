"""Where each API lives under the server's root: v2 under /api/v2, v1 in the rest of /api/."""

V2_PREFIX = "/api/v2"
V1_PREFIX = "/api/"


def is_v1_path(path: str) -> bool:
    if not path.startswith(V1_PREFIX):
        return False
    return path != V2_PREFIX and not path.startswith(V2_PREFIX + "/")
