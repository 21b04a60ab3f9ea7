from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def text_in(obj, language=""):
    """A commitment's (or a pledge commitment's) text in the given or the current language."""
    return obj.text_in(language or get_language())


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
