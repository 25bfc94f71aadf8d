from django.contrib import admin

from motcua.core.admin import ReadOnlyAdmin

from .models import Feedback, FeedbackEvent, Rating


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    """Read-only: ratings are the citizens' own words."""

    list_display = ("dossier", "score", "rated_at", "changed_at")
    list_filter = ("score",)
    search_fields = ("dossier__code",)
    readonly_fields = [f.name for f in Rating._meta.fields]


class FeedbackEventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ("seq", "at", "actor_name", "actor_role", "action", "from_status", "to_status")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through `feedback.services.perform`."""

    list_display = ("id", "title", "agency", "status", "received_at", "overdue")
    list_filter = ("status", "category", "overdue")
    search_fields = ("title",)
    readonly_fields = [f.name for f in Feedback._meta.fields]
    inlines = [FeedbackEventInline]
