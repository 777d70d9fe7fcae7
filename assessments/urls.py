from django.urls import path

from assessments import copy_views, views
from assessments.partner import manage_views as partner

app_name = "assessments"

A = "alliances/<slug:slug>/assessments/"
ONE = A + "<id:pk>/"
MINE = ONE + "responses/<id:rid>/"

urlpatterns = [
    path(A, views.AssessmentListView.as_view(), name="list"),
    path(A + "new/", views.AssessmentStartView.as_view(), name="start"),
    path(A + "intervals/", views.ReassessmentIntervalsView.as_view(), name="intervals"),
    path(ONE, views.AssessmentDetailView.as_view(), name="detail"),
    path(ONE + "assessors/", views.AssessorsView.as_view(), name="assessors"),
    path(ONE + "results/", views.ResultsView.as_view(), name="results"),
    path(ONE + "history/", views.HistoryView.as_view(), name="history"),
    path(ONE + "answers.<sheet:fmt>", views.AnswersExportView.as_view(), name="export_answers"),
    path(ONE + "results.<sheet:fmt>", views.ResultsExportView.as_view(), name="export_results"),
    path(ONE + "reassess/", views.ReassessView.as_view(), name="reassess"),
    path(ONE + "delete/", views.AssessmentDeleteView.as_view(), name="delete"),
    path(ONE + "findings/<id:fid>/", views.FindingView.as_view(), name="finding"),
    path(ONE + "findings/<id:fid>/condition/", views.ConditionView.as_view(), name="condition"),
    path(ONE + "partner/invite/", partner.PartnerInviteView.as_view(), name="partner_invite"),
    path(
        ONE + "partner/<id:iid>/resend/",
        partner.InvitationResendView.as_view(),
        name="partner_resend",
    ),
    path(
        ONE + "partner/<id:iid>/revoke/",
        partner.InvitationRevokeView.as_view(),
        name="partner_revoke",
    ),
    path(
        ONE + "partner/<id:iid>/remind/",
        partner.InvitationRemindView.as_view(),
        name="partner_remind",
    ),
    path(ONE + "partner/<id:iid>/link/", partner.InvitationLinkView.as_view(), name="partner_link"),
    path(ONE + "partner/settings/", partner.PartnerSettingsView.as_view(), name="partner_settings"),
    path(ONE + "partner/joint.pdf", partner.JointViewPdfView.as_view(), name="partner_joint_pdf"),
    path(MINE, views.FillView.as_view(), name="fill"),
    path(MINE + "answers/<id:qid>/", views.AnswerView.as_view(), name="answer"),
    path(MINE + "submit/", views.SubmitView.as_view(), name="submit"),
    path(MINE + "reopen/", views.ReopenView.as_view(), name="reopen"),
    path(MINE + "copy/", copy_views.ResponseCopyView.as_view(), name="response_copy"),
    path(MINE + "copy.pdf", copy_views.ResponsePdfView.as_view(), name="response_pdf"),
]
