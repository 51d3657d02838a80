import copy
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from content.rulebook.rules import RulebookError, UnknownKind, get_rulebook, parse_rulebook

ORDINANCE_KINDS = {
    "acquisition_notice",
    "impact_report",
    "use_policy",
    "annual_report",
    "contract",
    "audit",
    "commission_recommendation",
    "exigent_use_report",
}


@pytest.fixture
def default_data():
    return yaml.safe_load(Path(settings.RULEBOOK_PATH).read_text())


def test_the_default_rulebook_defines_every_kind_the_ordinances_name():
    assert set(get_rulebook().kinds) == ORDINANCE_KINDS


def test_every_field_a_clerk_fills_in_has_help_text():
    for kind in get_rulebook().kinds.values():
        for field in kind.fields:
            assert field.help.strip(), f"{kind.slug}.{field.name} has no help text"


def test_the_default_follows_oakland_annual_reports_due_march_15_with_one_60_day_extension():
    [annual] = get_rulebook().deadline_rules_for("annual_report")
    assert (annual.due_month, annual.due_day) == (3, 15)
    assert (annual.extension.days, annual.extension.max) == (60, 1)
    assert annual.applies_to == ("in_use", "retired")


def test_use_policy_and_impact_report_are_due_before_acquisition():
    for kind in ("use_policy", "impact_report"):
        [rule] = get_rulebook().deadline_rules_for(kind)
        assert rule.rule == "before_date"
        assert rule.anchor[0] == "planned_acquisition_on"
        assert "proposed" in rule.applies_to


def test_an_unknown_kind_names_the_kinds_that_exist():
    with pytest.raises(UnknownKind, match=r"'press_release'.*annual_report"):
        get_rulebook().kind("press_release")


def test_a_deadline_rule_that_references_a_missing_field_is_named(default_data):
    data = copy.deepcopy(default_data)
    data["deadlines"][1]["anchor"] = ["acquired_on"]
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(data, source="city.yaml")
    message = str(caught.value)
    assert "deadlines[1].anchor" in message
    assert "'acquired_on' is not a date field of an inventory entry" in message
    assert "planned_acquisition_on" in message


def test_a_deadline_for_an_undefined_kind_is_named(default_data):
    data = copy.deepcopy(default_data)
    data["deadlines"][0]["kind"] = "quarterly_report"
    with pytest.raises(RulebookError, match=r"deadlines\[0\]\.kind: 'quarterly_report' is not"):
        parse_rulebook(data)


def test_every_problem_is_reported_at_once_not_only_the_first(default_data):
    data = copy.deepcopy(default_data)
    data["kinds"]["audit"]["fields"][0]["type"] = "essay"
    data["kinds"]["audit"]["min_documents"] = -1
    data["deadlines"][0]["due"] = {"month": 2, "day": 30}
    data["deadlines"][0]["applies_to"] = ["in_use", "mothballed"]
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(data)
    message = str(caught.value)
    assert "4 problem(s)" in message
    assert "kinds.audit.fields[0] (auditor): type 'essay'" in message
    assert "kinds.audit.min_documents" in message
    assert "month 2 day 30 is no date" in message
    assert "'mothballed' is not an inventory status" in message


def test_a_field_defined_twice_and_a_typo_in_a_key_are_named(default_data):
    data = copy.deepcopy(default_data)
    fields = data["kinds"]["contract"]["fields"]
    fields.append(dict(fields[0]))
    data["kinds"]["contract"]["requires_tecnology"] = True
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(data)
    assert "field 'scope' is defined more than once" in str(caught.value)
    assert "unknown key 'requires_tecnology'" in str(caught.value)


def test_a_deployment_changes_its_rules_with_a_file_not_code(tmp_path, default_data, settings):
    data = copy.deepcopy(default_data)
    data["deadlines"][0]["due"] = {"month": 4, "day": 30}
    custom = tmp_path / "seattle.yaml"
    custom.write_text(yaml.safe_dump(data))
    settings.RULEBOOK_PATH = custom
    [annual] = get_rulebook().deadline_rules_for("annual_report")
    assert (annual.due_month, annual.due_day) == (4, 30)


def test_a_broken_rulebook_stops_the_portal_at_start_up(tmp_path, settings):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kinds: {audit: {label: Audit, fields: [{name: x, type: nope}]}}")
    settings.RULEBOOK_PATH = broken
    with pytest.raises(SystemCheckError, match=r"(?s)rulebook\.E001.*type 'nope'"):
        call_command("check", "rulebook", databases=[])


def test_a_missing_rulebook_file_names_the_setting(tmp_path, settings):
    settings.RULEBOOK_PATH = tmp_path / "nowhere.yaml"
    with pytest.raises(RulebookError, match="set RULEBOOK_PATH"):
        get_rulebook()


def test_a_rulebook_that_is_not_yaml_says_so(tmp_path, settings):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kinds: [unclosed")
    settings.RULEBOOK_PATH = bad
    with pytest.raises(RulebookError, match="is not valid YAML"):
        get_rulebook()
