"""Fan-out of alerts to subscribers, the daily digest, and the purge of unconfirmed addresses.

Each task reads the case again: if it is no longer public when the task runs, the
alerts that would describe it are not sent (a found or withdrawn notice says only
the person's name and the fact, which followers already knew).
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listings.models import Case

from . import mail
from .models import CaseUpdate, Frequency, Subscription


@shared_task
def send_new_case_alerts(case_id):
    case = Case.objects.published().filter(pk=case_id, is_demo=False).first()
    if case is None:
        return 0
    subscriptions = Subscription.objects.for_new_case(case, frequency=Frequency.IMMEDIATE)
    for subscription in subscriptions:
        mail.alert(
            subscription,
            kind="alert_new_case",
            key=f"alert_new_case:{case.pk}:{subscription.pk}",
            subject=_("Missing: %(name)s (%(region)s)"),
            subject_params={"name": case.full_name, "region": case.get_region_display()},
            template="alerts/email/new_case.txt",
            case=case,
            case_url=f"{settings.SITE_URL}{case.get_absolute_url()}",
        )
    return len(subscriptions)


@shared_task
def send_daily_digests():
    """New cases since each daily subscriber's last digest, one e-mail each (none when nothing is new)."""
    now = timezone.now()
    sent = 0
    for subscription in Subscription.objects.confirmed().filter(case__isnull=True, frequency=Frequency.DAILY):
        since = subscription.digest_sent_at or max(subscription.confirmed_at, now - timedelta(days=1))
        cases = Case.objects.published().filter(is_demo=False, published_at__gt=since, published_at__lte=now)
        if subscription.regions:
            cases = cases.filter(region__in=subscription.regions)
        cases = list(cases.order_by("published_at"))
        if cases:
            mail.alert(
                subscription,
                kind="alert_digest",
                key=f"alert_digest:{subscription.pk}:{now:%Y%m%d%H%M}",
                subject=_("New cases on %(site)s"),
                subject_params={"site": settings.SITE_NAME},
                template="alerts/email/digest.txt",
                cases=[(case, f"{settings.SITE_URL}{case.get_absolute_url()}") for case in cases],
            )
            sent += 1
        Subscription.objects.filter(pk=subscription.pk).update(digest_sent_at=now)
    return sent


NEWS = {
    "found": {
        "subject": _("%(name)s has been found"),
        "template": "alerts/email/case_found.txt",
    },
    "withdrawn": {
        "subject": _("The appeal for %(name)s has ended"),
        "template": "alerts/email/case_withdrawn.txt",
    },
    "update": {
        "subject": _("News about %(name)s"),
        "template": "alerts/email/case_update.txt",
    },
}


@shared_task
def send_case_news(case_id, event, event_id):
    """Tell a case's followers it was found, withdrawn or updated; `event_id` names that moment once."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    update = None
    if event == "update":
        update = CaseUpdate.objects.filter(pk=event_id, case=case).first()
        if update is None or not case.is_published:
            return 0
    elif event == "found" and not (case.is_found and case.is_published):
        return 0
    news = NEWS[event]
    followers = list(Subscription.objects.following(case))
    for subscription in followers:
        mail.alert(
            subscription,
            kind=f"alert_{event}",
            key=f"alert_{event}:{event_id}:{subscription.pk}",
            subject=news["subject"],
            subject_params={"name": case.full_name},
            template=news["template"],
            case=case,
            update=update,
            case_url=f"{settings.SITE_URL}{case.get_absolute_url()}",
        )
    return len(followers)


@shared_task
def purge_unconfirmed():
    cutoff = timezone.now() - timedelta(days=settings.ALERTS_UNCONFIRMED_DAYS)
    deleted, _counts = Subscription.objects.unconfirmed_before(cutoff).delete()
    return deleted
