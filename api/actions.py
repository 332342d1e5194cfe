"""One parameter model per lifecycle action, derived from the service's keyword parameters so the
API can never drift from ``matters.services.ACTIONS``."""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, create_model
from pydantic import ValidationError as PydanticValidationError

from matters.errors import InvalidInput
from matters.services import ACTIONS

from .errors import fields_from_errors

# Supplied by the API layer, never by the client.
_SERVER_PARAMS = frozenset({"actor", "now"})


def _params_model(action: str, service: Callable[..., Any]) -> type[BaseModel]:
    hints = typing.get_type_hints(service)
    fields: dict[str, Any] = {}
    for p in inspect.signature(service).parameters.values():
        if p.kind is not inspect.Parameter.KEYWORD_ONLY or p.name in _SERVER_PARAMS:
            continue
        fields[p.name] = (hints[p.name], ... if p.default is inspect.Parameter.empty else p.default)
    name = "".join(part.title() for part in action.split("_")) + "Params"
    model: type[BaseModel] = create_model(
        name,
        __config__=ConfigDict(extra="forbid", strict=True, title=f"{action} parameters"),
        __doc__=inspect.getdoc(service) or "",
        **fields,
    )
    return model


ACTION_PARAMS: dict[str, type[BaseModel]] = {name: _params_model(name, svc) for name, svc in ACTIONS.items()}


def read_json_object(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object; an empty body is an empty object."""
    if not request.body.strip():
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("The body is not valid JSON."), fields={"__all__": _("invalid JSON")})
    if not isinstance(body, dict):
        raise InvalidInput(
            _("The body must be a JSON object of parameters."), fields={"__all__": _("expected an object")}
        )
    return body


def parse_params(action: str, body: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments for the service, or InvalidInput naming each bad or unknown field."""
    try:
        parsed = ACTION_PARAMS[action].model_validate(body)
    except PydanticValidationError as exc:
        raise InvalidInput(
            _("Invalid parameters for “%(action)s”.") % {"action": action},
            fields=fields_from_errors(exc.errors(), strip=0),
        ) from exc
    return parsed.model_dump(exclude_unset=True)


def _describe(action: str) -> str:
    model = ACTION_PARAMS[action]
    params = [
        f"`{name}`" + ("" if f.is_required() else " (optional)") for name, f in model.model_fields.items()
    ]
    return f"- **{action}**: " + (", ".join(params) if params else "no parameters")


def actions_openapi() -> dict[str, Any]:
    """Document the body of the action endpoint as one of the per-action parameter objects."""
    schemas = []
    for action, model in ACTION_PARAMS.items():
        schema = model.model_json_schema()
        schema["title"] = f"{action}"
        schemas.append(schema)
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": {"oneOf": schemas}}},
        }
    }


ACTIONS_DESCRIPTION = (
    "Take one step of the lifecycle. The body is a JSON object with the parameters of that action "
    "(unknown names are refused with 422); `expected_version` (the matter's `version` as you read it) "
    "makes the call fail with 409 if someone changed the matter meanwhile.\n\n"
    + "\n".join(_describe(a) for a in ACTION_PARAMS)
)
