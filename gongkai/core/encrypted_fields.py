"""Model fields for personal data encrypted at rest (security.md PI-03; docs/decisions/0022).

``EncryptedTextField`` holds plaintext in Python and a ``gongkai.core.crypto`` token in the
database. It cannot be filtered on (the tokens differ on every write): look values up through a
``KeyedHashField`` beside it, which stores the keyed hash of its source field on every save, e.g.
``Application.objects.filter(id_number_hash__in=crypto.lookup_hashes(value, purpose="id_number"))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.db.models.lookups import Lookup, Transform
from django.utils.functional import cached_property

from gongkai.core import crypto

# What a field holds after its retention period (PI-04). Stored as it is, as is the empty
# string: neither hides anything, and a purged row needs no key to be read.
PURGED = "（已按期删除）"
PLAIN_VALUES = frozenset({"", PURGED})

if TYPE_CHECKING:  # Django's fields are generic only in django-stubs, not at run time
    _TextField = models.TextField[str | None, str | None]
    _CharField = models.CharField[str, str]
else:
    _TextField, _CharField = models.TextField, models.CharField


class EncryptedTextField(_TextField):
    description = "Text encrypted at rest"

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        # Bound to the ciphertext: a token copied into another column does not decrypt.
        self.context = f"{cls._meta.label_lower}.{name}"

    @cached_property
    def validators(self) -> list[Any]:
        extra = [MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*super().validators, *extra]

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super().formfield(**{"form_class": forms.CharField, "widget": forms.TextInput, **kwargs})

    def from_db_value(self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper) -> str | None:
        if value is None or not crypto.is_token(value):
            return value  # empty, purged, or (before the data migration) not yet encrypted
        return crypto.decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value in PLAIN_VALUES:
            return value
        return crypto.encrypt(value, context=self.context)

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        # A query on the ciphertext would silently match nothing: only "is null" makes sense.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        return None


class KeyedHashField(_CharField):
    """The keyed hash of another field of the row, recomputed whenever this field is saved."""

    description = "Keyed hash of another field"

    def __init__(self, *args: Any, source: str = "", purpose: str = "", **kwargs: Any) -> None:
        self.source, self.purpose = source, purpose or source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.purpose != self.source:
            kwargs["purpose"] = self.purpose
        for key, default in (("max_length", 64), ("blank", True), ("editable", False)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source)
        digest = "" if value is None or value in PLAIN_VALUES else crypto.keyed_hash(value, purpose=self.purpose)
        setattr(model_instance, self.attname, digest)
        return digest


def encrypted_fields(model: type[models.Model] | models.Model) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def hash_fields(model: type[models.Model] | models.Model) -> list[KeyedHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]
