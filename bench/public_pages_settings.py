"""Settings for bench.public_pages' gunicorn: production's, plus a URLconf with a trivial view.

Everything production needs still comes from the environment (the benchmark passes dummy
values); only the URLconf and the folder collectstatic fills (BENCH_STATIC_ROOT, the run's
own work folder) differ.
"""

from pathlib import Path

from portal.settings.environment import env_required
from portal.settings.production import *  # noqa: F403 - every production setting, unchanged

ROOT_URLCONF = "bench.public_pages_urls"
STATIC_ROOT = Path(env_required("BENCH_STATIC_ROOT", "the benchmark's own static folder"))
