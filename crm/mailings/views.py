"""The public side of updates: subscribe, confirm, preferences and one-click unsubscribe.

The signed links in emails are the key to a person's preferences: nobody needs to sign in.
"""

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.access import login_required, public
from core.errors import DomainError
from core.privacy import client_ip
from core.translations import normalise_language
from core.views_helpers import form_add_domain_error

from .. import selectors as crm_selectors
from ..models import Person
from ..privacy import is_erased
from . import selectors, services
from .forms import PreferencesForm, SubscribeForm
from .models import MailingRecipient, Subscription
from .tokens import read_confirm_token, read_preferences_token, read_unsubscribe_token

# Subscription requests one address on the internet may make in an hour.
REQUESTS_PER_HOUR = 10


def _over_limit(request) -> bool:
    key = f"updates-subscribe:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > REQUESTS_PER_HOUR
    except ValueError:
        return False


@public
def subscribe(request):
    language = normalise_language(get_language())
    form = SubscribeForm(request.POST or None, initial={"language": language})
    status = 200
    if request.method == "POST":
        status = 400
        if _over_limit(request):
            form.add_error(None, _("Too many requests from your network. Try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                services.subscription_request(
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    topics=form.cleaned_data["topics"],
                    name=form.cleaned_data["name"],
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                return redirect("updates:requested")
    return render(request, "crm/updates/subscribe.html", {"form": form}, status=status)


@public
def requested(request):
    return render(request, "crm/updates/requested.html")


def _invalid_link(request, *, expired: bool = False):
    return render(request, "crm/updates/invalid_link.html", {"expired": expired}, status=404)


@public
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    pk, expired = read_confirm_token(token)
    subscription = (
        Subscription.objects.filter(pk=pk).select_related("person").first() if pk else None
    )
    if subscription is None:
        return _invalid_link(request)
    if subscription.status == Subscription.Status.ACTIVE:
        messages.info(request, _("Your subscription is already confirmed."))
        return redirect(
            "updates:preferences", token=services.preferences_token_for(subscription.person)
        )
    if expired:
        return _invalid_link(request, expired=True)
    if request.method == "POST":
        subscription = services.subscription_confirm(subscription=subscription)
        messages.success(
            request,
            _("Thank you: your subscription is confirmed. You can change it here at any time."),
        )
        return redirect(
            "updates:preferences", token=services.preferences_token_for(subscription.person)
        )
    return render(
        request,
        "crm/updates/confirm.html",
        {"subscription": subscription, "topics": subscription.topics.all()},
    )


def _person_from_token(token) -> Person | None:
    pk = read_preferences_token(token)
    return Person.objects.filter(pk=pk).select_related("subscription").first() if pk else None


def _preferences(request, person: Person, *, template: str, extra: dict):
    subscription = Subscription.objects.filter(person=person).first()
    active = subscription is not None and subscription.status == Subscription.Status.ACTIVE
    initial = {
        "topics": list(subscription.topics.all()) if active else [],
        "language": person.preferred_language,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if "leave" in request.POST:
            services.subscription_leave(person=person)
            messages.success(
                request, _("You are unsubscribed: the AI Office sends you no more mailings.")
            )
            return redirect(request.path)
        if form.is_valid():
            services.subscription_set_preferences(
                person=person,
                topics=form.cleaned_data["topics"],
                language=form.cleaned_data["language"],
            )
            if form.cleaned_data["topics"]:
                messages.success(request, _("Your choices are saved."))
            else:
                messages.success(
                    request, _("You are unsubscribed: the AI Office sends you no more mailings.")
                )
            return redirect(request.path)
    return render(
        request,
        template,
        {
            "form": form,
            "person": person,
            "subscription": subscription,
            "active": active,
            "suppressed": services.is_suppressed(person.email),
            "masked_email": selectors.masked_email(person.email),
            **extra,
        },
        status=400 if request.method == "POST" else 200,
    )


@public
@require_http_methods(["GET", "POST"])
def preferences(request, token):
    person = _person_from_token(token)
    if person is None or not person.email or is_erased(person):
        return _invalid_link(request)
    return _preferences(request, person, template="crm/updates/preferences.html", extra={})


@login_required
@require_http_methods(["GET", "POST"])
def me_updates(request):
    person = crm_selectors.person_for_user(request.user)
    if person is None:
        messages.info(request, _("Complete your profile first."))
        return redirect("me:profile")
    return _preferences(request, person, template="crm/me/updates.html", extra={})


@public
@csrf_exempt  # the signed link is the authority: mail programs POST to it (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    pk = read_unsubscribe_token(token)
    recipient = (
        MailingRecipient.objects.filter(pk=pk).select_related("mailing", "person").first()
        if pk
        else None
    )
    if recipient is None:
        return _invalid_link(request)
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    if request.method == "POST":
        services.subscription_leave(
            person=recipient.person, email=recipient.email, mailing=recipient.mailing
        )
        if one_click:
            return HttpResponse(
                _("You are unsubscribed."), content_type="text/plain; charset=utf-8"
            )
        return render(
            request,
            "crm/updates/unsubscribed.html",
            {"preferences_token": services.preferences_token_for(recipient.person)},
        )
    return render(
        request,
        "crm/updates/unsubscribe.html",
        {
            "masked_email": selectors.masked_email(recipient.email),
            "mailing": recipient.mailing,
            "already": services.is_suppressed(recipient.email),
        },
    )
