"""Endpoints generated from a Resource declaration: the routes and their OpenAPI operations."""

from pillbox.api.kit.handlers import (
    action_handler,
    create_handler,
    delete_handler,
    deleted_handler,
    filter_handler,
    link_handler,
    list_handler,
    paged_list_handler,
    search_handler,
    selected_handler,
    show_handler,
    sub_list_handler,
    update_handler,
)
from pillbox.api.kit.resource import Action, Endpoint, Fetch, Link, ParentIds, Resource, SubList


def resource_endpoints(resource: Resource) -> list[Endpoint]:
    """The endpoints a resource declares; literal paths come before the `{ids}` pattern."""
    r, path, key = resource, resource.path, resource.key
    one, many = (r.singular, r.wire_schema), (r.plural, [r.wire_schema])
    endpoints = [_list_endpoint(r)] if r.page_ids is not None else []
    if r.create is not None:
        endpoints.append(
            Endpoint(
                "POST",
                path,
                create_handler(r),
                f"Create a {r.singular}",
                f"create_{key}",
                query=("embed",),
                request_root=r.singular,
                responses={201: one},
                resource=r,
            )
        )
    if r.deleted_feed:
        endpoints.append(_deleted_endpoint(r))
    if r.search_ids is not None:
        endpoints.append(
            Endpoint(
                "GET",
                f"{path}/search",
                search_handler(r),
                f"Search {_label(r)}",
                f"search_{key}",
                query=("page", "perPage", "embed", "q"),
                responses={200: many},
                resource=r,
            )
        )
    if r.filter_ids is not None:
        endpoints.append(filter_endpoint(r))
    endpoints.append(
        Endpoint(
            "GET",
            f"{path}/{{ids}}" if r.many_ids else f"{path}/{{id}}",
            show_handler(r),
            f"Show one or several {_label(r)}" if r.many_ids else f"Show a {r.singular}",
            f"show_{key}",
            query=("embed",),
            path_param="ids" if r.many_ids else "id",
            # One id answers {"party": …}; a comma-separated list answers {"parties": […]}.
            responses={200: (one, many) if r.many_ids else one},
            resource=r,
        )
    )
    if r.update is not None:
        endpoints.append(
            Endpoint(
                "PUT",
                f"{path}/{{id}}",
                update_handler(r),
                f"Update a {r.singular}",
                f"update_{key}",
                query=("embed",),
                path_param="id",
                request_root=r.singular,
                responses={200: one},
                resource=r,
            )
        )
    if r.delete is not None:
        endpoints.append(
            Endpoint(
                "DELETE",
                f"{path}/{{id}}",
                delete_handler(r),
                f"Delete a {r.singular}",
                f"delete_{key}",
                path_param="id",
                responses={202: None} if r.deletes_later else {204: None},
                resource=r,
            )
        )
    return endpoints


def filter_endpoint(r: Resource) -> Endpoint:
    """POST {path}/filters/results: a page of the records a `{"filter": …}` body selects."""
    return Endpoint(
        "POST",
        f"{r.path}/filters/results",
        filter_handler(r),
        f"Filter {_label(r)}",
        f"filter_{r.key}",
        query=("page", "perPage", "embed"),
        request_root="filter",
        request_model=r.filter_model,
        responses={200: (r.plural, [r.wire_schema])},
        resource=r,
    )


def _list_endpoint(r: Resource) -> Endpoint:
    own = (*r.list_flags, *(name for name, _ in r.list_choices), *(p.name for p in r.list_params))
    filters = ("since",) if r.since else ("name",) if r.list_by_name else ()
    return Endpoint(
        "GET",
        r.path,
        list_handler(r),
        f"List {_label(r)}",
        f"list_{r.key}",
        query=("page", "perPage", "embed", *own, *filters),
        responses={200: (r.plural, [r.wire_schema])},
        resource=r,
    )


def _label(resource: Resource) -> str:
    """ "parties", or "tags of parties" where the collection sits under another."""
    parent = resource.path.strip("/").split("/")[0]
    return resource.plural if parent == resource.plural else f"{resource.plural} of {parent}"


def _deleted_endpoint(r: Resource) -> Endpoint:
    deleted = (
        r.plural,
        [
            {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "deletedAt": {"type": "string"}},
            }
        ],
    )
    return Endpoint(
        "GET",
        f"{r.path}/deleted",
        deleted_handler(r),
        f"List deleted {r.plural}",
        f"list_deleted_{r.key}",
        query=("page", "perPage", "sinceRequired" if r.deleted_since_required else "since"),
        responses={200: deleted},
        resource=r,
    )


def sub_list_endpoint(sub: SubList, operation_id: str) -> Endpoint:
    r = sub.resource
    return Endpoint(
        "GET",
        sub.path,
        sub_list_handler(sub),
        sub.summary,
        operation_id,
        query=("page", "perPage", "embed"),
        path_param="id",
        responses={200: (r.plural, [r.wire_schema])},
        resource=r,
    )


def paged_list_endpoint(
    path: str, summary: str, operation_id: str, resource: Resource, fetch: Fetch
) -> Endpoint:
    return Endpoint(
        "GET",
        path,
        paged_list_handler(resource, fetch),
        summary,
        operation_id,
        query=("page", "perPage", "embed"),
        responses={200: (resource.plural, [resource.wire_schema])},
        resource=resource,
    )


def action_endpoint(
    path: str, summary: str, operation_id: str, resource: Resource, action: Action, status: int
) -> Endpoint:
    """POST `path` (ending in a verb after `{id}`) answered with a record, 200 or 201."""
    return Endpoint(
        "POST",
        path,
        action_handler(resource, action, status),
        summary,
        operation_id,
        query=("embed",),
        path_param="id",
        responses={status: (resource.singular, resource.wire_schema)},
        resource=resource,
    )


def link_endpoint(
    method: str, path: str, summary: str, operation_id: str, link: Link, other: str
) -> Endpoint:
    """POST/DELETE `…/{id}/…/{other}`: adds or removes a link between two records (204)."""
    return Endpoint(
        method,
        path,
        link_handler(link, other),
        summary,
        operation_id,
        path_param="id",
        extra_path_params=(other,),
        responses={204: None},
    )


def selected_endpoint(
    path: str, summary: str, operation_id: str, resource: Resource, fetch: ParentIds
) -> Endpoint:
    """GET `path` (`…/{id}/…`): a page of the `resource` records that record selects."""
    return Endpoint(
        "GET",
        path,
        selected_handler(resource, fetch),
        summary,
        operation_id,
        query=("page", "perPage", "embed"),
        path_param="id",
        responses={200: (resource.plural, [resource.wire_schema])},
        resource=resource,
    )
