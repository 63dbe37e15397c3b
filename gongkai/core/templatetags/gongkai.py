"""Display helpers: labels for stored codes. No business logic here."""

from django import template

from gongkai.core.access import ROLE_LABELS
from gongkai.core.audit_events import EVENT_LABELS
from gongkai.core.masking import mask_address, mask_id_number, mask_phone

register = template.Library()


@register.filter
def role_labels(codes: str) -> str:
    """'audit_admin,clerk' → '审计管理员、经办人' (unknown codes are shown as stored)."""
    labels = []
    for code in filter(None, (codes or "").split(",")):
        labels.append(str(ROLE_LABELS.get(code, code)))
    return "、".join(labels)


@register.filter
def event_label(code: str) -> str:
    return str(EVENT_LABELS.get(code, code))


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value)


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value)


@register.filter
def masked_address(value: str) -> str:
    return mask_address(value)
