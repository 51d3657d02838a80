"""The inventory in the Atlas of Surveillance layout, and seeding an inventory from it."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from content.agencies.models import Agency
from content.inventory.models import InventoryEntry, InventoryEvent
from content.technologies.models import Category, Technology
from content.vendors.models import Vendor
from opendata.atlas import ATLAS_HEADER
from tests.factories import InventoryEntryFactory, TechnologyFactory
from tests.opendata.conftest import add_record


def atlas_file(tmp_path, rows, header=ATLAS_HEADER):
    path = tmp_path / "atlas.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def atlas_row(agency="Alameda Bay Police Department", technology="Drones", **cells):
    return {
        "Agency": agency,
        "Technology": technology,
        "Vendor": "DJI",
        "Summary": "The department flies drones.",
        "Link 1 Date": "3/14/2021",
        **cells,
    }


def run_import(path, *options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_atlas_csv", str(path), "--recorded-by=reviewer", *options, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def test_export_has_the_atlas_header_and_one_row_per_technology_in_use(client, agency_a):
    technology = TechnologyFactory(name="Fixed ALPR cameras", category=Category.ALPR)
    InventoryEntryFactory(
        agency=agency_a,
        technology=technology,
        vendor__name="Flock Safety",
        in_use_since=datetime.date(2021, 3, 4),
    )
    InventoryEntryFactory(agency=agency_a, status=InventoryEntry.Status.RETIRED)

    response = client.get(reverse("opendata:inventory_atlas"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"] == 'attachment; filename="inventory.atlas.csv"'
    assert tuple(rows[0]) == ATLAS_HEADER
    assert len(rows) == 2
    row = dict(zip(ATLAS_HEADER, rows[1], strict=True))
    assert row["Agency"] == "Police Department"
    assert row["Technology"] == "Automated License Plate Readers"
    assert row["Vendor"] == "Flock Safety"
    assert row["Link 1 Date"] == "3/4/2021"
    assert row["Link 1"].endswith("/inventory/")


def test_export_runs_a_fixed_number_of_queries(client, reviewer, django_assert_max_num_queries):
    for size in (1, 4):
        add_record(reviewer, size)
        with django_assert_max_num_queries(3):
            b"".join(client.get(reverse("opendata:inventory_atlas")).streaming_content)


def test_import_seeds_agencies_technologies_vendors_and_entries_in_use(tmp_path, reviewer):
    path = atlas_file(tmp_path, [atlas_row(), atlas_row(technology="face recognition")])

    out, _ = run_import(path)

    entries = InventoryEntry.objects.order_by("technology__name")
    assert [(e.agency.name, e.technology.category, e.vendor.name) for e in entries] == [
        ("Alameda Bay Police Department", Category.DRONES, "DJI"),
        ("Alameda Bay Police Department", Category.FACE_RECOGNITION, "DJI"),
    ]
    assert {e.status for e in entries} == {InventoryEntry.Status.IN_USE}
    assert {e.in_use_since for e in entries} == {datetime.date(2021, 3, 14)}
    assert InventoryEvent.objects.filter(action=InventoryEvent.Action.PUT_IN_USE).count() == 2
    assert "Processed 2 of 2 rows" in out
    assert "2 inventory entries created, 0 already on the inventory" in out


def test_importing_the_same_file_again_changes_nothing(tmp_path, reviewer):
    path = atlas_file(tmp_path, [atlas_row()])
    run_import(path)

    out, _ = run_import(path)

    assert "0 inventory entries created, 1 already on the inventory" in out
    assert (Agency.objects.count(), Technology.objects.count(), Vendor.objects.count()) == (
        1,
        1,
        1,
    )
    assert InventoryEntry.objects.count() == 1


def test_a_dry_run_says_what_it_would_import_and_saves_nothing(tmp_path, reviewer):
    out, _ = run_import(atlas_file(tmp_path, [atlas_row()]), "--dry-run")

    assert "Would import (dry run, nothing saved): 1 inventory entries created" in out
    assert not InventoryEntry.objects.exists()
    assert not Agency.objects.exists()


def test_the_agency_name_column_can_be_chosen(tmp_path, reviewer):
    header = (*ATLAS_HEADER, "Department")
    path = atlas_file(tmp_path, [atlas_row(agency="", Department="Parks")], header=header)

    run_import(path, "--agency-name-column=Department")

    assert InventoryEntry.objects.get().agency.name == "Parks"


def test_one_bad_row_imports_nothing_and_names_row_column_and_value(tmp_path, reviewer):
    rows = [
        atlas_row(),
        atlas_row(technology="Mind reading"),
        atlas_row(**{"Link 1 Date": "yesterday"}),
        atlas_row(agency=""),
    ]

    with pytest.raises(CommandError, match="nothing imported: 3 problem"):
        run_import(atlas_file(tmp_path, rows))

    assert not InventoryEntry.objects.exists()
    assert not Agency.objects.exists()


def test_row_errors_are_printed_one_per_line(tmp_path, reviewer):
    path = atlas_file(tmp_path, [atlas_row(), atlas_row(technology="Mind reading")])
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_atlas_csv", str(path), "--recorded-by=reviewer", stderr=err)

    assert "row 3, column “Technology”, value “Mind reading”: is not an Atlas" in err.getvalue()


def test_a_file_without_the_atlas_columns_is_refused(tmp_path, reviewer):
    path = atlas_file(tmp_path, [{"name": "x"}], header=("name",))

    with pytest.raises(CommandError, match="no column “Agency”"):
        run_import(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path, reviewer):
    path = tmp_path / "atlas.csv"
    path.write_bytes(",".join(ATLAS_HEADER).encode() + "\nCaf\xe9".encode("latin-1"))

    with pytest.raises(CommandError, match="is not UTF-8 text"):
        run_import(path)


def test_an_unknown_recorder_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="no user “reviewer”"):
        run_import(atlas_file(tmp_path, [atlas_row()]))


def test_the_export_imports_back_into_an_empty_inventory(client, agency_a, reviewer, tmp_path):
    InventoryEntryFactory(
        agency=agency_a,
        technology__category=Category.DRONES,
        vendor__name="DJI",
        in_use_since=datetime.date(2022, 5, 6),
    )
    exported = b"".join(client.get(reverse("opendata:inventory_atlas")).streaming_content)
    InventoryEntry.objects.all().delete()
    path = tmp_path / "export.csv"
    path.write_bytes(exported)

    run_import(path)

    entry = InventoryEntry.objects.get()
    assert (entry.agency, entry.vendor.name, entry.in_use_since) == (
        agency_a,
        "DJI",
        datetime.date(2022, 5, 6),
    )
    assert entry.technology.category == Category.DRONES
