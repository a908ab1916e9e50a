"""One field table (registry/fields.py, issue 15): the input record, validation, the upsert, ProjectRow, the
export's columns, the importer's headers, the plan candidate and the CLI list all derive their field lists from
it. A field added to the table reaches each of them; a field missing from a record fails here."""
from __future__ import annotations

from dataclasses import fields as dataclass_fields

from sqlalchemy import inspect, select

from registry import fields
from registry.export.columns import PROJECT_COLUMNS, project_columns
from registry.fields import BY_KEY, EXPORTED, FIELDS, INPUTS, ROW_FIELDS, STORED, Field
from registry.importer.headers import ALIASES, INFORMATIONAL, header_targets, norm_header
from registry.importer.rows import DICT_KEYS, LOCATION_KEYS
from registry.models import Project
from registry.planparse.candidate import Candidate
from registry.records import ProjectInput, ProjectRow
from registry.textout import LIST_COLUMNS
from registry.validate import validate_project


def _names(record: type) -> set[str]:
    return {f.name for f in dataclass_fields(record)}


def test_keys_are_unique_and_kinds_known() -> None:
    assert len(BY_KEY) == len(FIELDS)
    assert all(f.kind in fields.KINDS for f in FIELDS)


def test_the_input_record_has_exactly_the_table_inputs() -> None:
    assert _names(ProjectInput) == {f.input for f in INPUTS}


def test_every_stored_column_exists_on_the_model() -> None:
    columns = {c.key for c in inspect(Project).column_attrs}
    assert set(STORED.values()) <= columns
    assert {f.column for f in ROW_FIELDS} <= columns
    assert {f.key for f in ROW_FIELDS} <= _names(ProjectRow)


def test_the_plan_candidate_speaks_the_input_names() -> None:
    assert _names(Candidate) <= {f.input for f in INPUTS}


def test_export_columns_are_the_table_in_order() -> None:
    assert [c.key for c in PROJECT_COLUMNS] == [f.key for f in EXPORTED]
    assert [c.header for c in PROJECT_COLUMNS] == [f.zh for f in EXPORTED]
    assert [c.importable for c in PROJECT_COLUMNS] == [f.importable for f in EXPORTED]


def test_importer_headers_come_from_the_table() -> None:
    for f in EXPORTED:
        target = ALIASES[norm_header(f.zh)]
        assert target.key == f.key
        assert (f.key in INFORMATIONAL) == (not f.importable)
        for header in f.headers:
            assert ALIASES[norm_header(header)].key == f.key, header
    assert DICT_KEYS == {"district": "district_stated", "zone": "zone_stated"}
    assert set(LOCATION_KEYS) == {f.input for f in INPUTS if f.place}


def test_cli_list_headers_come_from_the_table() -> None:
    assert [title for _, title in LIST_COLUMNS] == [BY_KEY[key].zh for key in fields.LIST_VIEW]


def test_validation_reads_every_generic_input_by_kind() -> None:
    raw = {"code": "F-1", "name": "甲", "plan_period": "十四五", "investment_low": "1.5", "partner_regions": "A、B"}
    item, problems = validate_project(raw)
    assert problems == [] and item is not None
    assert (item.plan_period, str(item.investment_low), item.partner_regions) == ("十四五", "1.5", ("A", "B"))
    _, problems = validate_project({**raw, "investment_high": "x"})
    assert [p.field for p in problems] == ["investment_high"]


def test_a_field_added_to_the_table_reaches_export_and_import() -> None:
    # A hypothetical field, written in a copy of the table only: its export column and its import headers follow.
    added = Field("funding", "资金来源", "Funding", "text", headers=("资金渠道",))
    table = (*FIELDS, added)
    columns = project_columns(tuple(f for f in table if f.export))
    assert (columns[-1].key, columns[-1].header, columns[-1].importable) == ("funding", "资金来源", True)
    targets = header_targets(table)
    assert targets[norm_header("资金来源")].key == targets[norm_header("资金渠道")].key == "funding"
    assert "funding" not in header_targets(FIELDS)
    # Stored under its own name and validated as text once ProjectInput and Project carry it.
    assert (added.input, added.column) == ("funding", "funding")


