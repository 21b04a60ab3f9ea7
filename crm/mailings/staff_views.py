"""The back office's mailings: compose, preview, test, send or schedule, follow, and topics."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.errors import DomainError
from core.translations import language_name, normalise_language, official_languages
from core.views_helpers import form_add_domain_error, paginate

from . import selectors, sending, services
from .forms import MailingForm, RecipientFilterForm, ScheduleForm, TestSendForm, TopicForm
from .models import Mailing, MailingRecipient, Topic


def _mailing_or_404(request, pk) -> Mailing:
    mailing = selectors.mailing_get(user=request.user, pk=pk)
    if mailing is None:
        raise Http404
    return mailing


@staff_required("crm.view_mailing")
def mailing_list(request):
    return render(
        request,
        "crm/mailings/list.html",
        {
            "page": paginate(request, selectors.mailing_list(user=request.user), per_page=25),
            "figures": selectors.subscription_figures(),
            "can_add": request.user.has_perm("crm.add_mailing"),
            "can_topics": request.user.has_perm("crm.change_topic"),
        },
    )


def _mailing_form_page(request, form, mailing=None):
    return render(
        request,
        "crm/mailings/form.html",
        {"form": form, "mailing": mailing},
        status=400 if request.method == "POST" else 200,
    )


def _save(request, form, mailing=None):
    try:
        return services.mailing_save(
            user=request.user,
            mailing=mailing,
            name=form.cleaned_data["name"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            translations=form.cleaned_data["translations"],
            audience=form.cleaned_data["audience"],
            purpose=form.cleaned_data.get("purpose") or "",
        )
    except DomainError as error:
        form_add_domain_error(form, error)
        return None


@staff_required("crm.add_mailing")
def mailing_create(request):
    form = MailingForm(request.POST or None, audiences=services.audience_choices(request.user))
    if request.method == "POST" and form.is_valid():
        mailing = _save(request, form)
        if mailing is not None:
            messages.success(
                request, _("The draft is saved. Check the audience and the preview, then send it.")
            )
            return redirect("crm:mailing_detail", pk=mailing.pk)
    return _mailing_form_page(request, form)


@staff_required("crm.change_mailing")
def mailing_edit(request, pk):
    mailing = _mailing_or_404(request, pk)
    if mailing.status != Mailing.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed; cancel the sending first."))
        return redirect("crm:mailing_detail", pk=mailing.pk)
    initial = {
        "name": mailing.name,
        "subject": mailing.subject,
        "body": mailing.body,
        "translations": mailing.translations,
        "audience": services.mailing_audience_value(mailing),
        "purpose": mailing.purpose,
    }
    form = MailingForm(
        request.POST or None, initial=initial, audiences=services.audience_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        if _save(request, form, mailing) is not None:
            messages.success(request, _("The draft is saved."))
            return redirect("crm:mailing_detail", pk=mailing.pk)
    return _mailing_form_page(request, form, mailing)


@staff_required("crm.view_mailing")
def mailing_detail(request, pk):
    mailing = _mailing_or_404(request, pk)
    language = normalise_language(request.GET.get("language") or get_language())
    rendered = sending.render_mailing(mailing, language)
    page = request.build_absolute_uri("/updates/")
    subject, text, _html = rendered.for_recipient(unsubscribe_url=page, preferences_url=page)
    subject_text, body = mailing.texts_in(language)
    preview = None
    if mailing.is_editable:
        preview = sending.audience_preview(mailing)
    return render(
        request,
        "crm/mailings/detail.html",
        {
            "mailing": mailing,
            "figures": sending.mailing_figures(mailing),
            "preview": preview,
            "language": language,
            "all_languages": official_languages(),
            "given_languages": mailing.languages(),
            "given_language_names": [language_name(code) for code in mailing.languages()],
            "subject": subject,
            "body_html": sending.to_html(body),
            "text": text,
            "schedule_form": ScheduleForm(),
            "test_form": TestSendForm(initial={"language": language}),
            "can_edit": request.user.has_perm("crm.change_mailing"),
            "can_send": request.user.has_perm("crm.send_mailing"),
            "history": selectors.mailing_history(mailing)[:20],
        },
    )


@staff_required("crm.view_mailing")
def mailing_preview(request, pk):
    """The email as it arrives, in one language (opened in its own tab)."""
    mailing = _mailing_or_404(request, pk)
    language = normalise_language(request.GET.get("language") or get_language())
    page = request.build_absolute_uri("/updates/")
    _subject, _text, html = sending.render_mailing(mailing, language).for_recipient(
        unsubscribe_url=page, preferences_url=page
    )
    return HttpResponse(html)


@require_POST
@staff_required("crm.view_mailing")
def mailing_test(request, pk):
    mailing = _mailing_or_404(request, pk)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language for the test."))
    else:
        address = services.mailing_test_send(
            user=request.user, mailing=mailing, language=form.cleaned_data["language"]
        )
        messages.success(request, _("A test copy is on its way to %(email)s.") % {"email": address})
    return redirect("crm:mailing_detail", pk=mailing.pk)


@require_POST
@staff_required("crm.send_mailing")
def mailing_send(request, pk):
    mailing = _mailing_or_404(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("crm:mailing_detail", pk=mailing.pk)
    try:
        mailing = services.mailing_schedule(
            user=request.user, mailing=mailing, send_at=form.cleaned_data["send_at"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if form.cleaned_data["send_at"]:
            messages.success(request, _("The mailing is scheduled."))
        else:
            messages.success(request, _("The mailing is being sent."))
    return redirect("crm:mailing_detail", pk=mailing.pk)


@require_POST
@staff_required("crm.send_mailing")
def mailing_cancel(request, pk):
    mailing = _mailing_or_404(request, pk)
    try:
        mailing = services.mailing_cancel(user=request.user, mailing=mailing)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if mailing.status == Mailing.Status.DRAFT:
            messages.success(request, _("The mailing is a draft again; nothing was sent."))
        else:
            messages.success(request, _("The sending is stopped; nobody else receives it."))
    return redirect("crm:mailing_detail", pk=mailing.pk)


@staff_required("crm.view_mailing", "crm.view_person")
def mailing_recipients(request, pk):
    mailing = _mailing_or_404(request, pk)
    form = RecipientFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = paginate(
        request, selectors.mailing_recipients(mailing=mailing, status=status), per_page=50
    )
    for recipient in page:
        recipient.reason = sending.failure_reason_label(recipient.error) if recipient.error else ""
    return render(
        request,
        "crm/mailings/recipients.html",
        {"mailing": mailing, "page": page, "form": form, "statuses": MailingRecipient.Status},
    )


@staff_required("crm.view_topic")
def topic_list(request):
    return render(
        request,
        "crm/mailings/topics.html",
        {
            "topics": selectors.topics_with_counts(),
            "can_add": request.user.has_perm("crm.add_topic"),
            "can_change": request.user.has_perm("crm.change_topic"),
        },
    )


def _topic_form(request, topic=None):
    initial = {}
    if topic is not None:
        initial = {
            "name": topic.name,
            "description": topic.description,
            "translations": topic.translations,
            "code": topic.code,
            "is_active": topic.is_active,
            "order": topic.order,
        }
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.topic_save(
                user=request.user,
                topic=topic,
                **{
                    k: data[k]
                    for k in ("name", "description", "translations", "code", "is_active", "order")
                },
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The topic is saved."))
            return redirect("crm:topic_list")
    return render(
        request,
        "crm/mailings/topic_form.html",
        {"form": form, "topic": topic},
        status=400 if request.method == "POST" else 200,
    )


@staff_required("crm.add_topic")
def topic_create(request):
    return _topic_form(request)


@staff_required("crm.change_topic")
def topic_edit(request, pk):
    topic = Topic.objects.filter(pk=pk).first()
    if topic is None:
        raise Http404
    return _topic_form(request, topic)
