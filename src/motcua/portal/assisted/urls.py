"""URLs of assisted submission ("Nộp hộ"), included in the `portal` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("nop-ho/", views.home, name="assisted_home"),
    path("nop-ho/<str:code>/", views.start, name="assisted_start"),
    path("nop-ho/<str:code>/dong-y/", views.consent, name="assisted_consent"),
    path("nop-ho/ho-so/<str:code>/", views.dossier, name="assisted_dossier"),
    path("nop-ho/ho-so/<str:code>/da-nop/", views.submitted, name="assisted_submitted"),
    path("nop-ho/ho-so/<str:code>/bo-sung/", views.supplement, name="assisted_supplement"),
]
