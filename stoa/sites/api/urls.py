from rest_framework.routers import SimpleRouter

from stoa.sites.api import views

router = SimpleRouter()
router.register("sites", views.SiteViewSet, basename="site")
router.register("zones", views.ZoneViewSet, basename="zone")
router.register("access-points", views.AccessPointViewSet, basename="accesspoint")
router.register("crowd-slots", views.CrowdSlotViewSet, basename="crowdslot")
router.register("events", views.SiteEventViewSet, basename="siteevent")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
router.register("shares", views.SiteShareViewSet, basename="siteshare")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
urlpatterns = router.urls
