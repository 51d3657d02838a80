"""Wagtail's image and document models for editorial pages, swappable from day one."""

from django.db import models
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class EditorialImage(AbstractImage):
    admin_form_fields = Image.admin_form_fields


class EditorialRendition(AbstractRendition):
    image = models.ForeignKey(EditorialImage, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class EditorialDocument(AbstractDocument):
    admin_form_fields = ("title", "file", "collection", "tags")
