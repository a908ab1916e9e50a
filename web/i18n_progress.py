"""Interface words of the 调度 (monthly progress) views in both languages: the detail page's progress section
and chart, the dashboard's progress board, the 调度 upload on /import and its report, the 填报进度 form.
web/i18n.py merges them into STRINGS (templates read them as t.<key>). "{x}" marks where a value goes."""
from __future__ import annotations

from typing import Any

from registry.progress.run import ProgressReport

PROGRESS_STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        # detail page table and chart
        "pg_month": "月份", "pg_plan": "年度计划投资（亿元）", "pg_done": "1–M月累计完成（亿元）",
        "pg_due": "应完成（亿元）", "pg_ratio": "完成/应完成", "pg_image": "形象进度", "pg_issues": "存在问题",
        "pg_span": "{y}年1-{m}月",
        "pc_title": "{y}年 年度计划（按月均摊）与累计完成投资（亿元）", "pc_month_axis": "月",
        "pc_plan_tip": "年度计划 {x} 亿元，按月均摊", "pc_point_tip": "1-{m}月累计完成 {x} 亿元",
        "pc_plan_key": "应完成（计划 × 月 ÷ 12）", "pc_done_key": "累计完成（点色为进度评价）",
        # dashboard
        "pb_title": "进度（{x}）", "pb_none": "尚无调度数据", "pb_start": "开工率", "pb_end": "竣工率",
        "pb_overall": "年度计划投资完成率", "pb_time": "（序时进度 {x}%）",
        "pb_start_rule": "开工率 = 已开工项目 ÷ 项目数；已开工指状态为在建、竣工或投产，或已填实际开工日期（状态未注明且无日期的不计为开工）",
        "pb_end_rule": "竣工率 = 已竣工项目 ÷ 项目数；已竣工指状态为竣工或投产，或已填实际竣工日期",
        "pb_rules": "{a}；{b}。", "aside_open": "（", "aside_close": "）",
        "cc_title": "按{g}：投资完成率（{x}）", "cc_rate": "完成率（%）", "cc_amounts": "累计完成 / 年度计划（亿元）· 项目数",
        "cc_tip": "{label}：累计完成 {done} 亿元 ÷ 年度计划 {plan} 亿元 = {pct}%（{n} 个项目）",
        "cc_empty": "该月没有报了计划和完成额的项目。",
        "cc_note": "完成率 = 累计完成投资之和 ÷ 年度计划投资之和（只计当月报了两项数字的项目）。",
        "cc_time": "红线为序时进度 {x}%（月份 ÷ 12）。",
        "cc_districts": "区县", "cc_chains": "产业链", "cc_strategies": "区域战略",
        # 调度 upload on /import
        "pu_title": "导入月度调度表",
        "pu_intro": "上传各单位报送的调度表（.xlsx，标题行、单位行、合并表头、合计/分组/备注行均可）。按项目编号匹配，其次按名称或别名精确匹配；"
                    "只相近的行不会自动匹配，而是列出候选请您确认。全部通过才写入，重复导入同一月份不会改变数据。"
                    "年份和月份从表头读取，表中未写时请在此选择。可先下载",
        "pu_template": "调度表模板", "pu_end": "。", "pu_file": "调度表（.xlsx）", "pu_year": "年份（表中未写时）",
        "pu_month": "月份（1–M月的 M）", "pu_preview": "预览（不写入）", "pu_report": "下载问题报告（.xlsx）",
        "pu_apply": "导入", "pu_sheet": " · 工作表 {x}", "pu_applied": "已导入：", "pu_more": "另有 {x} 个问题：请下载问题报告。",
        "pu_confirm": "请确认以下行对应的项目（未确认的行不会导入）", "pu_row": "第 {x} 行",
        "pu_unsure": "（不确定，不导入）", "pu_no_upload": "不必重新上传：", "pu_repreview_chosen": "按所选重新预览",
        "pu_repreview": "再次预览", "pu_apply_this": "导入此表", "pu_row_h": "行号", "pu_code": "编号", "pu_project": "项目",
        "pu_match": "匹配", "pu_result": "结果", "pu_after": "导入后",
        "how_code": "编号", "how_name": "名称", "how_alias": "别名", "how_confirmed": "人工确认",
        "change_新增": "新增", "change_更新": "更新", "change_未变": "未变",
        # 填报进度 form
        "pe_title": "进度 {x}",
        "pe_edit_project": "编辑项目",
        "pe_h1": "填报进度",
        "pe_total": "总投资：{x} 亿元。",
        "pe_total_unknown": "总投资：未知。",
        "pe_rules": "累计完成投资为当年 1 月至该月的累计数，不得超过总投资，也不得少于前一月；已关账的月份不能修改。每项修改记入修改记录。",
        "pe_year": "年份",
        "pe_switch": "切换",
        "pe_conflict": "你打开此页面后，该项目已被他人修改（当前版本 {x}）。你的填写尚未保存，下面保留了你的内容，核对后再次保存即可。",
        "pe_plan": "{x}年 年度计划投资",
        "pe_unit": "单位",
        "pe_unit_note": "金额均按所选单位精确保存（1 亿元 = 10,000 万元）；留空表示未知。",
        "pe_done": "1 月至该月累计完成投资",
        "pe_m": "{x}月",
        "pe_closed": "（已关账）",
        "pe_m_image": "{x}月形象进度",
        "pe_m_issues": "{x}月存在问题",
        "pe_comment": "修改说明（记入修改记录）",
        "pe_save": "保存",
        "pe_cancel": "取消",
    },
    "en": {
        "pg_month": "Month", "pg_plan": "Annual plan (亿元)", "pg_done": "Completed Jan–M (亿元)",
        "pg_due": "Due by then (亿元)", "pg_ratio": "Completed / due", "pg_image": "Physical progress",
        "pg_issues": "Problems", "pg_span": "Jan–{m}/{y}",
        "pc_title": "{y}: annual plan spread over the months, and completed investment (亿元)",
        "pc_month_axis": "month", "pc_plan_tip": "annual plan {x} 亿元, spread evenly",
        "pc_point_tip": "completed Jan–{m}: {x} 亿元", "pc_plan_key": "due (plan × month ÷ 12)",
        "pc_done_key": "completed (dot colour = progress class)",
        "pb_title": "Progress ({x})", "pb_none": "no monthly figures yet", "pb_start": "Started",
        "pb_end": "Finished", "pb_overall": "Annual plan completed", "pb_time": " (time elapsed {x}%)",
        "pb_start_rule": "Started = projects started ÷ projects; started means status under construction, completed "
                         "or in operation, or an actual start date entered (no status and no date is not counted)",
        "pb_end_rule": "Finished = projects finished ÷ projects; finished means status completed or in operation, "
                       "or an actual completion date entered",
        "pb_rules": "{a}; {b}.", "aside_open": " (", "aside_close": ")",
        "cc_title": "By {g}: investment completed ({x})", "cc_rate": "Completed (%)",
        "cc_amounts": "completed / annual plan (亿元) · projects",
        "cc_tip": "{label}: completed {done} 亿元 ÷ annual plan {plan} 亿元 = {pct}% ({n} projects)",
        "cc_empty": "No project reported both a plan and a completed amount for this month.",
        "cc_note": "Completed = sum of completed investment ÷ sum of annual plans (projects that reported both).",
        "cc_time": "The red line is the time elapsed, {x}% (month ÷ 12).",
        "cc_districts": "district", "cc_chains": "industry chain", "cc_strategies": "regional strategy",
        "pu_title": "Import a monthly progress sheet",
        "pu_intro": "Upload a progress sheet as the offices send it (.xlsx; title row, unit row, merged headers, "
                    "total/group/notes rows are fine). Rows are matched by project code, then by exact name or alias; "
                    "a row that only nearly matches is never matched on its own: its candidates are listed for you to "
                    "confirm. Nothing is written unless every row passes; importing the same month again changes "
                    "nothing. Year and month are read from the header; choose them here when the sheet does not say. "
                    "You can start from",
        "pu_template": "the progress sheet template", "pu_end": ".", "pu_file": "Progress sheet (.xlsx)",
        "pu_year": "Year (when the sheet does not say)", "pu_month": "Month (the M of Jan–M)",
        "pu_preview": "Preview (writes nothing)", "pu_report": "Download the problem report (.xlsx)",
        "pu_apply": "Import", "pu_sheet": " · sheet {x}", "pu_applied": "Imported: ",
        "pu_more": "{x} more problems: download the problem report.",
        "pu_confirm": "Confirm the project of each row below (rows left unconfirmed are not imported)",
        "pu_row": "Row {x}", "pu_unsure": "(not sure: do not import)", "pu_no_upload": "No need to upload again:",
        "pu_repreview_chosen": "Preview again with these choices", "pu_repreview": "Preview again",
        "pu_apply_this": "Import this sheet", "pu_row_h": "Row", "pu_code": "Code", "pu_project": "Project",
        "pu_match": "Matched by", "pu_result": "Result", "pu_after": "After import",
        "how_code": "code", "how_name": "name", "how_alias": "alias", "how_confirmed": "confirmed by you",
        "change_新增": "added", "change_更新": "updated", "change_未变": "unchanged",
        "pe_title": "Progress {x}",
        "pe_edit_project": "Edit project",
        "pe_h1": "Enter progress",
        "pe_total": "Total investment: {x} 亿元. ",
        "pe_total_unknown": "Total investment: not known. ",
        "pe_rules": "Completed investment is the total from January to that month: never above the total investment, never below the month before; closed months cannot change. Every change is kept in the change history.",
        "pe_year": "Year",
        "pe_switch": "Show",
        "pe_conflict": "Since you opened this page someone else changed this project (now version {x}). Your entries are not saved yet; they are kept below: check them and save again.",
        "pe_plan": "{x} annual plan",
        "pe_unit": "Unit",
        "pe_unit_note": "Amounts are kept exactly in the unit chosen (1 亿元 = 10,000 万元); leave empty when not known.",
        "pe_done": "Completed investment, January to that month",
        "pe_m": "Month {x}",
        "pe_closed": "(closed)",
        "pe_m_image": "Month {x} physical progress",
        "pe_m_issues": "Month {x} problems",
        "pe_comment": "Comment (kept in the change history)",
        "pe_save": "Save",
        "pe_cancel": "Cancel",
    },
}


