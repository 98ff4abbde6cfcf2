"""The API's documentation page, made from its schema on the server (no third-party script):
every operation with its parameters, what it answers, and the schemas."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .api import schema


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            tag = (operation.get("tags") or ["api"])[0]
            security = operation.get("security") or []
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p.get("name"),
                            "where": p.get("in"),
                            "required": p.get("required", False),
                            "type": (p.get("schema") or {}).get("type", ""),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": "requestBody" in operation,
                    "responses": sorted(operation.get("responses", {})),
                    "token": bool(security) and {} not in security,
                    "id": operation.get("operationId", f"{method}-{path}"),
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in sorted(groups.items())]


def docs(request: HttpRequest) -> HttpResponse:
    spec = schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": spec.get("info", {}),
            "groups": _operations(spec),
            "schemas": sorted(spec.get("components", {}).get("schemas", {})),
        },
    )
