"""Account and user rules the command line, the sandbox and seeding share: names and emails are
unique."""

import pytest

from pillbox.domain.accounts import create_account
from pillbox.domain.users import create_user
from pillbox.errors import ValidationFailed


def test_create_account_with_a_name_in_use_is_refused(engine):
    with engine.begin() as conn:
        create_account(conn, "acme-rules")
        with pytest.raises(ValidationFailed) as refused:
            create_account(conn, "acme-rules")
    assert refused.value.errors[0].field == "name"


def test_create_user_with_an_email_in_use_in_the_account_is_refused(engine):
    with engine.begin() as conn:
        first, second = create_account(conn, "acme-one"), create_account(conn, "acme-two")
        user = {"email": "ann@acme.example", "name": "Ann Lee", "username": "ann", "admin": True}
        create_user(conn, first, **user)
        create_user(conn, second, **user)  # another account may have the same address
        with pytest.raises(ValidationFailed) as refused:
            create_user(conn, first, **{**user, "username": "ann2"})
    assert refused.value.errors[0].field == "email"
