from django.contrib.auth import views as auth_views
from django.urls import path

from . import account_views
from .permissions import public

app_name = "account"

urlpatterns = [
    path("", account_views.account_home, name="home"),
    path("login/", public(account_views.LoginView.as_view()), name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("verify/", account_views.verify, name="verify"),
]
