import os

import pytest

from tests.interop.libreoffice import LibreOffice, find_soffice

# Sheet-by-sheet CSV export (one file per sheet) came with LibreOffice 7.2.
MIN_VERSION = (7, 2)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> LibreOffice:
    """A headless LibreOffice with a fresh user profile for this test session."""
    program = find_soffice()
    if program is None:
        message = "LibreOffice (soffice) is not installed; CI installs libreoffice-calc-nogui"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    office = LibreOffice(program, tmp_path_factory.mktemp("lo-profile"))
    version = office.version()
    if version[:2] < MIN_VERSION:
        message = f"LibreOffice {version} is older than {MIN_VERSION}, which the tests need"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return office
