"""Settings for the benchmarks' gunicorn and task worker: production's, plus a URLconf with a
trivial view (bench.public_pages' baseline).

Everything production needs still comes from the environment (the benchmarks pass dummy
values); only the URLconf and the folder collectstatic fills (BENCH_STATIC_ROOT, the run's
own work folder) differ.
"""

from pathlib import Path

from portal.settings import production
from portal.settings.environment import env_required

globals().update({name: value for name, value in vars(production).items() if name.isupper()})

ROOT_URLCONF = "bench.public_pages_urls"
STATIC_ROOT = Path(env_required("BENCH_STATIC_ROOT", "the benchmark's own static folder"))
