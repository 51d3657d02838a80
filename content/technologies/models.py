from django.db import models


class Category(models.TextChoices):
    """The technology types of the EFF Atlas of Surveillance, plus a catch-all."""

    ALPR = "alpr", "Automated license plate readers"
    BODY_WORN_CAMERAS = "body_worn_cameras", "Body-worn cameras"
    CAMERA_REGISTRY = "camera_registry", "Camera registry"
    CELL_SITE_SIMULATOR = "cell_site_simulator", "Cell-site simulator"
    DRONES = "drones", "Drones / unmanned aerial vehicles"
    FACE_RECOGNITION = "face_recognition", "Face recognition"
    FUSION_CENTER = "fusion_center", "Fusion center"
    GUNSHOT_DETECTION = "gunshot_detection", "Gunshot detection"
    PREDICTIVE_POLICING = "predictive_policing", "Predictive policing"
    REAL_TIME_CRIME_CENTER = "real_time_crime_center", "Real-time crime center"
    VIDEO_ANALYTICS = "video_analytics", "Video analytics"
    SOCIAL_MEDIA_MONITORING = "social_media_monitoring", "Social media monitoring"
    RING_NEIGHBORS = "ring_neighbors", "Ring/Neighbors partnership"
    THIRD_PARTY_PLATFORMS = "third_party_platforms", "Third-party investigative platforms"
    FORENSIC_EXTRACTION = "forensic_extraction", "Cell phone forensic extraction"
    ELECTRONIC_MONITORING = "electronic_monitoring", "Electronic monitoring"
    SURVEILLANCE_CAMERAS = "surveillance_cameras", "Surveillance cameras"
    OTHER = "other", "Other surveillance technology"


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
