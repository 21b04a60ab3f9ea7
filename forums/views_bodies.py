"""Public pages of the expert bodies (/bodies/): the bodies, their members and their calls."""

from django.http import Http404
from django.shortcuts import render

from core.access import public
from core.views_helpers import paginate

from . import selectors


@public
def body_list(request):
    return render(
        request,
        "forums/body_list.html",
        {
            "bodies": selectors.bodies_public(user=request.user),
            "calls": selectors.calls_open(user=request.user)[:50],
        },
    )


@public
def body_detail(request, slug):
    body = selectors.body_get_public(user=request.user, slug=slug)
    if body is None:
        raise Http404
    members = selectors.body_members_public(user=request.user, body=body)
    return render(
        request,
        "forums/body_detail.html",
        {
            "body": body,
            "rules": selectors.body_rules(body=body),
            "chairs": selectors.body_chairs_public(user=request.user, body=body),
            "page": paginate(request, members, per_page=100),
            "calls": selectors.calls_of_body_public(user=request.user, body=body)[:20],
            "meetings": selectors.body_past_meetings(user=request.user, body=body)[:20],
        },
    )


@public
def call_detail(request, pk):
    call = selectors.call_get_public(user=request.user, pk=pk)
    if call is None:
        raise Http404
    return render(request, "forums/call_detail.html", {"call": call, "body": call.body})
