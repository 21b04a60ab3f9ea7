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
