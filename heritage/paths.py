"""Where the folders that ship beside the code are: templates, migrations, the media root.

In a checkout they sit at the top of the repository, beside `heritage/`; an installed
package carries them inside itself (setup.cfg maps them in as `heritage/templates` and
`heritage/migrations`), so `pip install .` works from any folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The repository this package runs from, if it runs from one (an editable install).
CHECKOUT: Path | None = PACKAGE.parent if (PACKAGE.parent / "setup.cfg").is_file() else None


def shipped(name: str) -> Path:
    """The folder `name` ("templates", "migrations") of the installed package or the checkout."""
    installed = PACKAGE / name
    if installed.is_dir() or CHECKOUT is None:
        return installed
    return CHECKOUT / name


def default_media_root(instance: Path, instance_given: bool) -> Path:
    """`media/` at the top of a checkout run with its own instance folder; else in the instance."""
    if CHECKOUT is not None and not instance_given:
        return CHECKOUT / "media"
    return instance / "media"
