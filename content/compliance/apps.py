from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "content.compliance"
    label = "compliance"
    verbose_name = "Compliance"
