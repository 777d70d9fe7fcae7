from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
# The user's own names and e-mail are typed on the admin's user form and shown on most pages.
USER_TEXT = {"auth.User": ("username", "first_name", "last_name", "email")}
NOT_USER_TEXT = {
    "auth.User": ("password",),
    "Profile": ("language",),
    "SingleSignOnIdentity": ("issuer", "subject"),
}


class Profile(models.Model):
    """A user's own settings that outlive a session: the language of pages, e-mails and
    PDF briefs (empty: the browser's language, else LANGUAGE_CODE)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class SingleSignOnIdentity(models.Model):
    """The account a person of the company's identity provider signs in to: their `sub`
    at that `issuer`, the one identifier OpenID Connect promises never to reuse. Matched
    first at each sign-in, so a changed e-mail address keeps the account (accounts/sso.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="one_account_per_sso_subject"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.issuer})"
