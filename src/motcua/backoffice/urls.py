from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("dang-nhap/", views.OfficerLoginView.as_view(), name="login"),
    path("dang-xuat/", views.OfficerLogoutView.as_view(), name="logout"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<slug:action>/", views.dossier_action, name="action"),
    path("ho-so/<str:code>/tep/<uuid:file_id>/", views.dossier_file, name="file"),
    path("tiep-nhan/", views.counter, name="counter"),
    path("tiep-nhan/<str:code>/", views.counter_receive, name="counter_receive"),
]
