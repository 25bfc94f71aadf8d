from django.contrib import admin

from .models import Feedback, FeedbackEvent, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: ratings are the citizens' own words."""

    list_display = ("dossier", "score", "rated_at", "changed_at")
    list_filter = ("score",)
    search_fields = ("dossier__code",)
    readonly_fields = [f.name for f in Rating._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FeedbackEventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ("seq", "at", "actor_name", "actor_role", "action", "from_status", "to_status")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only: every change goes through `feedback.services.perform`."""

    list_display = ("id", "title", "agency", "status", "received_at", "overdue")
    list_filter = ("status", "category", "overdue")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Feedback._meta.fields]
    inlines = [FeedbackEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
