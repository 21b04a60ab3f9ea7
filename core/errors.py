class DomainError(Exception):
    """A refusal by a service, with a message meant for the person who asked.

    Raise it with a translated message (gettext) and, where the refusal concerns one form
    field, the field's name so the view can show it next to that field.
    """

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self):
        return str(self.message)


def full_clean_or_refuse(instance, **kwargs) -> None:
    """Validate a model instance; turn the first validation error into a DomainError that
    names its field, so services refuse bad input the same way everywhere."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc
