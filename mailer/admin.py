"""The delivery log in the admin: read-only, with a way to send failed messages again."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import outbox
from .models import Delivery, DeliveryStatus


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient_list", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["subject", "recipients", "key"]
    # The body (a password reset link, a contact message) is never shown: the log says who, what and when.
    fields = ["key", "kind", "recipients", "subject", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("recipients"))
    def recipient_list(self, delivery):
        return ", ".join(delivery.recipients)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(permissions=["view"], description=_("Send the selected failed messages again"))
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
        with transaction.atomic():
            Delivery.objects.filter(pk__in=failed).update(status=DeliveryStatus.QUEUED, last_error="")
            for delivery_id in failed:
                transaction.on_commit(lambda delivery_id=delivery_id: outbox.dispatch(delivery_id), robust=True)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", len(failed))
            % {"count": len(failed)},
            messages.SUCCESS,
        )
