# Placeholder while the membership helper builds the dashboard (replaced, not shipped).
from django.http import Http404


def dashboard(request):
    raise Http404
