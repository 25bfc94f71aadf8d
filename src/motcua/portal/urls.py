from django.urls import path

from . import views
from .assisted import urls as assisted_urls
from .feedback import urls as feedback_urls
from .submission import views as submission
from .tracking import urls as tracking_urls
from .vault import urls as vault_urls

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:code>/nop-ho-so/", submission.procedure_submit, name="procedure_submit"),
    path("nop-ho-so/", submission.draft_list, name="draft_list"),
    path("nop-ho-so/xa-phuong/", submission.communes, name="communes"),
    path("nop-ho-so/<int:pk>/", submission.draft, name="draft"),
    path("nop-ho-so/<int:pk>/trang/<int:number>/", submission.draft_page, name="draft_page"),
    path("nop-ho-so/<int:pk>/giay-to/", submission.draft_attachments, name="draft_attachments"),
    path("nop-ho-so/<int:pk>/kiem-tra/", submission.draft_check, name="draft_check"),
    path("nop-ho-so/<int:pk>/xoa/", submission.draft_discard, name="draft_discard"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
    *tracking_urls.urlpatterns,
    *assisted_urls.urlpatterns,
    *feedback_urls.urlpatterns,
    *vault_urls.urlpatterns,
]
