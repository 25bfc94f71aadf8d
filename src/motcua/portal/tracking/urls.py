"""URLs of the citizen's pages after submission (included in the `portal` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/da-nop/", views.dossier_submitted, name="dossier_submitted"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.answer_supplement, name="answer_supplement"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views.rate, name="rate_dossier"),
    path("ho-so-cua-toi/<str:code>/ket-qua/", views.result_file, name="dossier_result"),
    path(
        "ho-so-cua-toi/<str:code>/tep/<uuid:file_id>/",
        views.component_file,
        name="dossier_component_file",
    ),
    path("thong-bao/", views.notifications, name="notifications"),
    path(
        "thong-bao/<int:notification_id>/da-doc/", views.notification_read, name="notification_read"
    ),
    path("thong-bao/da-doc-tat-ca/", views.notifications_read_all, name="notifications_read_all"),
    path("tra-cuu/", views.lookup, name="lookup"),
]
