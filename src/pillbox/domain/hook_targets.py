"""Where REST hooks may deliver: only to public internet addresses, unless the server allows more.

A hook URL whose host resolves to a loopback, private, link-local (cloud metadata services live
at 169.254.169.254), shared, multicast or otherwise non-global address would let an account make
the server call its own network. Such a URL is refused at subscription and again when each
delivery connects (a name can resolve elsewhere by then): the delivery connects to an address it
has just checked, never to a second lookup. `PILLBOX_HOOKS_ALLOW_PRIVATE` lifts the rule (it is
on in the sandbox, whose hooks usually point at a test's own loopback server).
"""

import ipaddress
import socket
from contextvars import ContextVar
from typing import Any

# The serving application's PILLBOX_HOOKS_ALLOW_PRIVATE, set around each request: several
# applications with different settings can share one process (tests do).
allow_private: ContextVar[bool] = ContextVar("hooks_allow_private", default=False)


class TargetRefused(OSError):
    """A delivery's target resolves to an address hooks may not reach."""


def is_refused(address: str) -> bool:
    """True for any address that is not a public unicast internet address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of it
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _addresses(host: str, port: int) -> list[tuple[int, tuple[Any, ...]]]:
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [(family, tuple(sockaddr)) for family, _, _, _, sockaddr in found]


def refusal(host: str) -> str | None:
    """Why a subscription to `host` is refused, or None. A name that does not resolve now is
    accepted: each delivery checks again where it leads."""
    if allow_private.get():
        return None
    try:
        addresses = _addresses(host.strip("[]"), 443)
    except (OSError, UnicodeError):
        return None
    if any(is_refused(str(sockaddr[0])) for _, sockaddr in addresses):
        return "targetUrl must not point to a loopback, private or link-local address"
    return None


def connect(
    address: tuple[str, int],
    timeout: float | None = None,
    source_address: tuple[str, int] | None = None,
    *,
    allow_private_targets: bool = False,
) -> socket.socket:
    """`socket.create_connection` that refuses targets resolving to a refused address."""
    host, port = address
    addresses = _addresses(host, port)
    refused = [str(sockaddr[0]) for _, sockaddr in addresses if is_refused(str(sockaddr[0]))]
    if refused and not allow_private_targets:
        raise TargetRefused(f"{host} resolves to {refused[0]}, which hooks may not reach")
    error: OSError = OSError(f"{host} has no address")
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error
