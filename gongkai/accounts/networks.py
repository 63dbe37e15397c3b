"""Network allowlists for staff pages (security.md AUTH-04; 等保 L3-CES1-19).

An agency may limit its staff's pages to a list of CIDR ranges (``Agency.allowed_networks``, one
range a line); the administration pages (三员) may also be limited district-wide by the
``ADMIN_ALLOWED_NETWORKS`` setting. An empty list means no restriction. The client address is
``gongkai.core.request_context.client_ip`` (REMOTE_ADDR, or X-Forwarded-For behind
TRUSTED_PROXY_COUNT proxies), the same one the audit trail records.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_NETWORKS = 50

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str | Iterable[str]) -> list[Network]:
    """CIDR ranges from text (one a line, commas also accepted) or a list; a bare address is a
    single-host range. Raises ValidationError with a Chinese message naming each bad entry."""
    parts = text.replace(",", "\n").splitlines() if isinstance(text, str) else list(text)
    networks: list[Network] = []
    errors: list[str] = []
    for raw in parts:
        entry = raw.strip()
        if not entry:
            continue
        try:
            # strict=False: 10.1.2.3/16 means the range 10.1.0.0/16 that contains it.
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                _("“%(entry)s” is not a network range: write it like 10.12.0.0/16 or 192.168.1.20.") % {"entry": entry}
            )
            continue
        if network not in networks:
            networks.append(network)
    if len(networks) > MAX_NETWORKS:
        errors.append(_("At most %(count)d network ranges can be listed.") % {"count": MAX_NETWORKS})
    if errors:
        raise ValidationError(errors)
    return networks


def format_networks(networks: Iterable[Network]) -> str:
    return "\n".join(str(n) for n in networks)


def address_allowed(address: str, networks: Iterable[Network]) -> bool:
    """Whether ``address`` is inside one of ``networks``. An empty list allows everything; an
    address that cannot be read is outside every non-empty list."""
    networks = list(networks)
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == n.version and ip in n for n in networks)


def agency_networks(agency) -> list[Network]:
    if agency is None or not agency.allowed_networks.strip():
        return []
    return parse_networks(agency.allowed_networks)


def admin_networks() -> list[Network]:
    from django.conf import settings

    return parse_networks(settings.ADMIN_ALLOWED_NETWORKS)
