"""The unit's own public pages: the library and the news. Thin function views; who may read
what is decided in permissions.py, the joins are carried by queries.py."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.filtering import filtered_page
from core.uploads import EXTENSIONS, download_response

from . import permissions, queries
from .filters import DocumentFilter, NewsFilter
from .models import Document

LIBRARY_PAGE_SIZE = 20
NEWS_PAGE_SIZE = 10


@require_safe
def library(request):
    base = Document.objects.visible_to(request.user).with_card_data()
    filterset, page = filtered_page(request, DocumentFilter, base, LIBRARY_PAGE_SIZE)
    context = {"filter": filterset, "page_obj": page, "documents": page.object_list}
    return render(request, "unit/document_list.html", context)


@require_safe
def document_detail(request, slug):
    queryset = queries.document_detail_queryset()
    document = permissions.get_visible_document(request.user, slug, queryset)
    context = {"document": document, "file_format": document.extension}
    return render(request, "unit/document_detail.html", context)


@require_safe
def document_download(request, slug):
    document = permissions.get_visible_document(request.user, slug, Document.objects.all())
    extension = EXTENSIONS.get(document.content_type, "")
    return download_response(
        document.file,
        filename=document.original_name or f"{document.slug}{extension}",
        content_type=document.content_type or "application/octet-stream",
    )


@require_safe
def news_list(request):
    base = queries.news_for(request.user)
    filterset, page = filtered_page(request, NewsFilter, base, NEWS_PAGE_SIZE)
    context = {"filter": filterset, "page_obj": page, "items": page.object_list}
    return render(request, "unit/news_list.html", context)


@require_safe
def news_detail(request, slug):
    item = permissions.get_visible_news(request.user, slug, queries.news_detail_queryset())
    # Only the secretariat gets this far with an unpublished item: say so on the page.
    item.is_scheduled = item.is_published and item.published_at > timezone.now()
    return render(request, "unit/news_detail.html", {"item": item})
