"""One of several processes saving sites while others search, for the concurrency test.

Usage: python index_writer.py DATABASE_URL INSTANCE_DIR INDEX_DIR USER_ID TOKEN SITE_ID...

Renames each site COUNT times to "<TOKEN>n<k>" through the service, retrying a lost version
race. Every save indexes itself after its commit; any error escapes and fails the process.
Prints one line of JSON with the final name of each site.
"""

from __future__ import annotations

import json
import sys

from heritage import create_app
from heritage.extensions import db
from heritage.models import Site, User
from heritage.services import sites
from heritage.services.errors import Conflict

COUNT = 4


def main(database_url: str, instance: str, index_dir: str, user_id: int, token: str, ids):
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": instance,
            "INDEX_DIR": index_dir,
            "SECRET_KEY": "test",
        }
    )
    final = {}
    with app.app_context():
        actor = db.session.get(User, user_id)
        for n in range(COUNT):
            for site_id in ids:
                name = f"{token}n{n}s{site_id}"
                while True:
                    db.session.expire_all()
                    site = db.session.get(Site, site_id)
                    try:
                        sites.update_site(
                            site_id, {"name_en": name}, actor=actor, version=site.version
                        )
                        break
                    except Conflict:
                        continue
                final[site_id] = name
    print(json.dumps(final))


if __name__ == "__main__":
    url, instance, index_dir, user_id, token, *site_ids = sys.argv[1:]
    main(url, instance, index_dir, int(user_id), token, [int(i) for i in site_ids])
