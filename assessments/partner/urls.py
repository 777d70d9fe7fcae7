from django.urls import path

from assessments.partner import views

app_name = "partner"

LINK = "partner/<str:token>/"

urlpatterns = [
    path(LINK, views.PartnerFillView.as_view(), name="fill"),
    path(LINK + "answers/<id:qid>/", views.PartnerAnswerView.as_view(), name="answer"),
    path(LINK + "submit/", views.PartnerSubmitView.as_view(), name="submit"),
    path(LINK + "copy/", views.PartnerCopyView.as_view(), name="copy"),
    path(LINK + "copy.pdf", views.PartnerCopyPdfView.as_view(), name="copy_pdf"),
    path(LINK + "joint.pdf", views.PartnerJointPdfView.as_view(), name="joint_pdf"),
]
