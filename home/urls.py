from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("notifications/my-work-count/", views.MyWorkCountView.as_view(), name="my_work_count"),
]
