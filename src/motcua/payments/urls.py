from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("<str:code>/", views.pay, name="pay"),
    path("<str:code>/trang-thai/", views.status, name="status"),
    path("<str:code>/tao-ma/", views.start, name="start"),
    path("<str:code>/xac-nhan-thu-nghiem/", views.simulate, name="simulate"),
]
