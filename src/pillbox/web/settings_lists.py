"""/settings/task-categories and /settings/activity-types: the categories tasks are filed under
(with their colours) and the kinds of activity a note records."""

from typing import Any

import sqlalchemy as sa
from starlette.datastructures import FormData

from pillbox.domain import activity_types, task_categories
from pillbox.store import activity_types as type_store
from pillbox.store import task_categories as category_store
from pillbox.store.accounts import Principal
from pillbox.web.forms import optional
from pillbox.web.settings_kit import Collection, Input, Item, SettingsPage, page_routes

MAX_ROWS = 1000


def _categories(conn: sa.Connection, who: Principal) -> list[Item]:
    return [
        Item(row.id, row.name, {"name": row.name, "colour": row.colour})
        for row in category_store.listed(conn, who.account_id, MAX_ROWS)
    ]


CATEGORIES = Collection(
    key="task-categories",
    title="Task categories",
    noun="category",
    resource=task_categories.RESOURCE,
    model=task_categories.CategoryInput,
    inputs=(Input("name", "Name"), Input("colour", "Colour", kind="colour")),
    load=_categories,
    create=task_categories.create_category,
    update=task_categories.update_category,
    delete=task_categories.delete_category,
    delete_warning="Tasks of this category keep their place, without a category.",
)


def _icon(form: FormData, name: str) -> Any:
    chosen = optional(form, name)
    return {"id": chosen} if chosen is not None else None


def _types(conn: sa.Connection, who: Principal) -> list[Item]:
    built_in = [
        Item(
            t.id,
            t.name,
            {},
            notes=["built in", activity_types.ICONS[t.icon_id].display_name],
            locked=True,
        )
        for t in activity_types.BUILT_IN.values()
    ]
    ids = type_store.page_ids(conn, who.account_id, 0, MAX_ROWS)
    found = type_store.load(conn, who.account_id, ids) if ids else {}
    own = [
        Item(
            i,
            found[i].name,
            {
                "name": found[i].name,
                "icon": found[i].icon_id,
                "updateLastContacted": found[i].update_last_contacted,
            },
        )
        for i in ids
        if i in found
    ]
    return built_in + own


ACTIVITY_TYPES = Collection(
    key="activity-types",
    title="Activity types",
    noun="activity type",
    resource=activity_types.RESOURCE,
    model=activity_types.ActivityTypeInput,
    inputs=(
        Input("name", "Name"),
        Input(
            "icon",
            "Icon",
            kind="select",
            read=_icon,
            choices=[(icon.id, icon.display_name) for icon in activity_types.ICONS.values()],
            errors=("icon.id",),
        ),
        Input("updateLastContacted", "Logging one counts as contact", kind="checkbox"),
    ),
    load=_types,
    create=activity_types.create_activity_type,
    update=activity_types.update_activity_type,
    delete=activity_types.delete_activity_type,
    delete_warning="Notes of this type are kept, as plain notes.",
)

CATEGORIES_PAGE = SettingsPage(
    "/settings/task-categories",
    "Task categories",
    "What tasks are filed under, each with a colour.",
    (CATEGORIES,),
)
ACTIVITY_TYPES_PAGE = SettingsPage(
    "/settings/activity-types",
    "Activity types",
    "What a note on a record can stand for. The built-in ones cannot change.",
    (ACTIVITY_TYPES,),
)

ROUTES = [*page_routes(CATEGORIES_PAGE), *page_routes(ACTIVITY_TYPES_PAGE)]
