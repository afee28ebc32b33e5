"""`{% page_feedback %}`: the question at the end of a page, placed once in base.html.

It decides itself whether the page is asked (pages.ASKED) so the shared template needs no
condition; error pages are never asked, whatever view raised them.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

from guidance.version import content_version

from .. import guards, tokens
from ..pages import asked, page_key

register = template.Library()

ERROR_TEMPLATES = {"400.html", "403.html", "404.html", "500.html"}


@register.simple_tag(takes_context=True)
def page_feedback(context):
    request = context.get("request")
    top = getattr(context, "template", None)
    if request is None or not asked(getattr(request, "resolver_match", None)):
        return ""
    if top is not None and top.origin.template_name in ERROR_TEMPLATES:
        return ""
    language = get_language()
    page = page_key(request.path, language)
    if page is None:
        return ""
    token = tokens.page_token(page=page, language=language, content_version=content_version())
    return render_to_string(
        "feedback/form.html",
        {"page": page, "token": token, "honeypot": guards.HONEYPOT},
    )
