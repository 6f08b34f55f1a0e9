"""Account forms: login with Swedish messages, and a password reset whose mail goes through
Celery like all other mail."""

from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rus.tasks import queue_mail


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Observera att båda fälten skiljer på "
            "stora och små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat."),
    }


class CeleryPasswordResetForm(PasswordResetForm):
    """Password reset whose mail goes through the Celery mail task, like all other mail."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        queue_mail(
            template="password_reset",
            to=[to_email],
            context={
                "reset_url": f"{context['protocol']}://{context['domain']}{path}",
                "username": context["user"].get_username(),
            },
        )
