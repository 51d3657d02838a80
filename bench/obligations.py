"""How much the deadline computation costs over simply reading the inventory.

Builds an agency with many technologies, inventory entries and filings in a
throwaway test database, then times obligations_for_agency() against a
baseline that only fetches the same inventory and filing rows. Prints both
and their ratio.

    .venv/bin/python -m bench.obligations [--technologies 200] [--repeat 20]
"""

import argparse
import datetime
import statistics
import time

from bench.throwaway import throwaway_database


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--technologies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()

    with throwaway_database("obligations"):
        run(options)


def run(options):
    from content.compliance.obligations import obligations_for_agency
    from content.filings.models import Filing
    from content.inventory.models import InventoryEntry
    from tests.factories import AgencyFactory, FilingFactory, InventoryEntryFactory

    agency = AgencyFactory()
    print(f"Seeding {options.technologies} technologies with inventory and filings...", flush=True)
    for _ in range(options.technologies):
        entry = InventoryEntryFactory(agency=agency)
        FilingFactory(
            kind="annual_report",
            agency=agency,
            technologies=[entry.technology],
            reporting_period_end=datetime.date(2025, 12, 31),
        )
    today = datetime.date(2026, 11, 26)

    def baseline():
        list(InventoryEntry.objects.filter(agency=agency).select_related("technology"))
        list(Filing.objects.filter(agency=agency).prefetch_related("technologies"))

    def obligations():
        obligations_for_agency(agency, today)

    base = timed(baseline, options.repeat)
    measured = timed(obligations, options.repeat)
    count = len(obligations_for_agency(agency, today))
    print(f"baseline (read inventory + filings): {base * 1000:8.2f} ms")
    print(f"obligations_for_agency ({count} items): {measured * 1000:8.2f} ms")
    print(f"ratio: {measured / base:.2f}x the baseline")


if __name__ == "__main__":
    main()
