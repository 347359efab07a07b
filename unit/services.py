"""Writes of the unit's work that span rows: the library's search vector."""

from django.contrib.postgres.search import SearchVector

from core.fulltext import config_for_row

from .models import Document


def document_search_vector():
    """Title (A) and summary (B), stemmed in the document's own language."""
    config = config_for_row()
    return SearchVector("title", weight="A", config=config) + SearchVector(
        "summary", weight="B", config=config
    )


def document_refresh_search(*, document: Document) -> None:
    """Rebuild one document's search vector after its title or summary changed."""
    Document.objects.filter(pk=document.pk).update(search_vector=document_search_vector())


def documents_refresh_search() -> int:
    """Rebuild every document's search vector (after a bulk load); returns the count."""
    return Document.objects.update(search_vector=document_search_vector())
