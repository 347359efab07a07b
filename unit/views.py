"""The unit's own pages: the library and the news (public), and the secretariat's messages
to the coordinators (write, preview, send). Thin function views; who may read what is
decided in permissions.py, the joins are carried by queries.py, the writes by services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.filtering import filtered_page
from core.uploads import EXTENSIONS, download_response

from . import permissions, queries, services
from .filters import DocumentFilter, NewsFilter
from .forms import NetworkMessageForm
from .models import Document, NetworkMessage

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


# --- Messages to the coordinators (the secretariat) -----------------------------------------


@login_required
@require_safe
def message_list(request):
    permissions.check_can_write_to_network(request.user)
    context = {"network_messages": queries.messages_for_secretariat()}
    return render(request, "unit/message_list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def message_write(request, pk=None):
    """A new message, or a draft edited; saved as a draft, then previewed before sending."""
    if pk is None:
        permissions.check_can_write_to_network(request.user)
        message = NetworkMessage()
    else:
        message = permissions.get_message(request.user, pk)
        if not message.is_draft:
            return redirect(message)  # a sent message is only read
    form = NetworkMessageForm(request.POST or None, instance=message)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_save(message=form.save(commit=False), by=request.user)
        except services.MessageAlreadySent:
            messages.warning(request, _("This message was sent meanwhile: it was not changed."))
        return redirect(message)
    return render(request, "unit/message_form.html", {"form": form, "message": message})


@login_required
@require_safe
def message_detail(request, pk):
    """The preview of a draft (recipients, each language's text), or the record of a sent one."""
    message = permissions.get_message(request.user, pk)
    preview = queries.message_preview(message, with_recipients=message.is_draft)
    context = {"message": message, **preview}
    if not message.is_draft:
        context["deliveries"] = list(queries.message_deliveries(message))
    return render(request, "unit/message_detail.html", context)


@login_required
@require_POST
def message_send(request, pk):
    message = permissions.get_message(request.user, pk)
    result = services.message_send(message_id=message.pk, by=request.user)
    if result is services.SendResult.QUEUED:
        messages.success(request, _("The message is being sent, one e-mail per coordinator."))
    elif result is services.SendResult.ALREADY:
        messages.info(request, _("This message was sent already: nobody gets it twice."))
    else:
        messages.error(request, _("No coordinator matches these recipients: nothing was sent."))
    return redirect(message)
