from django.views import View

from alliances.views import AllianceMixin
from decisions import exports
from kit.spreadsheets import csv_response, download_name, xlsx_response


class FindingsExportView(AllianceMixin, View):
    """The alliance's findings and the decision's conditions to proceed."""

    http_method_names = ["get"]

    def get(self, request, *args, fmt, **kwargs):
        name = download_name(self.alliance.slug, "findings")
        if fmt == "csv":
            return csv_response(
                name, exports.findings_csv_header(), exports.findings_csv_rows(self.alliance)
            )
        return xlsx_response(name, exports.findings_sheets(self.alliance))
