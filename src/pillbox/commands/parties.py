"""`pillbox parties merge --account NAME TARGET SOURCE…`: merging duplicate parties from the
command line, by the rules of `POST /api/v2/parties/{id}/merge` (domain/merges.py).

The merge acts as the account's first administrator (the oldest one not deleted), who appears
as its user in the change history. An ordinary mistake is one line on stderr and exit status 2.
"""

from typing import Annotated

import typer

from pillbox.commands.accounts import account_id
from pillbox.commands.console import fail
from pillbox.commands.database import database
from pillbox.domain.merges import MAX_SOURCES, MergeInput, merge_parties
from pillbox.errors import NotFound, ValidationFailed
from pillbox.store import accounts as account_store
from pillbox.store.accounts import Principal

parties_app = typer.Typer(help="People and organisations of an account.", no_args_is_help=True)


@parties_app.command("merge")
def merge(
    account: Annotated[str, typer.Option(help="Account name.")],
    target: Annotated[int, typer.Argument(help="Id of the party that stays.")],
    sources: Annotated[list[int], typer.Argument(help="Ids of the parties merged into it.")],
) -> None:
    """Merge the SOURCES parties into TARGET: their records, links, tags, contacts and field
    values move to TARGET, and they are deleted."""
    if len(sources) > MAX_SOURCES:
        fail(f"At most {MAX_SOURCES} parties can be merged at once.")
    data = MergeInput.model_validate({"parties": [{"id": source} for source in sources]})
    engine = database()
    try:
        with engine.begin() as conn:
            found = account_id(conn, account)
            admins = sorted(account_store.live_admin_ids(conn, found))
            if not admins:
                fail(f"Account {account!r} has no administrator to act as.")
            who = Principal(admins[0], found, "write", True)
            merge_parties(conn, who, target, data)
    except NotFound:
        fail(f"No such party in {account!r}: check the ids {target}, {sources}.")
    except ValidationFailed as error:
        fail(f"Cannot merge: {error.errors[0].message}.")
    finally:
        engine.dispose()
    typer.echo(f"Merged {len(set(sources))} parties into party {target}.", err=True)
