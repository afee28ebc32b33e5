"""The feedback endpoint: thin views over guards, tokens and services.

Every response here is `never_cache`: the page cache stores only GET/HEAD without
`no-store`, and the answers' pages depend on the post.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import guards, services, tokens
from .forms import CommentForm, VoteForm
from .pages import page_url


def _see_other(url):
    """303: the browser then GETs the next page, so reloading it posts nothing again."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _rejected(request, rejection):
    response = render(
        request,
        "feedback/rejected.html",
        {"title": rejection.title, "message": rejection.message, "nav": None},
        status=rejection.status,
    )
    if rejection.retry_after:
        response["Retry-After"] = str(rejection.retry_after)
    return response


def _not_a_post(request):
    return _rejected(request, guards.Rejection(405, guards.NOT_ACCEPTED, guards.BOT))


# csrf_exempt by design: pages are cached and set no cookie, so there is no CSRF cookie to
# compare with. guards.post_rejection (origin, throttle, honeypot) and the signed page token
# do that job instead (docs/decisions.md, "Page feedback without cookies").
@csrf_exempt
@never_cache
def vote(request):
    if request.method != "POST":
        return _not_a_post(request)
    rejection = guards.post_rejection(request)
    if rejection:
        return _rejected(request, rejection)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _rejected(request, guards.Rejection(400, guards.NOT_ACCEPTED, guards.INVALID))
    page, language = form.cleaned_data["page"], get_language()
    try:
        version = tokens.page_token_version(
            form.cleaned_data["token"], page=page, language=language
        )
    except tokens.TokenExpired:
        return _rejected(request, guards.Rejection(400, guards.NOT_ACCEPTED, guards.EXPIRED))
    except tokens.TokenInvalid:
        return _rejected(request, guards.Rejection(400, guards.NOT_ACCEPTED, guards.INVALID))
    useful = form.cleaned_data["useful"] == "yes"
    recorded = services.vote_record(
        page=page, language=language, content_version=version, useful=useful
    )
    if useful:
        return _see_other(reverse("feedback:thanks") + "?" + urlencode({"back": page}))
    token = tokens.comment_token(vote_id=recorded.pk)
    return _see_other(reverse("feedback:comment") + "?" + urlencode({"t": token}))


def _comment_vote(token):
    """(vote id, None), or (None, the rejection) for a bad or expired comment token."""
    try:
        return tokens.comment_token_vote(token), None
    except tokens.TokenExpired:
        return None, guards.Rejection(400, guards.NOT_ACCEPTED, guards.EXPIRED)
    except tokens.TokenInvalid:
        return None, guards.Rejection(400, guards.NOT_ACCEPTED, guards.INVALID)


# csrf_exempt for the reason given on `vote`; the comment token is signed and bound to
# one "No" answer, which takes at most one comment.
@csrf_exempt
@never_cache
def comment(request):
    if request.method == "POST":
        rejection = guards.post_rejection(request)
        if rejection:
            return _rejected(request, rejection)
        form = CommentForm(request.POST)
    else:
        form = CommentForm(initial={"token": request.GET.get("t", "")})
    token = form.data.get("token", "") if form.is_bound else request.GET.get("t", "")
    vote_id, rejection = _comment_vote(token)
    if rejection:
        return _rejected(request, rejection)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["comment"]
        if text and not services.comment_add(vote_id=vote_id, text=text):
            return render(request, "feedback/thanks.html", {"already": True}, status=409)
        return _see_other(reverse("feedback:thanks"))
    return render(
        request,
        "feedback/comment.html",
        {"form": form, "honeypot": guards.HONEYPOT},
        status=400 if form.is_bound else 200,
    )


@never_cache
def thanks(request):
    back = page_url(request.GET.get("back", ""))
    return render(request, "feedback/thanks.html", {"back": back})
