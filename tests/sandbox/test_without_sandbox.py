"""Without --sandbox there is no admin API: its paths are 404 like any unknown path."""

import pytest


@pytest.fixture
def settings(tmp_path):
    from pillbox.settings import Settings

    return Settings(database_url="sqlite://", run_worker=False, attachments_dir=str(tmp_path))


@pytest.mark.parametrize(
    "method,path", [("POST", "/accounts"), ("GET", "/snapshots"), ("GET", "/clock")]
)
def test_admin_paths_are_not_found_outside_a_sandbox(admin, account, method, path):
    response = admin.request(method, path, token=account.token)
    assert response.status_code == 404
    assert response.json() == {"message": "Could not find resource"}
