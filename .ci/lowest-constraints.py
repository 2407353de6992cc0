"""Print a pip constraints file pinning every dependency of setup.cfg to its floor.

Each `name>=X` of install_requires and of the given extras becomes `name==X`, so a venv
installed with it runs the suite on the oldest versions the ranges admit. Extras in
brackets are dropped (pip refuses them in constraints); a dependency without a floor is
an error, since its range would then promise versions nobody has tested.

    python .ci/lowest-constraints.py [EXTRA ...] > constraints.txt
"""

import configparser
import re
import sys
from pathlib import Path

SETUP_CFG = Path(__file__).resolve().parent.parent / "setup.cfg"
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(\[[^\]]*\])?\s*(?P<spec>.*)$")
FLOOR = re.compile(r">=\s*([^,\s;]+)")


def lines(value):
    lines = (line.split("#", 1)[0].strip() for line in value.splitlines())
    return [line for line in lines if line]


def floors(extras):
    config = configparser.ConfigParser()
    config.read(SETUP_CFG)
    requirements = lines(config["options"]["install_requires"])
    for extra in extras:
        requirements += lines(config["options.extras_require"][extra])
    for requirement in requirements:
        match = REQUIREMENT.match(requirement)
        floor = FLOOR.search(match["spec"]) if match else None
        if floor is None:
            sys.exit(f"{SETUP_CFG.name}: {requirement!r} has no >= floor")
        yield f"{match['name']}=={floor[1]}"


if __name__ == "__main__":
    print("\n".join(floors(sys.argv[1:])))
