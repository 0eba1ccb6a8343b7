"""Users: their preferences, who may change them, and the person record each user has."""

import zoneinfo
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import Field, StrictBool

from pillbox import reference
from pillbox.domain import hooks, passwords
from pillbox.domain.base import InputModel, require_admin, required_name
from pillbox.domain.parties import PartyInput, create_party
from pillbox.errors import AdminRequired, InsufficientScope, NotFound, ValidationFailed
from pillbox.store import accounts as account_store
from pillbox.store import sign_in as sign_in_store
from pillbox.store import users as store
from pillbox.store.accounts import Principal

USER = "user"
LOCALES = ("en_US", "en_GB", "es_ES", "fr_FR", "pt_BR")


class UserInput(InputModel):
    username: Annotated[str, Field(max_length=100)] | None = None
    locale: Literal[LOCALES] | None = None  # type: ignore[valid-type]
    currency: Annotated[str, Field(max_length=3)] | None = None
    timezone: Annotated[str, Field(max_length=64)] | None = None
    task_reminder: StrictBool | None = None
    email_preference: Literal["GMAIL"] | None = None
    click_to_call_preference: Literal["SIP", "TEL", "CALLTO", "CIRCLELOOP"] | None = None
    preferred_email_from_address: Annotated[str, Field(max_length=320)] | None = None


def _fail(message: str, field: str) -> ValidationFailed:
    return ValidationFailed.single(message, USER, field)


def _username(conn: sa.Connection, account_id: int, user_id: int, raw: str | None) -> str:
    username = (raw or "").strip()
    if not username:
        raise _fail("username is required", "username")
    holder = store.user_with_username(conn, account_id, username)
    if holder is not None and holder != user_id:
        raise _fail("username already exists", "username")
    return username


def _required(data: UserInput, name: str, wire: str) -> Any:
    value = getattr(data, name)
    if value is None:
        raise _fail(f"{wire} cannot be empty", wire)
    return value


def update_user(conn: sa.Connection, who: Principal, user_id: int, data: UserInput) -> None:
    """Users change their own preferences; administrators may change anyone's."""
    if not who.can_change_preferences:
        raise InsufficientScope("user_preference")
    if not store.load(conn, who.account_id, [user_id]):
        raise NotFound()
    if user_id != who.user_id and not who.is_admin:
        raise AdminRequired()
    values: dict[str, Any] = {}
    if data.sent("username"):
        values["username"] = _username(conn, who.account_id, user_id, data.username)
    for name, wire in (("locale", "locale"), ("task_reminder", "taskReminder")):
        if data.sent(name):
            values[name] = _required(data, name, wire)
    if data.sent("currency"):
        if _required(data, "currency", "currency") not in reference.currency_codes():
            raise _fail("currency is invalid", "currency")
        values["currency"] = data.currency
    if data.sent("timezone"):
        if _required(data, "timezone", "timezone") not in zoneinfo.available_timezones():
            raise _fail("timezone is invalid", "timezone")
        values["timezone"] = data.timezone
    for name in ("email_preference", "click_to_call_preference", "preferred_email_from_address"):
        if data.sent(name):
            values[name] = getattr(data, name)
    if values:
        store.update_user(conn, user_id, values)
        hooks.emit(conn, who.account_id, "user/updated", user_id)


def delete_user(conn: sa.Connection, account_id: int, user_id: int) -> None:
    """Deletes a user (from the command line: Capsule's API has no user deletion). Their
    records keep them, shown with `deleted: true`; an account keeps at least one administrator."""
    if not account_store.live_user_ids(conn, account_id, {user_id}):
        raise NotFound()
    if account_store.live_admin_ids(conn, account_id) == {user_id}:
        raise _fail("an account needs an administrator", "user")
    account_store.delete_user(conn, account_id, user_id)
    hooks.emit(conn, account_id, "user/deleted", user_id)


def check_new_user(conn: sa.Connection, account_id: int, email: str, username: str) -> None:
    """Refuses (422) a new user whose email is not an address, or whose email or username
    another user of the account has."""
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain.strip(".")) or any(c.isspace() for c in email):
        raise ValidationFailed.single(f"{email!r} is not an email address", USER, "email")
    if len(email) > 320 or len(username) > 100:
        field = "email" if len(email) > 320 else "username"
        raise ValidationFailed.single(f"the {field} is too long", USER, field)
    if account_store.user_id_by_email(conn, account_id, email) is not None:
        message = f"a user with email {email!r} exists already"
        raise ValidationFailed.single(message, USER, "email")
    if not username.strip():
        raise ValidationFailed.single("the username is empty", USER, "username")
    if store.user_with_username(conn, account_id, username) is not None:
        message = f"a user with username {username!r} exists already"
        raise ValidationFailed.single(message, USER, "username")


