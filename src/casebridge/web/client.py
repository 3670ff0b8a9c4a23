"""Who is on the other end of a request: the client's address, for login throttling.

The address is the ASGI peer. X-Forwarded-For is believed only when the peer is one of the
proxies named in CASEBRIDGE_TRUSTED_PROXIES, and then only up to the first hop that is not such
a proxy (the right-most untrusted entry), so a client cannot choose its own address.
"""

import ipaddress
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request

from casebridge.web.deps import PlatformDep

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


@lru_cache(maxsize=16)
def trusted_networks(setting: str) -> tuple[Network, ...]:
    """The networks of a comma-separated setting ("10.0.0.0/8, 192.0.2.7")."""
    return tuple(
        ipaddress.ip_network(item.strip(), strict=False)
        for item in setting.split(",")
        if item.strip()
    )


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request, platform: PlatformDep) -> str:
    """The address the request came from, as far as we can trust anyone to tell us."""
    peer = request.client.host if request.client else UNKNOWN
    networks = trusted_networks(platform.settings.trusted_proxies)
    if not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted(hop, networks):
            return hop[:64]
    return peer


ClientAddress = Annotated[str, Depends(client_address)]
