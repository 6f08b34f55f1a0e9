"""The project URLs: start page, accounts, health check, admin, and each app's own URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rus.forms.accounts import CeleryPasswordResetForm, LoginForm
from rus.views import documents, mail, site

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("e-post/", mail.outgoing_mail, name="outgoing_mail"),
    path("e-post/<int:pk>/skicka-igen/", mail.outgoing_mail_resend, name="outgoing_mail_resend"),
    path("dokument/<int:pk>/", documents.document_download, name="document_download"),
    path("dokument/<int:pk>/status/", documents.document_status, name="document_status"),
    path("dokument/<int:pk>/skapa-igen/", documents.document_rerender, name="document_rerender"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("konto/logga-ut/", site.logout, name="logout"),
    path("konto/byt-losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "konto/byt-losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "konto/aterstall-losenord/",
        auth_views.PasswordResetView.as_view(form_class=CeleryPasswordResetForm),
        name="password_reset",
    ),
    path(
        "konto/aterstall-losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sprak/<str:language>/", site.choose_language, name="choose_language"),
    path("admin/", admin.site.urls),
    # Before the archive's own pages: its council pages take any slug.
    path("arkiv/rus-rapport/", include("followups.urls_public")),
    path("arkiv/", include("protocols.urls_public")),
    path("oparl/", include("oparl.urls")),
    path("sok/", include("search.urls")),
    path("", include("councils.urls")),
    path("strategi/", include("rus.urls_strategy")),
    path("", include("meetings.urls")),
    path("", include("protocols.urls")),
    path("", include("followups.urls")),
]
