"""URLs of the feedback pages (included in the `portal` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("phan-anh/", views.public_list, name="feedback_list"),
    path("phan-anh/gui/", views.new, name="feedback_new"),
    path("phan-anh/cua-toi/", views.my_feedback, name="my_feedback"),
    path("phan-anh/<int:pk>/", views.page, name="feedback_page"),
    path("phan-anh/<int:pk>/thao-tac/<str:action>/", views.act, name="feedback_action"),
    path(
        "phan-anh/<int:pk>/tep/<int:attachment_id>/",
        views.attachment,
        name="feedback_attachment",
    ),
]
