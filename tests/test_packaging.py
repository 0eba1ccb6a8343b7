"""What the wheel carries: every file the server reads, and an extra per optional feature that
installs everything that feature imports. (.ci/package-check builds and installs the wheel.)"""

import ast
import re
import sys
import tomllib
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "src" / "pillbox"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def package_data() -> list[str]:
    text = (ROOT / "pyproject.toml").read_text()
    return list(tomllib.loads(text)["tool"]["setuptools"]["package-data"]["pillbox"])


def covered(relative: PurePosixPath, patterns: list[str]) -> bool:
    """Whether a glob matches, `**/` spanning any number of folders, as setuptools reads them."""
    return any(re.fullmatch(_regex(pattern), str(relative)) for pattern in patterns)


def _regex(pattern: str) -> str:
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
    return regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")


def test_every_file_the_server_reads_is_in_the_package_data():
    files = [
        PurePosixPath(path.relative_to(PACKAGE).as_posix())
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".py", ".pyc")
    ]
    assert files, "the package has data files"
    assert [str(f) for f in files if not covered(f, package_data())] == []


def test_future_templates_and_static_files_are_covered():
    for name in ("web/templates/parties/show.html", "web/static/css/app.css", "web/static/a.js"):
        assert covered(PurePosixPath(name), package_data()), name
    assert covered(PurePosixPath("api/oauth/page.html"), package_data())


def imported_roots(folder: Path) -> set[str]:
    roots: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                roots.add(node.module.split(".")[0])
    return roots


def test_the_sandbox_extra_installs_everything_the_pytest_plugin_imports():
    required = {
        requirement.split(">")[0].split("[")[0].split("=")[0].strip().lower()
        for requirement in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["sandbox"]]
    }
    third_party = imported_roots(PACKAGE / "testing") - {"pillbox", *sys.stdlib_module_names}
    assert third_party and sorted(third_party - required) == []
