from django import template

register = template.Library()


@register.filter
def numeric(value) -> bool:
    """A count or a rate, which a table aligns to the right."""
    return isinstance(value, int | float) or (isinstance(value, str) and value.endswith(" %"))
