from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse

from .access import is_staff_user
from .registry import registry


def _visible(item, user):
    if item.section == "me" and not user.is_authenticated:
        return False
    if item.section == "staff" and not is_staff_user(user):
        return False
    if item.visible is not None and not (user.is_authenticated and item.visible(user)):
        return False
    return not item.perms or user.has_perms(item.perms)


def site(request):
    # Error pages can render before the authentication middleware ran (a bad Host header).
    user = getattr(request, "user", None) or AnonymousUser()
    path = request.path
    nav = {"main": [], "me": [], "staff": []}
    for item in registry.nav:
        if not _visible(item, user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefix = item.match or url
        if prefix.endswith("$"):  # exact page only
            matches = path == prefix[:-1]
        else:
            matches = prefix != "/" and path.startswith(prefix)
        nav[item.section].append(
            {"label": item.label, "url": url, "prefix": prefix, "matches": matches}
        )
    # Only the most specific match is current: /pact/pledges/ is "My pledges", not "AI Pact".
    matched = [entry for entries in nav.values() for entry in entries if entry["matches"]]
    longest = max((len(entry["prefix"]) for entry in matched), default=0)
    for entries in nav.values():
        for entry in entries:
            entry["current"] = entry["matches"] and len(entry["prefix"]) == longest
    return {
        "site_name": settings.SITE_NAME,
        "support_email": settings.SUPPORT_EMAIL,
        "nav": nav,
        "is_staff_user": is_staff_user(user),
    }
