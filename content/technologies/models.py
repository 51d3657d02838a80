from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The technology types of the EFF Atlas of Surveillance, plus a catch-all."""

    ALPR = "alpr", _("Automated license plate readers")
    BODY_WORN_CAMERAS = "body_worn_cameras", _("Body-worn cameras")
    CAMERA_REGISTRY = "camera_registry", _("Camera registry")
    CELL_SITE_SIMULATOR = "cell_site_simulator", _("Cell-site simulator")
    DRONES = "drones", _("Drones / unmanned aerial vehicles")
    FACE_RECOGNITION = "face_recognition", _("Face recognition")
    FUSION_CENTER = "fusion_center", _("Fusion center")
    GUNSHOT_DETECTION = "gunshot_detection", _("Gunshot detection")
    PREDICTIVE_POLICING = "predictive_policing", _("Predictive policing")
    REAL_TIME_CRIME_CENTER = "real_time_crime_center", _("Real-time crime center")
    VIDEO_ANALYTICS = "video_analytics", _("Video analytics")
    SOCIAL_MEDIA_MONITORING = "social_media_monitoring", _("Social media monitoring")
    RING_NEIGHBORS = "ring_neighbors", _("Ring/Neighbors partnership")
    THIRD_PARTY_PLATFORMS = "third_party_platforms", _("Third-party investigative platforms")
    FORENSIC_EXTRACTION = "forensic_extraction", _("Cell phone forensic extraction")
    ELECTRONIC_MONITORING = "electronic_monitoring", _("Electronic monitoring")
    SURVEILLANCE_CAMERAS = "surveillance_cameras", _("Surveillance cameras")
    OTHER = "other", _("Other surveillance technology")


class Technology(models.Model):
    """A surveillance technology as the ordinance names it, e.g. 'Fixed ALPR cameras'."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    category = models.CharField(max_length=40, choices=Category.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "technologies"

    def __str__(self):
        return self.name
