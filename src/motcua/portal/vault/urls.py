"""URLs of the vault pages, the public verification page and shared links, included in the
`portal` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify_upload, name="verify_upload"),
    path("verify/<str:token>", views.verify, name="verify"),
    path("shared/<str:token>", views.shared, name="shared"),
    path("kho-du-lieu/", views.vault, name="vault"),
    path("kho-du-lieu/tai-len/", views.upload, name="vault_upload"),
    path("kho-du-lieu/nhat-ky-truy-cap/", views.access_log, name="vault_access_log"),
    path("kho-du-lieu/<int:pk>/", views.document, name="vault_document"),
    path("kho-du-lieu/<int:pk>/tep/", views.download, name="vault_download"),
    path("kho-du-lieu/<int:pk>/xoa/", views.remove, name="vault_remove"),
    path("kho-du-lieu/<int:pk>/chia-se/", views.share, name="vault_share"),
    path("kho-du-lieu/chia-se/<str:token>/thu-hoi/", views.revoke, name="vault_revoke"),
]
