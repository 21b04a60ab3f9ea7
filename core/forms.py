"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from .converters import MAX_ID


def _beyond_the_database(field: forms.ModelChoiceField, value) -> bool:
    """Whether `value` is a whole number no integer key can hold (e.g. 30 digits): the
    database would fail on it (SQLite: OverflowError; PostgreSQL: out of range) rather than
    find nothing."""
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    if not isinstance(key, models.IntegerField):
        return False
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not -MAX_ID - 1 <= number <= MAX_ID


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing an id no database holds as an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and _beyond_the_database(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database holds as an invalid choice."""

    def _check_values(self, value):
        for item in value:
            if _beyond_the_database(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:30]},
                )
        return super()._check_values(value)


def formfield(model_field, **kwargs):
    """`formfield_callback` for ModelForms: relations get the choice fields above."""
    if isinstance(model_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    elif isinstance(model_field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    return model_field.formfield(**kwargs)
