from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("alerts/", views.RegionAlertView.as_view(), name="regions"),
    path("alerts/requested/", views.RequestedView.as_view(), name="requested"),
    path("alerts/mine/", views.MyAlertsView.as_view(), name="mine"),
    path("alerts/follow/<slug:slug>/", views.FollowCaseView.as_view(), name="follow"),
    path("alerts/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("alerts/manage/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("alerts/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
