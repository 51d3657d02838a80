"""A database and a work folder of a benchmark run's own: created, used, dropped."""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


@contextlib.contextmanager
def throwaway_database(name: str):
    """Set Django up on the test settings with a fresh database named for this run; yield
    a work folder. Both are removed afterwards, whatever happens inside."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    # Benchmarks measure the database index; with Elasticsearch configured, searches and
    # the outbox would reach an engine the benchmark never filled.
    os.environ.pop("ELASTICSEARCH_URL", None)
    import django

    django.setup()
    from django.db import connection

    workspace = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    if connection.vendor == "sqlite":
        # A file, not :memory:, so that other processes (gunicorn) open the same database.
        connection.settings_dict["TEST"]["NAME"] = str(workspace / f"{name}.sqlite3")
    else:
        # A name of its own: create_test_db replaces a database of the same name, and
        # test_<name> may be in use by someone's test run.
        connection.settings_dict["TEST"]["NAME"] = f"bench_{name}_{os.getpid()}"
    print("Creating a throwaway database...", flush=True)
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield workspace
    finally:
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(workspace, ignore_errors=True)
