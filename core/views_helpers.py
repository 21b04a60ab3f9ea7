"""Small helpers every app's views use."""

from django.core.paginator import Paginator


def paginate(request, queryset, *, per_page: int = 25):
    """One page of a queryset; a page number out of range or not a number gives the nearest page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def form_add_domain_error(form, error) -> None:
    """Show a service's refusal next to its field, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    if field is None and error.field in {t.name for t in getattr(form, "record_texts", ())}:
        field = "texts"  # a record's own text, edited in the per-language editor
    form.add_error(field, str(error))


def querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def next_url(request, default: str, *, within: str = "") -> str:
    """The page a form asks to return to (`next`), if it is on this site (and under `within`,
    when given); otherwise `default`. Never an address elsewhere."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not target or not safe or not target.startswith("/") or not target.startswith(within):
        return default
    return target
