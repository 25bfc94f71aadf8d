from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Representation


@admin.register(get_user_model())
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["=username", "=id_number", "full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "id_number", "phone", "email")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )


class RepresentationInline(admin.TabularInline):
    model = Representation
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "title", "status", "declared_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["tax_code", "name", "address"]
    search_fields = ["=tax_code", "name"]
    inlines = [RepresentationInline]


@admin.register(Representation)
class RepresentationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "title", "status", "declared_at"]
    list_filter = ["status"]
    search_fields = ["=organisation__tax_code", "organisation__name", "=user__id_number"]
    autocomplete_fields = ["user", "organisation"]
    actions = ["mark_verified"]

    @admin.action(description=_("Đánh dấu đã xác minh"))
    def mark_verified(self, request, queryset):
        queryset.update(status=Representation.Status.VERIFIED)
