"""The OpenAPI document of the JSON API, generated from the code that serves it.

Nothing here lists the routes: each operation comes from the app's URL map (path, methods, typed
path parameters), who may call it from ``authz.ROUTES``, its request body from the marshmallow
schema that validates it (the operation it runs in ``operations.OPERATIONS``), its success status
from the view, and its error answers from how errors become responses (``http/web.py``). A route
added to the API is documented as soon as it exists; only its reply shape, when it has a new one,
is written by hand (``openapi_replies``). tests/security/test_openapi_conformance.py holds the API
to this document with schemathesis.
"""
from __future__ import annotations

import inspect
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app
from marshmallow import Schema
from werkzeug.routing import IntegerConverter

from .. import authz, schemas
from ..export import FORMATS
from ..catalogue import OPERATIONS
from . import openapi_replies as replies
from .openapi_links import add_links

TITLE = "Workshop API"

# What a path parameter is when no schema field says so.
PATH_PARAMETERS = {
    "code": {"type": "string", "pattern": "^[A-Za-z0-9]{1,12}$",
             "description": "The workshop's join code (case and separators are ignored)."},
    "fmt": {"type": "string", "enum": list(FORMATS), "description": "The guide's format."},
}
# Views that read a body but name its schema neither as an operation nor as a Schema class.
BODIES: dict[str, type[Schema]] = {"api.join": schemas.Join}
# Views that only read: nothing they do can conflict with the workshop's rules.
READS = {"api.list_templates", "api.public_info", "api.snapshot", "api.audit_trail"}
# Public views that can still refuse (403): joining a workshop whose facilitator closed joining.
PUBLIC_REFUSALS = {"api.join"}

SUMMARIES = {
    "api.list_templates": "List workshop templates",
    "api.create_workshop": "Create a workshop (template defaults to think-tank)",
    "api.public_info": "What the join page shows",
    "api.join": "Join as a participant; returns a token",
    "api.snapshot": "The role-shaped snapshot for the caller's token",
    "api.delete_workshop": "Delete the workshop and every piece of its data",
    "api.audit_trail": "The audit trail",
    "api.rotate_links": "New facilitator and projector links; the old ones stop working at once",
    "api.revoke_projector": "Stop the projector link until the links are next rotated",
    "api.set_retention": "Days after closing until the workshop's personal data is anonymised",
    "api.guide": "Download the guide (recorded in the audit trail)",
    "api.review_draft": "The validation round and the draft guide as a phone shows it",
}

ERRORS = {
    "400": "The input is not valid: `error.fields` says what to fix. Nothing was changed.",
    "401": "No credential, or one that is unknown or revoked: authenticate again. Nothing was changed.",
    "403": "The credential is valid but gives no right to this, or is another workshop's. Nothing was changed.",
    "404": "No such workshop, or no such theme, item, proposal or option in it.",
    "409": "The workshop's rules refuse it now (phase, closed, budget, in use). Nothing was changed.",
    "413": "The body is larger than the server accepts.",
    "429": "Too many requests from this address; wait `Retry-After` seconds.",
}
DESCRIPTION = (
    "Run live needs-assessment workshops: everything the facilitator console can do, plus joining "
    "and voting. Authenticate with `Authorization: Bearer <token>` (the facilitator, projector or "
    "participant token); a signed-in account may use its session cookie and the `X-CSRFToken` header "
    "instead. A missing, unknown or revoked token is 401 with `WWW-Authenticate: Bearer`; a valid one "
    "without the right is 403. Every error is `{error: {code, message, fields?}}` in the caller's "
    "language, and a refused request changes nothing. Generated from the code (workshop/http/openapi.py).")


def _view(endpoint: str):
    """The view function itself, under the authorisation and rate-limit wrappers."""
    return inspect.unwrap(current_app.view_functions[endpoint])


def _names(view) -> tuple[list[str], set[str], set[int]]:
    """The operations a view performs, the names it uses and the 2xx statuses it answers with: an
    operation's route says them itself (generated from its declaration); another view's are read
    from its code, the one place that says them."""
    if hasattr(view, "operations"):
        return list(view.operations), {"_object_with"} if view.reads_body else set(), set(view.statuses)
    code = view.__code__
    constants = code.co_consts
    operations = [c for c in constants if isinstance(c, str) and c in OPERATIONS]
    statuses = {c for c in constants if isinstance(c, int) and not isinstance(c, bool) and 200 <= c < 300}
    return operations, set(code.co_names), statuses or {200}


def _body_schema(endpoint: str, view, operations: list[str], names: set[str]) -> type[Schema] | None:
    if endpoint in BODIES:
        return BODIES[endpoint]
    if operations:
        return OPERATIONS[operations[0]].schema
    for name in names:
        found = getattr(schemas, name, None) or view.__globals__.get(name)
        if isinstance(found, type) and issubclass(found, Schema):
            return found
    return None


