"""Ingestion: how every file enters the portal. Callers use ingest_document and catch
IngestionError, whose message is written for the person who uploaded the file."""

from search.ingestion.errors import IngestionError
from search.ingestion.service import ingest_document

__all__ = ["IngestionError", "ingest_document"]
