"""Turning documents into text and text into answers: ingestion, extraction and OCR, the
index documents, the database and Elasticsearch backends, the query language, the outbox
that keeps an index in step, and the search views.
"""
