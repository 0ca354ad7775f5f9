"""Asking for, confirming, changing and ending subscriptions.

`subscribe_*` answer nothing about the address: whether it was new, pending or
already confirmed, the caller shows the same page. A new or pending address gets
a confirmation request (at most one an hour); a confirmed one gets, at the same
pace, a reminder with its own management link instead, so nobody can change or
learn someone else's subscription by typing their address.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import mail
from .models import Subscription


def _normalise(email):
    return email.strip().lower()


def _ask(*, email, scope, defaults, pending_changes):
    email = _normalise(email)
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription, created = Subscription.objects.select_for_update().get_or_create(
                    email=email, scope=scope, defaults=defaults
                )
        except IntegrityError:
            # The same address asked twice at the same moment: the other request's row stands.
            return
        if not created and not subscription.is_confirmed:
            for field, value in pending_changes.items():
                setattr(subscription, field, value)
        if not subscription.may_send_confirmation():
            subscription.save()
            return
        subscription.confirmation_sent_at = timezone.now()
        subscription.save()
        mail.confirmation_request(subscription)


def subscribe_to_case(*, email, case, language):
    """Ask to follow a published case."""
    _ask(
        email=email,
        scope=f"case:{case.pk}",
        defaults={"case": case, "language": language},
        pending_changes={"language": language},
    )


def subscribe_to_regions(*, email, regions, frequency, language):
    """Ask for alerts about new cases in `regions` (none: the whole province)."""
    choice = {"regions": sorted(regions), "frequency": frequency, "language": language}
    _ask(email=email, scope="regions", defaults=choice, pending_changes=choice)


def confirm(subscription):
    if not subscription.is_confirmed:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def change(subscription, *, regions, frequency):
    subscription.regions = sorted(regions)
    subscription.frequency = frequency
    subscription.save(update_fields=["regions", "frequency"])
    return subscription


def unsubscribe(subscription):
    """Forget the address for this subscription; doing it again is harmless."""
    if subscription is not None:
        Subscription.objects.filter(pk=subscription.pk).delete()
