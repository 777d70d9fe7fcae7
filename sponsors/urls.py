from django.urls import path

from sponsors import views

app_name = "sponsors"

alliance = "alliances/<slug:slug>/sponsors/"

urlpatterns = [
    path(alliance, views.AllianceSponsorsView.as_view(), name="alliance"),
    path(f"{alliance}new/", views.SponsorshipCreateView.as_view(), name="sponsorship_create"),
    path(
        f"{alliance}<int:pk>/edit/",
        views.SponsorshipUpdateView.as_view(),
        name="sponsorship_edit",
    ),
    path(
        f"{alliance}<int:pk>/delete/",
        views.SponsorshipDeleteView.as_view(),
        name="sponsorship_delete",
    ),
    path(f"{alliance}match/", views.SponsorMatchView.as_view(), name="match"),
    path(f"{alliance}signals/new/", views.SignalCreateView.as_view(), name="signal_create"),
    path(f"{alliance}signals/<int:pk>/edit/", views.SignalUpdateView.as_view(), name="signal_edit"),
    path(
        f"{alliance}signals/<int:pk>/delete/",
        views.SignalDeleteView.as_view(),
        name="signal_delete",
    ),
    path(f"{alliance}peers/new/", views.PeerLinkCreateView.as_view(), name="peer_create"),
    path(f"{alliance}peers/<int:pk>/edit/", views.PeerLinkUpdateView.as_view(), name="peer_edit"),
    path(
        f"{alliance}peers/<int:pk>/delete/", views.PeerLinkDeleteView.as_view(), name="peer_delete"
    ),
    path("sponsors/mine/", views.MySponsorshipsView.as_view(), name="mine"),
    path("sponsors/<int:pk>/", views.SponsorProfileView.as_view(), name="profile"),
    path("sponsors/<int:pk>/edit/", views.SponsorUpdateView.as_view(), name="sponsor_edit"),
]
