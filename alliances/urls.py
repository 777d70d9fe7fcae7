from django.urls import path

from alliances import views

app_name = "alliances"

urlpatterns = [
    path("alliances/", views.AllianceListView.as_view(), name="list"),
    path("alliances/new/", views.AllianceCreateView.as_view(), name="create"),
    path("alliances/<slug:slug>/", views.AllianceDetailView.as_view(), name="detail"),
    path("alliances/<slug:slug>/edit/", views.AllianceUpdateView.as_view(), name="edit"),
    path("alliances/<slug:slug>/archive/", views.AllianceArchiveView.as_view(), name="archive"),
    path("alliances/<slug:slug>/restore/", views.AllianceRestoreView.as_view(), name="restore"),
    path("alliances/<slug:slug>/team/", views.TeamView.as_view(), name="team"),
    path(
        "alliances/<slug:slug>/team/invite/",
        views.InvitationCreateView.as_view(),
        name="invite",
    ),
    path("invitations/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation"),
    path("people/search/", views.PeopleSearchView.as_view(), name="people_search"),
    path(
        "alliances/<slug:slug>/team/<id:pk>/role/",
        views.MembershipRoleView.as_view(),
        name="member_role",
    ),
    path(
        "alliances/<slug:slug>/team/<id:pk>/remove/",
        views.MembershipRemoveView.as_view(),
        name="member_remove",
    ),
    path("alliances/<slug:slug>/kpis/new/", views.KPICreateView.as_view(), name="kpi_create"),
    path(
        "alliances/<slug:slug>/kpis/actuals/upload/",
        views.KPIActualsUploadView.as_view(),
        name="kpi_actuals_upload",
    ),
    path(
        "alliances/<slug:slug>/kpis/actuals/template.csv",
        views.KPIActualsTemplateView.as_view(),
        name="kpi_actuals_template",
    ),
    path("alliances/<slug:slug>/kpis/<id:pk>/", views.KPIHistoryView.as_view(), name="kpi_history"),
    path(
        "alliances/<slug:slug>/kpis/<id:pk>/edit/", views.KPIUpdateView.as_view(), name="kpi_edit"
    ),
    path(
        "alliances/<slug:slug>/kpis/<id:pk>/delete/",
        views.KPIDeleteView.as_view(),
        name="kpi_delete",
    ),
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/new/", views.PartnerCreateView.as_view(), name="partner_create"),
    path("partners/<id:pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partners/<id:pk>/edit/", views.PartnerUpdateView.as_view(), name="partner_edit"),
]
