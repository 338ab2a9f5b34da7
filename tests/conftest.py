import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def debian_tool(path: str, package: str) -> str:
    """A program from a Debian package, which `make test` installs before the tests run (never a test)."""
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: install the Debian package {package} (make test does)", pytrace=False)
    return path


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Every test session builds its stores in its own cache, never in the user's."""
    cache = tmp_path_factory.mktemp("sackg-cache")
    os.environ["SACKG_CACHE"] = str(cache)
    os.environ.pop("SACKG_DATA", None)
    yield cache


@pytest.fixture(scope="session")
def kb(isolated_cache):
    from kg.engine.opening import open_kb

    return open_kb()


@pytest.fixture()
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture()
def data_copy(tmp_path):
    """A private copy of the bundled data that a test may edit or break."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="module")
def bundled_server(isolated_cache):
    """An Oxigraph server (`sackg serve`'s) of the bundled knowledge base on 127.0.0.1."""
    from test_backends import free_port

    from kg.engine.opening import open_kb
    from kg.publish.serve import start

    process, url = start(open_kb().path, free_port())
    yield url
    process.terminate()
    process.wait(timeout=10)