def test_a_form_edit_keeps_every_stored_field_the_form_does_not_show(db_session) -> None:  # type: ignore[no-untyped-def]
    # The edit form shows some fields; the rest (from the plans) must survive a save. Derived from the table,
    # so a new field is kept too (it used to be wiped: status_text, parent_code, the range, plan_period …).
    from registry.editing import Actor, update_project
    from registry.upsert import apply_project_dicts
    from registry.users import add_user

    apply_project_dicts(db_session, [{"code": "KEEP-0", "name": "总包"},
                                     {"code": "KEEP-1", "name": "甲", "status_text": "续建", "parent_code": "KEEP-0",
                                      "investment_low": "1", "investment_high": "2", "partner_regions": ["北京"],
                                      "plan_period": "十四五", "box": "专栏1", "group": "一组"}])
    editor = add_user(db_session, "keeper", "long-enough-pw", "editor")
    project = db_session.scalar(select(Project).where(Project.code == "KEEP-1"))
    form = {"name": "甲（改）", "status": "unknown", "investment_unit": "亿元", "chains": [], "strategies": []}
    update_project(db_session, "KEEP-1", form, project.version, Actor(editor))
    db_session.refresh(project)
    assert project.name == "甲（改）"
    assert (project.status_text, project.parent_code, str(project.investment_low), str(project.investment_high),
            project.partner_regions, project.plan_period, project.box, project.group_name) == \
        ("续建", "KEEP-0", "1", "2", ["北京"], "十四五", "专栏1", "一组")


def test_history_records_every_stored_fact_and_names_it_as_the_table_does() -> None:
    """修改记录 records each stored column of the table, under the table's label in both languages (the export's
    区县 is the placed district, so the stated column keeps its own words)."""
    from registry import history
    from registry.historyview import field_label

    stored = {f.column for f in FIELDS if f.column} - {"code", "version"}
    assert stored <= set(history.SCALARS)
    project_columns = {c.key for c in inspect(Project).column_attrs}
    assert set(history.SCALARS) <= project_columns
    for f in FIELDS:
        if f.column in history.SCALARS:
            zh, en = f.stored or (f.zh, f.en)
            assert (field_label(f.column), field_label(f.column, "en")) == (zh, en), f.key
    assert field_label("stated_district_code") == "所述区县"
    # "Project" heads the English list of names; a change to the column is a change of the name.
    assert (BY_KEY["name"].en, field_label("name", "en")) == ("Project", "Project name")
    for name in history.FIELDS + (history.CREATED,):
        assert field_label(name) != name and field_label(name, "en") != name, name


def test_choices_and_vocabularies_are_named_once_in_the_table() -> None:
    """The form's choice lists and trees, the import template's drop-downs and validation read a field's fixed
    values (or its vocabulary) from the table."""
    import io

    from openpyxl import load_workbook

    from registry.editing import FORM
    from registry.importer.template import write_template
    from registry.vocabulary import Vocabulary

    assert all(f.choices for f in FORM if f.form == "choice") and all(f.vocab for f in FORM if f.form == "tree")
    assert BY_KEY["status"].choices[-1] == "unknown" and BY_KEY["crs"].choices == ("wgs84", "gcj02", "bd09")
    out = io.BytesIO()
    write_template(Vocabulary(), out)
    options = load_workbook(out)["选项"]
    found = {col[0].value: [c.value for c in col[1:] if c.value is not None] for col in options.iter_cols()}
    for f in FIELDS:
        if f.importable and f.choices:
            assert found[f.key] == list(f.choices), f.key
    assert {f.key for f in FIELDS if f.importable and (f.choices or f.vocab)} == set(found)
    assert validate_project({"code": "X-1", "name": "测试", "status": "planned"}, 1)[1][0].expected == " / ".join(
        BY_KEY["status"].choices)
