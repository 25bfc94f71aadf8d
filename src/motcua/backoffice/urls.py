from django.urls import path

from . import feedback, views

app_name = "backoffice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("dang-nhap/", views.OfficerLoginView.as_view(), name="login"),
    path("xac-thuc-hai-lop/", views.second_factor_page, name="second_factor"),
    path("dang-xuat/", views.OfficerLogoutView.as_view(), name="logout"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<slug:action>/", views.dossier_action, name="action"),
    path("ho-so/<str:code>/tep/<uuid:file_id>/", views.dossier_file, name="file"),
    path("ho-so/<str:code>/thu-phi/", views.dossier_collect, name="collect"),
    path(
        "ho-so/<str:code>/bien-lai/<int:receipt_id>/huy/",
        views.receipt_cancel,
        name="receipt_cancel",
    ),
    path(
        "ho-so/<str:code>/bien-lai/<int:receipt_id>/hoan-tien/",
        views.receipt_refund,
        name="receipt_refund",
    ),
    path("thu-phi/", views.collections, name="collections"),
    path("tiep-nhan/", views.counter, name="counter"),
    path("tiep-nhan/<str:code>/", views.counter_receive, name="counter_receive"),
    path("phan-anh/", feedback.inbox, name="feedback_inbox"),
    path("phan-anh/<int:pk>/", feedback.detail, name="feedback"),
    path("phan-anh/<int:pk>/thao-tac/<slug:action>/", feedback.act, name="feedback_action"),
    path("phan-anh/<int:pk>/tep/<int:attachment_id>/", feedback.attachment, name="feedback_file"),
]
