"""Building blocks of the staff JSON API (Django REST framework), used by every app's
`api.py`: who may read, how lists are paginated."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.viewsets import ReadOnlyModelViewSet

from .access import is_staff_user
from .models import AccessLogEntry
from .privacy import log_access

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
    """A read-only endpoint. Where it serves personal data, `people_of(obj)` names the people
    each object concerns, and every successful answer is written to the access log with them."""

    access = TOKEN
    permission_classes = [ModelViewPermission]
    pagination_class = Pagination
    people_of = None

    def get_serializer(self, *args, **kwargs):
        if args:
            instance = args[0]
            many = kwargs.get("many", False)
            self._served = list(instance) if many else [instance]
        return super().get_serializer(*args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        served = getattr(self, "_served", None)
        if self.people_of is not None and served is not None and response.status_code == 200:
            model = self.get_queryset().model
            person_ids = [pk for obj in served for pk in self.people_of(obj)]
            log_access(
                request,
                action=AccessLogEntry.Action.EXPORT,
                subject_type=f"{model._meta.app_label}.{model._meta.model_name}",
                subject_id=self.kwargs.get("pk", ""),
                person_ids=person_ids,
                description=f"API: {len(served)} {model._meta.verbose_name_plural}",
            )
        return response
