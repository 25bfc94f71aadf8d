"""Admin: collection accounts are edited here; payments, notifications and receipts are
read-only records (state changes go through the services)."""

from django.contrib import admin

from .models import CollectionAccount, GatewayNotification, Payment, Receipt, Refund


@admin.register(CollectionAccount)
class CollectionAccountAdmin(admin.ModelAdmin):
    list_display = ("agency", "bank_name", "bank_bin", "account_number", "account_name")
    search_fields = ("agency__code", "agency__name", "account_number")
    raw_id_fields = ("agency",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("bill_number", "amount", "status", "method", "gateway", "created_at", "paid_at")
    list_filter = ("status", "method", "gateway")
    search_fields = ("bill_number", "transaction_id")
    date_hierarchy = "created_at"


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "gateway", "transaction_id", "bill_number", "amount", "outcome")
    list_filter = ("outcome", "gateway")
    search_fields = ("transaction_id", "bill_number")
    date_hierarchy = "received_at"


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "agency", "payer_name", "amount", "status", "issued_at")
    list_filter = ("status", "year")
    search_fields = ("payer_name", "payment__bill_number")
    inlines = [RefundInline]
