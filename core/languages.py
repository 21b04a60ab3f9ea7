"""The language of each person, chosen once and used everywhere.

- A visitor chooses a language with the switcher (`set_language`, Django's view wrapped here);
  Django keeps it in a cookie.
- Signed in, the choice is the account's (`AccountLanguage`), and the CRM's person record
  follows it (`registry.language_hooks`, filled by crm): pages, emails and documents sent to
  the person use it, also from Celery tasks and periodic jobs, which pass the person's
  language to `core.email.email_enqueue` (rendered under `translation.override`).
- At sign-in the account's language wins over the browser's; an account that has none yet
  takes the language the person was using.
- `?lang=xx` shows one page in another language without changing anybody's choice: the
  `hreflang` alternates of the public pages point there.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from .access import public
from .errors import DomainError
from .registry import registry
from .translations import language_codes

SESSION_KEY = "account_language"
QUERY_PARAMETER = "lang"


def language_of_user(user) -> str | None:
    """The language the account holds, else the one the CRM knows for its person, else None."""
    if user is None or not user.is_authenticated:
        return None
    from .models import AccountLanguage

    code = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if code:
        return code
    for hook in registry.language_hooks:
        code = hook.read(user)
        if code:
            return code
    return None


@transaction.atomic
def account_language_set(*, user, language: str) -> str:
    """Remember `language` on the account and on the records that follow it."""
    from .models import AccountLanguage

    if language not in language_codes():
        raise DomainError(_("Choose one of the official languages of the European Union."))
    AccountLanguage.objects.update_or_create(user=user, defaults={"language": language})
    for hook in registry.language_hooks:
        hook.write(user, language)
    return language


def language_remember_in_session(request, language: str, *, now: bool = True) -> None:
    """Use `language` for this signed-in session from the next request on (and, `now`, for
    the rest of this one)."""
    request.session[SESSION_KEY] = language
    if now:
        translation.activate(language)
        request.LANGUAGE_CODE = language


@receiver(user_logged_in, dispatch_uid="core.languages.account_language_at_login")
def account_language_at_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    code = language_of_user(user)
    if code is None:
        code = translation.get_language() or settings.LANGUAGE_CODE
        code = code if code in language_codes() else settings.LANGUAGE_CODE
        account_language_set(user=user, language=code)
    # From the next request on: the sign-in answers with a redirect.
    language_remember_in_session(request, code, now=False)


class AccountLanguageMiddleware:
    """After `LocaleMiddleware` and authentication: a signed-in person sees their account's
    language; `?lang=` shows one page in another. The language cookie follows the account, so
    that the pages stay in it after signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        account = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            account = request.session.get(SESSION_KEY)
        requested = request.GET.get(QUERY_PARAMETER, "")
        code = requested if requested in language_codes() else account
        if code and code != translation.get_language():
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if account and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != account:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                account,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


@public
def set_language(request):
    """Django's language switcher (cookie, and back to `next` when it is on this site), which
    also remembers the choice on the account of a signed-in person."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.method == "POST" and code in language_codes() and request.user.is_authenticated:
        account_language_set(user=request.user, language=code)
        language_remember_in_session(request, code)
    return response
