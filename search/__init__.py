"""Turning documents into text and text into answers (see the documents-and-search issue).

The foundation stores each document's text page by page (content.documents);
extraction lives there for now and moves here with the search backends.
"""
