"""A form sent with mistakes opens on a summary of its errors, each linking to its field; every
field in error says so (aria-invalid) and points at its message (aria-describedby)."""

import re

from django import forms
from django.template import Context, Template
from django.utils.translation import gettext, ngettext

from core.templatetags.ui import error_summary


class ProfileForm(forms.Form):
    name = forms.CharField(label="Name")
    email = forms.EmailField(label="Email", help_text="Where we write to you.")
    topics = forms.MultipleChoiceField(
        label="Topics", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I agree")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def _render(form) -> str:
    return Template("{% load ui %}{% form_fields form %}").render(Context({"form": form}))


def _element(html: str, element_id: str) -> str:
    match = re.search(rf'<[a-z]+\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"nothing has id={element_id}"
    return match.group(0)


def test_summary_comes_first_takes_focus_and_lists_every_error():
    form = ProfileForm(data={"email": "not-an-address", "version": "x"})
    html = _render(form)

    summary_at = html.index("data-error-summary")
    assert summary_at < html.index('name="name"')
    summary = html[html.rindex("<div", 0, summary_at) : html.index("</ul>", summary_at)]
    assert "autofocus" in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    errors = sum(len(f.errors) for f in form) + len(form.non_field_errors())
    assert (
        ngettext(
            "Please correct %(counter)s error before sending again:",
            "Please correct %(counter)s errors before sending again:",
            errors,
        )
        % {"counter": errors}
        in summary
    )
    assert "The whole form is wrong." in summary
    assert summary.count("<li>") == errors


def test_each_summary_link_reaches_a_field_that_points_at_its_message():
    form = ProfileForm(data={"email": "not-an-address", "version": "1"})
    html = _render(form)
    summary = html[html.index("data-error-summary") : html.index("</ul>")]

    anchors = re.findall(r'<a href="#([^"]+)">', summary)
    assert anchors == ["id_name", "id_email", "id_topics_0", "id_kind_0", "id_agree"]
    for anchor in ["id_name", "id_email", "id_agree"]:
        field = _element(html, anchor)
        assert 'aria-invalid="true"' in field
        described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
        assert f"{anchor}_error" in described
        message = html[html.index(f'id="{anchor}_error"') :]
        assert message[: message.index("</div>")].strip()
    assert "id_email_help" in _element(html, "id_email")
    # Grouped choices describe the group, whose legend names the field.
    assert re.search(r'<fieldset[^>]*aria-describedby="id_topics_error"', html)
    assert gettext("This field is required.") in summary


def test_no_summary_when_the_form_has_no_error():
    form = ProfileForm()
    assert "data-error-summary" not in _render(form)
    assert error_summary(form) == {"errors": []}


def test_summary_gathers_a_formset_and_its_rows():
    RowFormSet = forms.formset_factory(forms.Form, extra=0, min_num=1, validate_min=True)
    formset = RowFormSet(data={"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    form = ProfileForm(data={"name": "Ada"})
    errors = error_summary(form, formset, None)["errors"]
    assert any("1" in str(e["message"]) and "anchor" not in e for e in errors)
    assert {
        "message": gettext("This field is required."),
        "label": "Email",
        "anchor": "id_email",
    } in errors
