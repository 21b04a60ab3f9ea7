"""The quick select renders what Django's own select renders."""

from django import forms

from core.widgets import FastSelect, use_fast_selects


class _Form(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "Any"), ("FR", "France"), ("DE", "Germany <&>")], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Europe", [("BE", "Belgium"), ("NL", "Netherlands")]), ("US", "United States")]
    )


def _normalise(html: str) -> str:
    return " ".join(html.replace("\n", " ").replace('selected=""', "selected").split()).replace(
        "> <", "><"
    )


def test_the_quick_select_renders_the_same_html_as_django():
    for data in ({"country": "DE", "grouped": "NL"}, {}):
        plain = _Form(data)
        quick = use_fast_selects(_Form(data))
        assert isinstance(quick.fields["country"].widget, FastSelect)
        for name in ("country", "grouped"):
            assert _normalise(str(quick[name])) == _normalise(str(plain[name]))