def create_user(
    conn: sa.Connection, account_id: int, *, email: str, name: str, username: str, admin: bool
) -> int:
    """A new user and the person record that stands for them, as every Capsule user has.

    An email address belongs to one user of an account."""
    if account_store.user_id_by_email(conn, account_id, email) is not None:
        raise ValidationFailed.single("email is already in use", "user", "email")
    user_id = account_store.create_user(
        conn, account_id, email=email, name=name, username=username, admin=admin
    )
    recreate_person(conn, account_id, user_id, email, name, admin)
    hooks.emit(conn, account_id, "user/created", user_id)
    return user_id


def recreate_person(
    conn: sa.Connection, account_id: int, user_id: int, email: str, name: str, admin: bool
) -> None:
    """Makes a person record stand for the user, as when the user was created."""
    first, _, last = name.strip().rpartition(" ")
    person = PartyInput.model_validate(
        {
            "type": "person",
            "firstName": first or None,
            "lastName": last or name,
            "emailAddresses": [{"address": email}],
        }
    )
    party_id = create_party(conn, Principal(user_id, account_id, "write", admin), person)
    store.update_user(conn, user_id, {"party_id": party_id})


# -- users managed by an administrator (the web interface's settings) ----------------------------


class NewUserInput(InputModel):
    email: Annotated[str, Field(max_length=320)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    username: Annotated[str, Field(max_length=100)] | None = None
    administrator: StrictBool | None = None
    password: Annotated[str, Field(max_length=200)] | None = None


class UserAccessInput(InputModel):
    """What an administrator changes of another user: administrator or not, a new password."""

    administrator: StrictBool | None = None
    password: Annotated[str, Field(max_length=200)] | None = None


def _password(conn: sa.Connection, user_id: int, password: str | None) -> None:
    if password:
        try:
            passwords.set_password(conn, user_id, password)
        except passwords.PasswordTooShort as error:
            raise _fail(str(error), "password") from error


def add_user(conn: sa.Connection, who: Principal, data: NewUserInput) -> int:
    """An administrator's new user (with their person record), optionally with a password."""
    require_admin(who)
    email = required_name(data.email, USER, "email")
    name = required_name(data.name, USER, "name")
    username = (data.username or "").strip() or email.split("@")[0]
    check_new_user(conn, who.account_id, email, username)
    user_id = create_user(
        conn,
        who.account_id,
        email=email,
        name=name,
        username=username,
        admin=bool(data.administrator),
    )
    _password(conn, user_id, data.password)
    return user_id


def change_user_access(
    conn: sa.Connection, who: Principal, user_id: int, data: UserAccessInput
) -> None:
    """Makes or unmakes an administrator (an account keeps one), and sets a new password."""
    if not account_store.live_user_ids(conn, who.account_id, {user_id}):
        raise NotFound()
    require_admin(who)
    if data.administrator is not None:
        admins = account_store.live_admin_ids(conn, who.account_id)
        if not data.administrator and admins == {user_id}:
            raise _fail("an account needs an administrator", "administrator")
        if data.administrator != (user_id in admins):
            store.update_user(conn, user_id, {"is_admin": data.administrator})
            hooks.emit(conn, who.account_id, "user/updated", user_id)
    _password(conn, user_id, data.password)


def remove_user(conn: sa.Connection, who: Principal, user_id: int) -> None:
    """An administrator deletes another user of the account (never themselves)."""
    if not account_store.live_user_ids(conn, who.account_id, {user_id}):
        raise NotFound()
    require_admin(who)
    if user_id == who.user_id:
        raise _fail("you cannot delete yourself", "user")
    delete_user(conn, who.account_id, user_id)


class PasswordChangeInput(InputModel):
    current_password: Annotated[str, Field(max_length=200)] | None = None
    new_password: Annotated[str, Field(max_length=200)] | None = None


def change_own_password(conn: sa.Connection, who: Principal, data: PasswordChangeInput) -> None:
    """The signed-in user's new password, given the one they have now."""
    if not who.can_change_preferences:
        raise InsufficientScope("user_preference")
    stored = sign_in_store.password_hash(conn, who.user_id)
    if not passwords.password_matches(stored, data.current_password or ""):
        raise _fail("the current password is not right", "currentPassword")
    if not data.new_password:
        raise _fail("newPassword is required", "newPassword")
    try:
        passwords.set_password(conn, who.user_id, data.new_password)
    except passwords.PasswordTooShort as error:
        raise _fail(str(error), "newPassword") from error
