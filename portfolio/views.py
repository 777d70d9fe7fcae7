"""The portfolio page and its exports: managers and executives only (alliances.access),
each showing only the alliances the reader may see."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from alliances.access import can_see_portfolio
from kit.spreadsheets import csv_response, xlsx_response
from portfolio import exports
from portfolio.forms import PortfolioFilterForm
from portfolio.selectors import build_portfolio, verdict_totals


class PortfolioMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_see_portfolio(request.user):
            raise PermissionDenied(_("The portfolio is for alliance managers and executives."))
        self.form = PortfolioFilterForm(request.GET or None)
        self.valid = self.form.is_valid() if request.GET else True
        return super().dispatch(request, *args, **kwargs)

    def filters(self) -> dict:
        return self.form.cleaned_data if self.form.is_bound else {}

    def refused(self):
        return TemplateResponse(
            self.request,
            "portfolio/portfolio.html",
            {"form": self.form, "portfolio": None},
            status=400,
        )

    def filename(self) -> str:
        return f"portfolio-{timezone.localdate():%Y-%m-%d}"


class PortfolioView(PortfolioMixin, View):
    def get(self, request):
        if not self.valid:
            return self.refused()
        portfolio = build_portfolio(request.user, self.filters())
        query = request.GET.urlencode()
        return TemplateResponse(
            request,
            "portfolio/portfolio.html",
            {
                "form": self.form,
                "portfolio": portfolio,
                "totals": verdict_totals(portfolio),
                "query": f"?{query}" if query else "",
            },
        )


class PortfolioExcelView(PortfolioMixin, View):
    def get(self, request):
        if not self.valid:
            return self.refused()
        portfolio = build_portfolio(request.user, self.filters())
        return xlsx_response(self.filename(), exports.portfolio_sheets(portfolio))


class PortfolioCSVView(PortfolioMixin, View):
    def get(self, request):
        if not self.valid:
            return self.refused()
        portfolio = build_portfolio(request.user, self.filters())
        return csv_response(
            self.filename(), exports.ALLIANCE_HEADER, exports.alliance_rows(portfolio)
        )