# A month's figures as 修改记录 shows them in English (registry/historyview.month_text is the Chinese).
MONTH_LABELS_EN = {"plan_investment": "annual plan", "completed_investment": "completed to date",
                   "image_progress": "physical progress", "issues": "problems"}


def month_text_en(value: dict[str, Any]) -> str:
    units = {"plan_investment": " 亿元", "completed_investment": " 亿元"}
    return "; ".join(f"{MONTH_LABELS_EN[k]} {v}{units.get(k, '')}" for k, v in value.items()
                     if k in MONTH_LABELS_EN and v not in (None, "")) or "(empty)"


def month_span(year: int | None, month: int | None, lang: str) -> str:
    """The year-to-date span a 调度 month covers: 2025年1-6月 / Jan–6/2025; no month yet says so."""
    if not year or not month:
        return PROGRESS_STRINGS[lang]["pb_none"]
    return PROGRESS_STRINGS[lang]["pg_span"].replace("{y}", str(year)).replace("{m}", str(month))


def progress_summary(report: ProgressReport, lang: str) -> str:
    """The 调度 import's one-line summary in the page's language (report.summary() is the CLI's, Chinese)."""
    if lang != "en":
        return report.summary()
    when = f"Jan–{report.month}/{report.year}" if report.year and report.month else "month not known"
    dry = " (preview, nothing written)" if report.dry_run else ""
    if report.problems:
        return f"{report.file} ({when}): {len(report.problems)} problems, nothing imported{dry}"
    return (f"{report.file} ({when}): added {len(report.added)}, updated {len(report.changed)}, unchanged "
            f"{len(report.unchanged)}, total/group/notes rows skipped {len(report.skipped_rows)}{dry}")
