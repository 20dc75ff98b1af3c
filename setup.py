"""Packaging hook; pyproject.toml holds the project's set-up.

The files under resources/ (the app's icons, its desktop entry and the file type of its
models) ship inside the `ui` package as ui/resources, where the installed app and
`ecomraci-gui --install-desktop` find them (`ui.desktop.RESOURCES`). In a checkout they
are read from resources/ itself.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "ui" / "resources"
        for source in sorted(RESOURCES.rglob("*")):
            if source.is_file():
                copied = target / source.relative_to(RESOURCES)
                self.mkpath(str(copied.parent))
                self.copy_file(str(source), str(copied))


setup(cmdclass={"build_py": BuildWithResources})
