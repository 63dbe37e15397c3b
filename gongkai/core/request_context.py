"""The current request's client address, for audit records written deep inside services."""

from __future__ import annotations

import contextvars
import ipaddress

from django.conf import settings
from django.http import HttpRequest

_current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("gongkai_client_ip", default="")


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address a trusted reverse proxy put in X-Forwarded-For."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def current_ip() -> str:
    return _current_ip.get()


def set_current_ip(address: str) -> contextvars.Token[str]:
    return _current_ip.set(address)


def reset_current_ip(token: contextvars.Token[str]) -> None:
    _current_ip.reset(token)
