"""Failed log-in limits on top of django-axes.

Axes locks a username on one address after AXES_FAILURE_LIMIT failures. Alone,
that lets an attacker with many addresses make that many guesses from each; so a
username whose failures across all addresses reach AXES_USERNAME_FAILURE_LIMIT
within the cool-off is locked on every address, until the cool-off passes.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT for axes: the per-address limit, or 0 (locked everywhere)
    once the username's failures across all addresses reach their own limit."""
    from axes.models import AccessAttempt  # the axes app must be loaded first

    username = (credentials or {}).get("username") or request.POST.get("username")
    if username:
        since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
        failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
        total = failures.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if total >= settings.AXES_USERNAME_FAILURE_LIMIT:
            return 0
    return settings.AXES_ADDRESS_FAILURE_LIMIT
