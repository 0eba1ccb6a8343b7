"""/settings/hooks: the account's REST hooks (subscribe, unsubscribe) and each one's delivery
log, where a delivery can be sent again."""

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pillbox.domain import hooks as domain
from pillbox.domain.base import require_admin
from pillbox.errors import NotFound
from pillbox.store import hooks as store
from pillbox.store.accounts import Principal
from pillbox.store.listing import Listing
from pillbox.web.kit import Viewer, database, path_id, redirect, render
from pillbox.web.settings_kit import (
    Collection,
    Input,
    Item,
    SettingsPage,
    admin_screen,
    page_routes,
)

MAX_HOOKS = 1000
DELIVERIES_SHOWN = 100


def _hooks(conn: sa.Connection, who: Principal) -> list[Item]:
    ids = store.page_ids(conn, who.account_id, Listing(None, 0, MAX_HOOKS))
    found = store.load(conn, who.account_id, ids) if ids else {}
    return [
        Item(
            i,
            f"{found[i].event} to {found[i].target_url}",
            {},
            notes=[found[i].description] if found[i].description else [],
            link=(f"/settings/hooks/{i}", "Deliveries"),
        )
        for i in ids
        if i in found
    ]


HOOKS = Collection(
    key="hooks",
    title="REST hooks",
    noun="hook",
    resource=domain.RESOURCE,
    model=domain.RestHookInput,
    inputs=(
        Input("event", "Event", kind="select", choices=[(e, e) for e in domain.EVENTS]),
        Input("targetUrl", "Target URL"),
        Input("description", "Description"),
        Input("embed", "Embed (comma-separated, e.g. tags,fields)"),
    ),
    load=_hooks,
    create=domain.create_hook,
    delete=domain.delete_hook,
    delete_verb="Unsubscribe",
    delete_warning="The hook and its deliveries, sent or not, go at once.",
)

HOOKS_PAGE = SettingsPage(
    "/settings/hooks",
    "REST hooks",
    "Addresses told of changes to records as they happen, each delivery signed with the hook's "
    "secret (shown through the API).",
    (HOOKS,),
)


def _deliveries(conn: sa.Connection, who: Principal, hook_id: int) -> tuple[object, list[object]]:
    require_admin(who)
    hook = store.load(conn, who.account_id, [hook_id]).get(hook_id)
    if hook is None:
        raise NotFound()
    ids = store.delivery_ids(conn, hook_id, 0, DELIVERIES_SHOWN)
    found = store.load_deliveries(conn, who.account_id, ids) if ids else {}
    return hook, [found[i] for i in ids if i in found]


async def show_deliveries(request: Request, viewer: Viewer) -> Response:
    hook, deliveries = await database(request).read(_deliveries, viewer.principal, path_id(request))
    return render(
        request, "settings_hook.html", viewer, hook=hook, deliveries=deliveries, failed=store.FAILED
    )


async def redeliver(request: Request, viewer: Viewer) -> Response:
    hook_id, delivery_id = path_id(request), path_id(request, "delivery")
    await database(request).write(domain.redeliver, viewer.principal, hook_id, delivery_id)
    return redirect(f"/settings/hooks/{hook_id}")


ROUTES = [
    *page_routes(HOOKS_PAGE),
    Route("/settings/hooks/{id}", admin_screen(show_deliveries), methods=["GET"]),
    Route(
        "/settings/hooks/{id}/deliveries/{delivery}/redeliver",
        admin_screen(redeliver),
        methods=["POST"],
    ),
]
