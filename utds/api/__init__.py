"""The portal's read-only open API at /api/v1/ (django-ninja), composed from the apps'
public querysets."""
