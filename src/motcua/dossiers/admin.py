from django.contrib import admin

from .models import DigitalTeamMember


@admin.register(DigitalTeamMember)
class DigitalTeamMemberAdmin(admin.ModelAdmin):
    """Who may submit dossiers for citizens (assisted submission) besides reception officers."""

    list_display = ("user", "team_name", "agency", "active")
    list_filter = ("active", "agency")
    search_fields = ("user__full_name", "user__username", "team_name")
    raw_id_fields = ("user",)
