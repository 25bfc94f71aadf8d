from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    path("dang-ky/", views.sign_up, name="signup"),
    path("xac-nhan/", views.confirm, name="confirm"),
    path("xac-nhan/gui-lai/", views.confirm_resend, name="confirm_resend"),
    path("quen-mat-khau/", views.reset_start, name="reset"),
    path("quen-mat-khau/dat-lai/", views.reset_complete, name="reset_complete"),
    path("dinh-danh/", views.oidc_start, name="oidc_start"),
    path("dinh-danh/ve/", views.oidc_callback, name="oidc_callback"),
    path("lien-he/", views.contacts, name="contacts"),
    path("lien-he/xac-nhan/", views.contacts_confirm, name="contacts_confirm"),
    path("to-chuc/", views.organisations, name="organisations"),
    path("to-chuc/<int:pk>/xoa/", views.organisation_withdraw, name="organisation_withdraw"),
]
