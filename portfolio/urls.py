from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("portfolio/", views.PortfolioView.as_view(), name="page"),
    path("portfolio/export.xlsx", views.PortfolioExcelView.as_view(), name="export_xlsx"),
    path("portfolio/export.csv", views.PortfolioCSVView.as_view(), name="export_csv"),
]
