"""How django-allauth behaves in this product: where people land after signing in, and the
name and address its emails sign with."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.access import is_staff_account
from core.languages import language_of_user


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        # Staff work in the back office; everyone else starts from their own page.
        if is_staff_account(request.user):
            return reverse("crm:dashboard")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
        # In the account's language (a password reset asked for in another browser, say);
        # a new account's in the language of the page it signed up on.
        language = language_of_user(context.get("user")) or translation.get_language()
        with translation.override(language or settings.LANGUAGE_CODE):
            return super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        # Like every other email of the service: says which language it is in.
        headers = {"Content-Language": translation.get_language(), **(headers or {})}
        return super().render_mail(template_prefix, email, context, headers=headers)


def user_display(user) -> str:
    """How allauth names a signed-in person: their name, else their email; never the internal
    username, which nobody chose."""
    return user.get_full_name() or user.email
