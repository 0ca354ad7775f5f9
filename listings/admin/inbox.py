"""Tips and contact messages: staff read them and mark them handled, nothing else."""

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import ContactMessage, Tip


class InboxAdmin(admin.ModelAdmin):
    # No date_hierarchy on these timestamps: on MySQL it needs the server's time zone tables.
    list_filter = ["handled", "created_at"]
    actions = ["mark_handled", "mark_unhandled"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.get_fields(request, obj) if name != "handled"]

    @admin.display(description=_("Message"))
    def short_message(self, obj):
        return Truncator(obj.message).chars(80)

    @admin.action(permissions=["change"], description=_("Mark selected as handled"))
    def mark_handled(self, request, queryset):
        count = queryset.update(handled=True)
        self.message_user(request, gettext("Marked %(count)d as handled.") % {"count": count}, messages.SUCCESS)

    @admin.action(permissions=["change"], description=_("Mark selected as not handled"))
    def mark_unhandled(self, request, queryset):
        count = queryset.update(handled=False)
        self.message_user(request, gettext("Marked %(count)d as not handled.") % {"count": count}, messages.SUCCESS)


@admin.register(Tip)
class TipAdmin(InboxAdmin):
    list_display = ["case", "short_message", "name", "created_at", "handled"]
    list_filter = ["handled", "case__case_status", "created_at"]
    search_fields = ["message", "name", "email", "phone", "case__first_name", "case__last_name"]
    list_select_related = ["case"]
    fields = ["case", "created_at", "name", "email", "phone", "message", "handled"]


@admin.register(ContactMessage)
class ContactMessageAdmin(InboxAdmin):
    list_display = ["subject", "name", "email", "created_at", "handled"]
    search_fields = ["subject", "message", "name", "email"]
    fields = ["created_at", "name", "email", "subject", "message", "handled"]
