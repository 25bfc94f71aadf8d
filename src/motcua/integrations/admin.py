from django.contrib import admin

from .models import LocalResident, Notification, OutboxMessage, RegistryLookup


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "dossier", "channel", "status", "attempts", "created_at", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("dossier__code",)
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "dossier", "title", "created_at", "read_at")
    search_fields = ("dossier__code", "title")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(LocalResident)
class LocalResidentAdmin(admin.ModelAdmin):
    """The residents of the local population registry (development, demo, tests)."""

    list_display = ("id_number", "full_name", "date_of_birth", "sex", "permanent_address")
    search_fields = ("id_number", "full_name")


@admin.register(RegistryLookup)
class RegistryLookupAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "purpose", "outcome")
    list_filter = ("outcome",)
    search_fields = ("id_number",)
    readonly_fields = [f.name for f in RegistryLookup._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
