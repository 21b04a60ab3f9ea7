"""Building blocks of the staff JSON API (Django REST framework), used by every app's
`api.py`: who may read, how lists are paginated."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.viewsets import ReadOnlyModelViewSet

from .access import is_staff_user

# core.access-style declaration: these views answer API keys only.
TOKEN = "api key"  # noqa: S105 - a label, not a secret


class ModelViewPermission(BasePermission):
    """Staff whose role may view the model the endpoint lists (`app.view_model`)."""

    def has_permission(self, request, view):
        model = view.get_queryset().model
        perm = f"{model._meta.app_label}.view_{model._meta.model_name}"
        return is_staff_user(request.user) and request.user.has_perm(perm)


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ReadOnlyApiViewSet(ReadOnlyModelViewSet):
    access = TOKEN
    permission_classes = [ModelViewPermission]
    pagination_class = Pagination
