from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
# The user's own names and e-mail are typed on the admin's user form and shown on most pages.
USER_TEXT = {"auth.User": ("username", "first_name", "last_name", "email")}
NOT_USER_TEXT = {"auth.User": ("password",), "Profile": ("language",)}


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
