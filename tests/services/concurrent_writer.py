"""One of several processes appending lines to the same site's note, for the concurrency test.

Usage: python concurrent_writer.py DATABASE_URL INSTANCE_DIR SITE_ID USER_ID TOKEN COUNT

Each update is a read-modify-write: read the site, add a line, save with the version read;
a Conflict means another process won the race, so read again and retry. Prints one line of
JSON with what happened; any other error escapes and fails the process.
"""

from __future__ import annotations

import json
import sys

from heritage import create_app
from heritage.extensions import db
from heritage.models import Site, User
from heritage.services import sites
from heritage.services.errors import Conflict


def main(database_url: str, instance: str, site_id: int, user_id: int, token: str, count: int):
    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": instance, "SECRET_KEY": "test"}
    )
    conflicts = 0
    with app.app_context():
        actor = db.session.get(User, user_id)
        for n in range(count):
            while True:
                db.session.expire_all()
                site = db.session.get(Site, site_id)
                note = "\n".join(filter(None, [site.internal_note, f"{token}-{n}"]))
                try:
                    sites.update_site(
                        site_id, {"internal_note": note}, actor=actor, version=site.version
                    )
                    break
                except Conflict:
                    conflicts += 1
    print(json.dumps({"token": token, "saved": count, "conflicts": conflicts}))


if __name__ == "__main__":
    url, instance, site_id, user_id, token, count = sys.argv[1:]
    main(url, instance, int(site_id), int(user_id), token, int(count))