class Builder:
    def __init__(self):
        self.plugin = MarshmallowPlugin()
        self.spec = APISpec(title=TITLE, version="1", openapi_version="3.0.3", plugins=[self.plugin],
                            info={"description": DESCRIPTION})
        self.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
        self.spec.options["security"] = [{"bearer": []}]
        for name, schema in replies.COMPONENTS.items():
            self.spec.components.schema(name, schema)
        self.bodies: dict[tuple, str] = {}

    def body(self, schema: type[Schema], exclude: tuple[str, ...]) -> dict:
        """The schema as a component, without the fields the path fills in."""
        key = (schema, exclude)
        if key not in self.bodies:
            name = schema.__name__ + ("Body" if exclude else "")
            while name in self.spec.components.schemas:
                name += "_"
            self.spec.components.schema(name, schema=schema(exclude=exclude) if exclude else schema)
            # What a schema checks beyond its fields (e.g. "change at least one thing"), stated.
            self.spec.components.schemas[name].update(getattr(schema, "OPENAPI_EXTRA", {}))
            self.bodies[key] = name
        return replies.ref(self.bodies[key])

    def parameter(self, rule, name: str, schema: type[Schema] | None) -> dict:
        field = schema._declared_fields.get(name) if schema is not None else None
        if name in PATH_PARAMETERS:
            prop = dict(PATH_PARAMETERS[name])
        elif field is not None:
            prop = self.plugin.converter.field2property(field)
            prop.pop("nullable", None)
        elif isinstance(rule._converters[name], IntegerConverter):
            prop = {"type": "integer", "minimum": 0}
        else:
            prop = {"type": "string"}
        if isinstance(rule._converters[name], IntegerConverter):
            prop["minimum"] = max(prop.get("minimum", 0), 0)  # the route matches digits only
        description = prop.pop("description", None)
        parameter = {"name": name, "in": "path", "required": True, "schema": prop}
        return {**parameter, "description": description} if description else parameter

    def operation(self, rule, method: str) -> tuple[dict, list[str]]:
        endpoint = rule.endpoint
        view = _view(endpoint)
        operations, names, statuses = _names(view)
        schema = _body_schema(endpoint, view, operations, names)
        reads_body = "_body" in names or "_object_with" in names or (schema is not None and not operations)
        path_names = [n for n in rule.arguments if n in rule._converters]
        path_names.sort(key=lambda n: rule.rule.index(f":{n}>") if f":{n}>" in rule.rule else rule.rule.index(f"<{n}>"))
        roles = authz.ROUTES[endpoint].roles
        public = authz.ANONYMOUS in roles
        doc = " ".join((view.__doc__ or "").strip().split("\n\n")[0].split())
        summary = SUMMARIES.get(endpoint) or doc or endpoint.split(".", 1)[1].replace("_", " ")
        who = "anyone" if public else ", ".join(r for r in authz.ROLES if r in roles)
        operation: dict = {
            "operationId": endpoint.split(".", 1)[1],
            "summary": summary,
            "description": f"Who may call it: {who}." + (f" {doc}" if doc and doc != summary else ""),
            "parameters": [self.parameter(rule, name, schema) for name in path_names],
            "responses": {},
        }
        if public:
            operation["security"] = []
        if reads_body and schema is not None:
            exclude = tuple(sorted(n for n in path_names if n in schema._declared_fields))
            required = any(f.required for n, f in schema._declared_fields.items() if n not in exclude)
            operation["requestBody"] = {"required": required, "content": {
                "application/json": {"schema": self.body(schema, exclude)}}}
        for status in sorted(statuses):
            operation["responses"][str(status)] = self.success(endpoint, operations, status, statuses)
        for status in self.errors(endpoint, public, path_names, reads_body and schema is not None, operations):
            operation["responses"][status] = self.error(status)
        return operation, path_names

    @staticmethod
    def success(endpoint: str, operations: list[str], status: int, statuses: set[int]) -> dict:
        if endpoint == "api.guide":
            return {"description": "The guide as a download, in the format's media type.",
                    "headers": {"Content-Disposition": {"required": True, "schema": {"type": "string"}}},
                    "content": replies.guide_content()}
        reply = (replies.OPERATION_REPLIES.get(operations[0]) if operations else None) \
            or replies.VIEW_REPLIES.get(endpoint) or replies.GENERIC
        description = "Created." if status == 201 else "Done."
        if status == 200 and 201 in statuses:
            description = "A resend of a client_id already stored: nothing changed (`duplicate: true`)."
        return {"description": description, "content": {"application/json": {"schema": reply}}}

    @staticmethod
    def errors(endpoint: str, public: bool, path_names: list[str], has_body: bool, operations: list[str]):
        codes = {"429"}
        if "code" in path_names:
            codes.add("404")
        if has_body or len(path_names) > 1 or operations:
            codes.add("400")
        if has_body:
            codes.add("413")
        if not public:
            codes |= {"401", "403"}
        elif endpoint in PUBLIC_REFUSALS:
            codes.add("403")
        if endpoint not in READS:
            codes.add("409")
        return sorted(codes)

    @staticmethod
    def error(status: str) -> dict:
        response: dict = {"description": ERRORS[status], "content": {"application/json": {
            "schema": replies.ref("Error")}}}
        if status == "401":
            response["headers"] = {"WWW-Authenticate": {
                "description": "`Bearer realm=\"workshop\"`, with `error=\"invalid_token\"` when one was sent.",
                "required": True, "schema": {"type": "string", "pattern": "^Bearer "}}}
        if status == "429":
            response["headers"] = {"Retry-After": {"description": "Seconds to wait before trying again.",
                                                   "required": True, "schema": {"type": "integer", "minimum": 0}}}
        return response


def _openapi_path(rule) -> str:
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)


def api_rules(app) -> list:
    """The JSON API's routes: every rule of the ``api`` blueprint but the document itself."""
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"),
                  key=lambda rule: rule.rule)


def build_spec() -> dict:

    builder = Builder()
    paths: dict[str, dict] = {}
    for rule in api_rules(current_app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation, _ = builder.operation(rule, method)
            paths.setdefault(_openapi_path(rule), {})[method.lower()] = operation
    add_links(paths)
    for path, operations in paths.items():
        builder.spec.path(path=path, operations=operations)
    return builder.spec.to_dict()
