"""/api/v2/tasks: the account's tasks, open ones by default, soonest due first."""

from pillbox.api.kit import Resource, resource_endpoints
from pillbox.api.kit import params as kit_params
from pillbox.api.v2 import schemas
from pillbox.domain import tasks as domain
from pillbox.store import tasks as store
from pillbox.wire import renderers

TASKS = Resource(
    singular="task",
    plural="tasks",
    embeds=frozenset({"party", "opportunity", "kase", "owner", "nextTask"}),
    render=renderers.TASK,
    page_ids=store.page_ids,
    wire_schema=schemas.TASK,
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
