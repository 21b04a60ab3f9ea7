"""The language switcher's return address and the `hreflang` alternates of public pages."""

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join

from core.languages import QUERY_PARAMETER
from core.translations import language_codes

register = template.Library()


def _query_without_language(request) -> "template.QueryDict":
    params = request.GET.copy()
    params.pop(QUERY_PARAMETER, None)
    return params


@register.simple_tag(takes_context=True)
def current_path_for_switcher(context) -> str:
    """This page's path and query, without `?lang=`: where the switcher comes back to."""
    request = context.get("request")
    if request is None:
        return "/"
    query = _query_without_language(request).urlencode()
    return f"{request.path}?{query}" if query else request.path


@register.simple_tag(takes_context=True)
def language_alternates(context) -> str:
    """`<link rel="alternate" hreflang>` to this page in each official language, for the
    pages as the public sees them (nobody signed in)."""
    request = context.get("request")
    # Error pages for a refused Host header render before authentication ran: no user.
    user = getattr(request, "user", None)
    if request is None or request.method != "GET" or user is None or user.is_authenticated:
        return ""
    base = settings.SITE_URL.rstrip("/") + request.path
    params = _query_without_language(request)
    links = []
    for code in language_codes():
        params[QUERY_PARAMETER] = code
        links.append((code, f"{base}?{params.urlencode()}"))
    params.pop(QUERY_PARAMETER, None)
    default = f"{base}?{params.urlencode()}" if params else base
    return format_html_join(
        "\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links
    ) + format_html('\n  <link rel="alternate" hreflang="x-default" href="{}">', default)
