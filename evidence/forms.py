from django import forms
from django.utils.translation import gettext_lazy as _

from evidence import content, services


class EvidenceFileForm(forms.Form):
    """One file; what it is comes from its bytes (evidence/content.py), not its name."""

    file = forms.FileField(
        label=_("Attach a file"),
        help_text=_("PDF, Word, Excel, PowerPoint or an image (PNG, JPEG, GIF, WebP)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(content.allowed_extensions())}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.check_upload(upload)
        return upload
