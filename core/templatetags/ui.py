"""Template tags that render forms, pagination and statuses in the site's look (ECL)."""

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext

from core.translation_fields import TranslationsWidget

register = template.Library()

_WIDGET_CLASSES = {
    forms.Select: "ecl-select",
    forms.SelectMultiple: "ecl-select",
    forms.Textarea: "ecl-text-area ecl-text-area--l",
    forms.CheckboxInput: "ecl-checkbox__input",
    forms.ClearableFileInput: "ecl-file-upload__input",
}


def _widget_class(widget) -> str:
    for widget_type, css in _WIDGET_CLASSES.items():
        if isinstance(widget, widget_type):
            return css
    return "ecl-text-input ecl-text-input--l"


@register.inclusion_tag("core/fragment_field.html")
def field(bound_field, **options):
    widget = bound_field.field.widget
    attrs = dict(widget.attrs)
    css = attrs.get("class", "") or _widget_class(widget)
    describedby = []
    if bound_field.help_text:
        describedby.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        describedby.append(f"{bound_field.auto_id}_error")
        css += " ecl-text-input--invalid"
        attrs["aria-invalid"] = "true"
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    attrs["class"] = css
    kind = "input"
    if isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        kind = "choices"
        attrs.pop("class")
    elif isinstance(widget, forms.HiddenInput):
        kind = "hidden"
    elif isinstance(widget, TranslationsWidget):
        kind = "translations"
        attrs.pop("class")
        attrs.pop("aria-invalid", None)
    return {
        "f": bound_field,
        "widget_html": bound_field.as_widget(attrs=attrs),
        "kind": kind,
        "required": bound_field.field.required,
        "options": options,
    }


@register.inclusion_tag("core/fragment_form_fields.html")
def form_fields(form):
    return {"form": form}


def _error_anchor(bound_field) -> str:
    """The id the summary links to: the field's input, or the first of its choices."""
    if isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


@register.inclusion_tag("core/fragment_error_summary.html")
def error_summary(*forms_or_formsets):
    """Every error of the given forms (and formsets) in one list at the top, each linking to its
    field, so that a person who submitted learns at once what to correct and where."""
    errors = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            errors += [{"message": e} for e in item.non_form_errors()]
            each_form = item.forms
        else:
            each_form = [item]
        for form in each_form:
            errors += [{"message": e} for e in form.non_field_errors()]
            for bound_field in form:
                anchor = "" if bound_field.is_hidden else _error_anchor(bound_field)
                label = "" if bound_field.is_hidden else bound_field.label
                errors += [
                    {"message": e, "label": label, "anchor": anchor} for e in bound_field.errors
                ]
    return {"errors": errors}


@register.inclusion_tag("core/fragment_pagination.html")
def pagination(page, querystring=""):
    return {"page": page, "querystring": querystring}


@register.simple_tag
def status_tag(value, label):
    return format_html('<span class="status status--{}">{}</span>', value, label)


@register.filter
def or_not_stated(value):
    """The value, or a muted "Not stated" when it is empty: a fact nobody gave us is shown as
    missing, never guessed."""
    if value not in (None, ""):
        return value
    return format_html('<span class="muted">{}</span>', gettext("Not stated"))


@register.filter
def action_label(code: str) -> str:
    """An audit action code in words."""
    from core.audit import action_label as label

    return label(code)


@register.simple_tag
def joined(*parts, separator=" · "):
    """The non-empty parts separated by a middle dot, so that a missing value leaves no
    dangling separator ("Slovenia ·")."""
    return separator.join(str(part) for part in parts if part not in (None, ""))


@register.simple_tag(takes_context=True)
def sortable_th(context, key: str, label: str):
    """A column header that sorts the list by `key` (again: the other way), keeping the
    search and filters, and tells assistive technology how the list is sorted."""
    request = context["request"]
    current = request.GET.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if current == key else key
    state = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(state, "")
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="ecl-link sort-link" href="?{}">{}{}</a></th>',
        state,
        params.urlencode(),
        label,
        arrow,
    )


@register.inclusion_tag("core/fragment_privacy_notice.html")
def privacy_notice(notice="", version=""):
    """The line under a form that collects personal data: which notice, which version."""
    from django.conf import settings

    return {
        "notice": notice or settings.PRIVACY_NOTICE_NAME,
        "version": version or settings.PRIVACY_NOTICE_VERSION,
    }
