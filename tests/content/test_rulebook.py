import copy
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from content.rulebook.rules import (
    RulebookError,
    Text,
    UnknownKind,
    get_rulebook,
    parse_rulebook,
)

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


def test_a_text_in_several_languages_must_have_the_default_language(default_data):
    data = copy.deepcopy(default_data)
    data["kinds"]["use_policy"]["label"] = {"es": "Política de uso de vigilancia"}
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(data)
    assert "kinds.use_policy.label: no text for the default language 'en'" in str(caught.value)


def test_an_unknown_language_code_is_named_with_the_portals_languages(default_data):
    data = copy.deepcopy(default_data)
    data["kinds"]["audit"]["fields"][1]["help"] = {"en": "What the audit found.", "fr": "Constat"}
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(data)
    assert (
        "kinds.audit.fields[1] (findings).help: unknown language code 'fr' "
        "(the portal's languages: en, es)"
    ) in str(caught.value)


def test_an_empty_translation_and_a_text_of_the_wrong_shape_are_named(default_data):
    data = copy.deepcopy(default_data)
    data["kinds"]["contract"]["label"] = {"en": "Contract", "es": " "}
    data["kinds"]["contract"]["description"] = ["a list", "not a text"]
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(data)
    message = str(caught.value)
    assert "kinds.contract.label.es: must not be empty" in message
    assert "kinds.contract.description: must be a text or a mapping" in message


def test_the_start_up_check_names_the_place_of_a_missing_default_language(tmp_path, settings):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kinds: {audit: {label: {es: Auditoría}, fields: []}}")
    settings.RULEBOOK_PATH = broken
    with pytest.raises(
        SystemCheckError,
        match=r"(?s)rulebook\.E001.*kinds\.audit\.label: no text for the default language 'en'",
    ):
        call_command("check", "rulebook", databases=[])


def test_a_plain_string_rulebook_reads_the_same_in_every_language(default_data):
    data = copy.deepcopy(default_data)
    data["kinds"] = {
        "audit": {
            "label": "Audit result",
            "description": "An audit.",
            "fields": [{"name": "findings", "label": "Findings", "type": "markdown", "help": "?"}],
        }
    }
    data["deadlines"] = []
    rulebook = parse_rulebook(data)
    for language in ("en", "es"):
        with translation.override(language):
            audit = rulebook.kind("audit")
            assert (audit.label, audit.description) == ("Audit result", "An audit.")
            assert (audit.fields[0].label, audit.fields[0].help) == ("Findings", "?")
            assert rulebook.choices() == [("audit", "Audit result")]


def test_the_default_rulebook_reads_in_spanish_and_keeps_english_for_the_record():
    use_policy = get_rulebook().kind("use_policy")
    with translation.override("es"):
        assert use_policy.label == "Política de uso de vigilancia"
        assert use_policy.field("training").label == "Capacitación"
        assert use_policy.default_label == "Surveillance use policy"
        assert use_policy.field("training").default_label == "Training"
    with translation.override("en"):
        assert use_policy.label == "Surveillance use policy"
        assert use_policy.field("training").help.startswith("The training required")


def test_every_text_of_the_default_rulebook_has_a_spanish_translation(default_data):
    def texts(node, where):
        if isinstance(node, dict) and set(node) == {"en", "es"}:
            yield where, node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from texts(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from texts(value, f"{where}[{index}]")

    translated = dict(texts(default_data, "rulebook"))
    kinds = default_data["kinds"].values()
    expected = 2 + sum(2 + 2 * len(kind["fields"]) for kind in kinds)
    assert len(translated) == expected
    # Words Spanish spells the same way.
    same_in_both = {"rulebook.kinds.audit.fields[0].label"}
    for where, text in translated.items():
        assert text["es"].strip(), where
        assert (text["es"] == text["en"]) == (where in same_in_both), where


def test_a_text_falls_back_from_a_regional_language_to_its_base_then_to_the_default():
    text = Text((("en", "Audit result"), ("es", "Resultado de auditoría")))
    assert text.in_language("es-mx") == "Resultado de auditoría"
    assert text.in_language("fr") == "Audit result"
    assert Text.plain("Audit result").in_language("es") == "Audit result"
