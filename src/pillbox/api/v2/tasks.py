"""/api/v2/tasks: the account's tasks, open ones by default, soonest due first."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.kit import params as kit_params
from pillbox.api.v2.schemas import BOOLEAN, CATEGORY, INTEGER, STRING, nullable, obj
from pillbox.domain import tasks as domain
from pillbox.store import tasks as store
from pillbox.wire import renderers

TASK_SCHEMA = obj(
    {
        "id": INTEGER,
        "category": {"oneOf": [CATEGORY, {"type": "null"}]},
        "description": STRING,
        "detail": nullable("string"),
        "dueTime": nullable("string"),
        "status": {"enum": ["OPEN", "COMPLETED", "PENDING"]},
        "party": {"type": ["object", "null"]},
        "opportunity": {"type": ["object", "null"]},
        "owner": {"type": ["object", "null"]},
        "daysAfter": nullable("integer"),
        "taskDelayRule": {"enum": ["TRACK_START", "END_DATE", "LAST_TASK", None]},
        "nextTask": {"type": ["object", "null"]},
        "active": BOOLEAN,
        "createdAt": STRING,
        "updatedAt": STRING,
        "dueOn": STRING,
        "completedBy": nullable("string"),
        "completedAt": nullable("string"),
        "kase": {"type": ["object", "null"]},
        "taskDayDelayRule": {"enum": ["TRACK_DAYS", "TRACK_WORKDAYS", "TRACK_WEEKS"]},
        "overrideToCurrentUser": {"type": ["boolean", "null"]},
        "repeat": {
            "oneOf": [
                obj(
                    {
                        "interval": INTEGER,
                        "frequency": {"enum": ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]},
                        "on": nullable("string"),
                    }
                ),
                {"type": "null"},
            ]
        },
        "hasTrack": BOOLEAN,
    }
)

TASKS = Resource(
    singular="task",
    plural="tasks",
    embeds=frozenset({"party", "opportunity", "kase", "owner", "nextTask"}),
    render=renderers.TASK,
    page_ids=store.page_ids,
    wire_schema=TASK_SCHEMA,
    input_model=domain.TaskInput,
    create=domain.create_task,
    update=domain.update_task,
    delete=domain.delete_task,
    deleted_feed=False,
    list_flags=("repeating",),
    list_params=(
        kit_params.subset("status", ("open", "completed", "pending"), default=("open",)),
        kit_params.positive_id("owner", "Only the tasks of this user."),
        kit_params.positive_id("category", "Only the tasks in this category."),
        kit_params.day("dueFrom", "Only tasks due on or after this date."),
        kit_params.day("dueTo", "Only tasks due on or before this date."),
        kit_params.subset("relatedTo", ("party", "opportunity", "kase")),
    ),
)

ENDPOINTS = resource_endpoints(TASKS)
