import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiToken


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>` with a key made under /crm/api-tokens/. Only the key's
    digest is looked up; a revoked or expired key is refused."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Give one key after “Bearer”."))
        digest = hashlib.sha256(parts[1]).hexdigest()
        token = ApiToken.objects.select_related("user").filter(digest=digest).first()
        if token is None or not token.is_active or not token.user.is_active:
            raise AuthenticationFailed(_("This key is unknown, revoked or expired."))
        if token.last_used_at is None or (timezone.now() - token.last_used_at).seconds > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return "Bearer"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the keys."""

    target_class = "crm.api_auth.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("A key made under /crm/api-tokens/."),
        }
