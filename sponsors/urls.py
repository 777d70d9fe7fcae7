from django.urls import path

from sponsors import views

app_name = "sponsors"

alliance = "alliances/<slug:slug>/sponsors/"

urlpatterns = [
    path(alliance, views.AllianceSponsorsView.as_view(), name="alliance"),
    path(f"{alliance}new/", views.SponsorshipCreateView.as_view(), name="sponsorship_create"),
    path(
        f"{alliance}<id:pk>/edit/",
        views.SponsorshipUpdateView.as_view(),
        name="sponsorship_edit",
    ),
    path(
        f"{alliance}<id:pk>/delete/",
        views.SponsorshipDeleteView.as_view(),
        name="sponsorship_delete",
    ),
    path(f"{alliance}match/", views.SponsorMatchView.as_view(), name="match"),
    path(f"{alliance}signals/new/", views.SignalCreateView.as_view(), name="signal_create"),
    path(f"{alliance}signals/<id:pk>/edit/", views.SignalUpdateView.as_view(), name="signal_edit"),
    path(
        f"{alliance}signals/<id:pk>/delete/",
        views.SignalDeleteView.as_view(),
        name="signal_delete",
    ),
    path(f"{alliance}peers/new/", views.PeerLinkCreateView.as_view(), name="peer_create"),
    path(f"{alliance}peers/<id:pk>/edit/", views.PeerLinkUpdateView.as_view(), name="peer_edit"),
    path(
        f"{alliance}peers/<id:pk>/delete/", views.PeerLinkDeleteView.as_view(), name="peer_delete"
    ),
    path("sponsors/mine/", views.MySponsorshipsView.as_view(), name="mine"),
    path("sponsors/<id:pk>/", views.SponsorProfileView.as_view(), name="profile"),
    path("sponsors/<id:pk>/edit/", views.SponsorUpdateView.as_view(), name="sponsor_edit"),
    path("sponsors/<id:pk>/propose/", views.SponsorProposeView.as_view(), name="sponsor_propose"),
    path(
        "sponsors/proposals/<id:pk>/decide/",
        views.ProposalDecideView.as_view(),
        name="proposal_decide",
    ),
]
