"""The admin's lockout page (django-axes): says when the visitor may try again.

The cool-off runs from the last failed attempt before the lockout; attempts made while
locked out do not restart it (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False).
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone


def lockout_unlocks_at(request, credentials=None):
    """When the lockout of this user name and address ends (None: only an operator can)."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    attempts = AxesDatabaseHandler().filter_user_attempts(request, credentials)
    latest = [qs.aggregate(last=Max("attempt_time"))["last"] for qs in attempts]
    latest = [moment for moment in latest if moment]
    return (max(latest) if latest else timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    unlocks_at = lockout_unlocks_at(request, credentials)
    seconds = max(0, (unlocks_at - timezone.now()).total_seconds()) if unlocks_at else None
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "failure_limit": get_failure_limit(request, credentials),
            "unlocks_at": unlocks_at,
            "minutes_left": math.ceil(seconds / 60) if seconds is not None else None,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if seconds is not None:
        response["Retry-After"] = str(math.ceil(seconds))
    return response
