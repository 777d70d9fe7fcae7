"""The OpenAPI schema says every answer an operation can give, errors included, so a
client (and schemathesis in CI) can check each response against it."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


ERRORS = {
    "400": OpenApiResponse(
        description="A query parameter was refused; each one is named with its messages.",
        response={
            "type": "object",
            "additionalProperties": {
                "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
            },
        },
    ),
    "401": OpenApiResponse(ErrorSerializer, description="No valid token or session."),
    "403": OpenApiResponse(ErrorSerializer, description="Signed in, but not allowed."),
    "404": OpenApiResponse(
        ErrorSerializer,
        description="No such object, or one you may not know exists (a confidential "
        "alliance outside your team), or a page past the end.",
    ),
}


class ReadOnlyApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, response in ERRORS.items():
            if status == "400" and self._is_detail():
                continue
            if status not in responses:
                responses[status] = self._get_response_for_code(
                    response, status, media_types=["application/json"]
                )
        return responses

    def _is_detail(self) -> bool:
        return not self._is_list_view()
