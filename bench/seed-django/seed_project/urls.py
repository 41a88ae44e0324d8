from django.urls import re_path

from users import views

urlpatterns = [
    re_path(r"^users/$", views.CreateUserView.as_view()),
    re_path(r"^authorizations/$", views.ObtainTokenView.as_view()),
    re_path(r"^email/$", views.EmailView.as_view()),
    re_path(r"^emails/verification/$", views.VerifyEmailView.as_view()),
]
