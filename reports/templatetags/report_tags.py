from django import template

register = template.Library()


@register.filter
def numeric(value) -> bool:
    """A count or a rate, which a table aligns to the right."""
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and (value.endswith(" %") or value == "—")
