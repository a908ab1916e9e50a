"""Interface words of the editor pages, the print view, /stats and the page frame, in both languages.
web/i18n.py merges them into STRINGS (templates read them as t.<key>); kept apart so that file stays short.
"{x}" marks where a template puts a value."""
from __future__ import annotations

PAGE_STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        # page frame
        "nav_stats": "统计", "nav_new": "新建项目", "nav_import": "导入", "logout": "退出", "login": "登录",
        "colon": "：", "list_sep": "、", "empty_value": "（空）", "none_chosen": "（未选）",
        # detail page
        "archived_banner": "已归档（{x}）：不出现在任何列表、地图、合计和导出中。", "edit": "编辑",
        "place_title": "核实位置", "archive": "归档",
        "archive_confirm": "归档后该项目不再出现在列表、地图和导出中（可由管理员恢复）。确定归档？",
        "restore": "恢复", "history_json": "修改记录 JSON",
        # place panel
        "mode_point": "点位", "mode_geometry": "线/面（在地图上绘制）", "mode_area": "区县/开发区",
        "point_hint": "在地图上单击设点，或粘贴坐标：", "lon": "经度", "lat": "纬度", "crs": "坐标系",
        "crs_wgs84": "WGS-84（GPS、天地图）", "crs_gcj02": "GCJ-02（高德、腾讯地图复制的坐标）",
        "crs_bd09": "BD-09（百度地图复制的坐标）", "draw_hint": "用地图左上角的绘制工具画出线路或范围（如道路、园区）。",
        "preview_hint": "保存前会在此显示推算出的区县、开发区、走廊和精度。", "comment": "说明", "preview": "预览",
        "place_save": "保存位置（人工核实）",
        "pv_no_district": "区县未定", "pv_zone": "开发区：", "pv_precision": "精度：", "pv_sep": "，",
        "pv_derived": "推算结果：", "pv_districts": "经过区县：", "pv_corridors": "位于走廊/区域：", "pv_warn": "注意：",
        "pv_failed": "无法预览：", "pv_check": "请检查输入", "pv_error": "预览请求失败",
        # history
        "history": "修改记录", "h_at": "时间（北京）", "h_user": "用户", "h_kind": "操作", "h_field": "字段",
        "h_old": "原值", "h_new": "新值", "h_comment": "说明", "h_reverted": "（已撤销）", "h_revert": "撤销此项",
        "h_revert_set": "撤销整批 #{x}", "h_none": "暂无修改记录。", "h_unplaced": "未定位",
        "h_precision": "精度", "h_sep": "，",
        # edit form
        "edit_title": "编辑项目", "new_title": "新建项目", "edit_page_title": "编辑 {x}", "saved_now": "当前已保存：",
        "conflict_head": "保存冲突：",
        "conflict_text": "你打开此页面后，该项目已被他人修改（当前版本 {x}）。你的修改尚未保存，也没有覆盖他人的修改。",
        "conflict_help": "下面的表单保留了你填写的内容；与当前已保存内容不同的字段下方标出了当前值。核对合并后再次保存即可（将以当前版本为基础保存）。",
        "form_errors": "有 {x} 处需要修改，见各字段下方的说明。",
        "e_code": "编号 *", "e_code_hint": "如 TY-2026-001", "e_name": "名称 *", "e_aliases": "别名（每行一个）",
        "e_kind": "类别", "e_status": "状态", "e_construction_type": "建设性质", "e_not_stated": "（未注明）", "e_total_investment": "总投资",
        "e_total_investment_hint": "如 12.5", "e_unit": "单位", "e_unit_note": "按所选单位精确保存（1 亿元 = 10,000 万元）；留空表示未知。",
        "e_investment_text": "投资原文", "e_capacity_text": "规模", "e_start_year": "开工年份", "e_end_year": "竣工年份", "e_builder": "建设单位",
        "e_partners": "合作方（每行一个）", "e_chains": "产业链（可多选）", "e_strategies": "区域战略（规划所列，可多选）",
        "e_place_text": "地点（原文）", "e_place_text_note": "修改地点文字不会移动项目；请在项目页“核实位置”中定位。",
        "e_description": "说明", "e_comment": "修改说明（记入修改记录）", "save": "保存", "cancel": "取消",
        # review
        "rv_count": "{x} 个项目",
        "rv_intro": "这些项目的位置尚不确定。每行说明原因；编辑可以打开项目在地图上单击、绘制或粘贴坐标定位，或一键接受系统建议（记为人工核实）。",
        "rv_as_list": "以列表筛选方式查看", "rv_code": "编号", "rv_name": "名称", "rv_reasons": "原因",
        "rv_place": "地点原文", "rv_precision": "现有精度", "rv_suggestion": "系统建议", "rv_accept": "接受建议",
        "rv_accept_comment": "接受系统建议", "rv_none": "没有待核实的项目。",
        # import
        "im_title": "导入项目表格", "im_template": "导入模板（.xlsx）", "im_intro_1": "先下载",
        "im_intro_2": "，或上传从本系统导出的表格。每一行都会校验；默认只要有一行出错，就不写入任何数据。有编号按编号更新，无编号按“项目名称 + 区县”匹配，否则新建。",
        "im_file": "文件（.xlsx 或 .csv）", "im_sheet": "工作表（可选）", "im_sheet_hint": "项目",
        "im_skip": "跳过有问题的行，只导入正确的行", "im_comment": "说明（记入修改记录）",
        "im_preview": "预览（不写入）", "im_report": "下载问题报告（.xlsx）", "im_apply": "导入",
        "im_running_apply": "正在导入：{x}", "im_running_preview": "正在预览：{x}", "im_rows": "行",
        "im_background": "大文件在后台处理；此页面会自动刷新，完成后显示结果。",
        "im_applied": "已写入的修改", "im_previewed": "将要写入的修改（预览，尚未写入）", "im_changes": "{x} 处",
        "im_code": "编号", "im_project": "项目", "im_field": "字段", "im_before": "修改前", "im_after": "修改后",
        "im_created": "（新建）", "im_more": "另有 {x} 处修改未列出。",
        "ir_sheet": "工作表", "ir_ignored": "忽略的列", "ir_informational": "仅供参考、不导入的列", "ir_problems": "问题",
        "ir_row": "行号", "ir_column": "列", "ir_value": "值", "ir_problem": "问题", "ir_expected": "应为",
        "ir_more": "另有 {x} 个问题：请下载问题报告。", "ir_duplicates": "疑似重复（请确认）",
        "ir_applied": "已导入", "ir_dry_run": "试运行，未写入", "ir_refused": "有错误，未写入任何数据",
        "ir_summary": "{state} · 读取 {read} 行 · 新增 {created} · 更新 {updated} · 未变 {unchanged} · "
                      "问题 {problems}（{bad} 行） · 疑似重复 {duplicates}",
        # login
        "username": "用户名", "password": "密码",
        # print view
        "pr_back": "← 返回列表", "pr_print": "打印", "pr_pdf": "下载 PDF", "pr_data_date": "数据截至", "pr_printed": "打印于",
        "pr_no_data": "无数据", "pr_number": "序号", "pr_sum": "合计", "pr_sum_first": "前 {x} 个合计",
        "pr_cut": "只列出前 {x} 个项目（共 {y} 个），合计行只计这些；请缩小筛选后再打印。",
        "pr_projects": "{x} 个项目", "pr_without": "（{x} 个未列投资额，不计入合计）",
        # stats
        "st_download": "下载 SVG",
    },
    "en": {
        "nav_stats": "Statistics", "nav_new": "New project", "nav_import": "Import", "logout": "Log out",
        "login": "Log in", "colon": ": ", "list_sep": ", ", "empty_value": "(empty)", "none_chosen": "(none)",
        "archived_banner": "Archived ({x}): in no list, map, total or export.", "edit": "Edit",
        "place_title": "Verify the location", "archive": "Archive",
        "archive_confirm": "Once archived the project leaves every list, map and export (an admin can restore it). "
                           "Archive it?",
        "restore": "Restore", "history_json": "Change history JSON",
        "mode_point": "Point", "mode_geometry": "Line / area (draw on the map)", "mode_area": "District / zone",
        "point_hint": "Click the map to set a point, or paste coordinates:", "lon": "Longitude", "lat": "Latitude",
        "crs": "Coordinate system", "crs_wgs84": "WGS-84 (GPS, Tianditu)",
        "crs_gcj02": "GCJ-02 (copied from Amap or Tencent maps)", "crs_bd09": "BD-09 (copied from Baidu maps)",
        "draw_hint": "Draw the route or the area (a road, a park) with the tools at the map's top left.",
        "preview_hint": "Before saving, the derived district, zone, corridors and precision show here.",
        "comment": "Comment", "preview": "Preview", "place_save": "Save the location (verified by hand)",
        "pv_no_district": "district undetermined", "pv_zone": "zone: ", "pv_precision": "precision: ", "pv_sep": ", ",
        "pv_derived": "Derived: ", "pv_districts": "Districts crossed: ", "pv_corridors": "In corridors / regions: ",
        "pv_warn": "Note: ", "pv_failed": "No preview: ", "pv_check": "check the input",
        "pv_error": "The preview request failed",
        "history": "Change history", "h_at": "Time (Beijing)", "h_user": "User", "h_kind": "Action",
        "h_field": "Field", "h_old": "Old value", "h_new": "New value", "h_comment": "Comment",
        "h_reverted": "(reverted)", "h_revert": "Revert this change", "h_revert_set": "Revert change set #{x}",
        "h_none": "No changes recorded yet.", "h_unplaced": "not placed", "h_precision": "precision",
        "h_sep": ", ",
        "edit_title": "Edit project", "new_title": "New project", "edit_page_title": "Edit {x}",
        "saved_now": "Saved now: ", "conflict_head": "Save conflict: ",
        "conflict_text": "Someone changed this project after you opened this page (now version {x}). Your changes "
                         "are not saved and did not overwrite theirs.",
        "conflict_help": "The form keeps what you typed; fields that differ from the saved version show the saved "
                         "value below them. Merge and save again (it saves over the current version).",
        "form_errors": "{x} fields need changes: see the notes below them.",
        "e_code": "Code *", "e_code_hint": "e.g. TY-2026-001", "e_name": "Name *", "e_aliases": "Aliases (one a line)",
        "e_kind": "Kind", "e_status": "Status", "e_construction_type": "Construction type", "e_not_stated": "(not stated)",
        "e_total_investment": "Total investment", "e_total_investment_hint": "e.g. 12.5", "e_unit": "Unit",
        "e_unit_note": "Saved exactly in the chosen unit (1 亿元 = 10,000 万元); empty means unknown.",
        "e_investment_text": "Investment as written", "e_capacity_text": "Capacity", "e_start_year": "Start year", "e_end_year": "End year",
        "e_builder": "Builder", "e_partners": "Partners (one a line)", "e_chains": "Industry chains (several allowed)",
        "e_strategies": "Regional strategies stated by a plan (several allowed)", "e_place_text": "Place (as written)",
        "e_place_text_note": "Changing the place text does not move the project: place it with “Verify the location” "
                        "on its page.",
        "e_description": "Description", "e_comment": "Comment (kept in the change history)", "save": "Save",
        "cancel": "Cancel",
        "rv_count": "{x} projects",
        "rv_intro": "These projects' locations are uncertain; each row says why. Editors open a project to click, "
                    "draw or paste its place on the map, or accept the suggestion in one click (recorded as "
                    "verified by hand).",
        "rv_as_list": "Show as a filtered list", "rv_code": "Code", "rv_name": "Name", "rv_reasons": "Reason",
        "rv_place": "Place as written", "rv_precision": "Current precision", "rv_suggestion": "Suggestion",
        "rv_accept": "Accept", "rv_accept_comment": "accepted the suggestion", "rv_none": "No location to verify.",
        "im_title": "Import a spreadsheet", "im_template": "the import template (.xlsx)", "im_intro_1": "Download",
        "im_intro_2": " or upload a sheet exported from this registry. Every row is checked; by default nothing is "
                      "written if any row has a problem. Rows with a code update that project, rows without one "
                      "match on name + district, others are created.",
        "im_file": "File (.xlsx or .csv)", "im_sheet": "Sheet (optional)", "im_sheet_hint": "",
        "im_skip": "Skip rows with problems, import the others", "im_comment": "Comment (kept in the change history)",
        "im_preview": "Preview (writes nothing)", "im_report": "Download the problem report (.xlsx)",
        "im_apply": "Import", "im_running_apply": "Importing: {x}", "im_running_preview": "Previewing: {x}",
        "im_rows": "rows", "im_background": "Large files run in the background; this page refreshes itself and "
                                            "shows the result when done.",
        "im_applied": "Changes written", "im_previewed": "Changes to write (preview, nothing written yet)",
        "im_changes": "{x}", "im_code": "Code", "im_project": "Project", "im_field": "Field", "im_before": "Before",
        "im_after": "After", "im_created": "(new)", "im_more": "{x} more changes not listed.",
        "ir_sheet": "sheet", "ir_ignored": "Columns ignored", "ir_informational": "Columns for reference, not imported",
        "ir_problems": "Problems", "ir_row": "Row", "ir_column": "Column", "ir_value": "Value", "ir_problem": "Problem",
        "ir_expected": "Expected", "ir_more": "{x} more problems: download the problem report.",
        "ir_duplicates": "Likely duplicates (please check)",
        "ir_applied": "applied", "ir_dry_run": "dry run: nothing written", "ir_refused": "errors: nothing written",
        "ir_summary": "{state} · {read} rows read · {created} new · {updated} updated · {unchanged} unchanged · "
                      "{problems} problems ({bad} rows) · {duplicates} likely duplicates",
        "username": "Username", "password": "Password",
        "pr_back": "← Back to the list", "pr_print": "Print", "pr_pdf": "Download PDF", "pr_data_date": "data as of", "pr_printed": "printed",
        "pr_no_data": "no data", "pr_number": "No.", "pr_sum": "Total", "pr_sum_first": "Total of the first {x}",
        "pr_cut": "Only the first {x} of {y} projects are listed and the total counts only these: narrow the "
                  "filter to print them all.",
        "pr_projects": "{x} projects", "pr_without": " ({x} without an amount, not in the total)",
        "st_download": "Download SVG",
    },
}

# Stored codes and core labels shown on these pages, in English (the Chinese are the core's own tables).
KIND_WORDS_EN = {"create": "created", "edit": "edited", "place": "location verified by hand", "archive": "archived",
                 "restore": "restored", "import": "import", "seed": "seed data", "revert": "revert",
                 "system": "system", "progress": "progress entered", "progress-import": "progress sheet import"}
ROLE_WORDS_EN = {"viewer": "viewer", "editor": "editor", "admin": "admin"}
CONSTRUCTION_WORDS_EN = {"新建": "new", "续建": "continued", "改扩建": "rebuilt or extended"}
# registry/review.py words each reason in Chinese; keyed by that text like a message catalogue.
REASON_WORDS_EN = {
    "未提及地点（规划只给出名称）": "no place mentioned (the plan gives only a name)",
    "地点文字未能识别": "the place text was not recognised", "仅到全市一级": "city level only",
    "位于太原市外": "outside Taiyuan", "开发区跨多个区县": "the zone spans several districts",
    "证据相互矛盾": "conflicting evidence", "涉及多个区县": "several districts",
    "位置待人工确认": "to be confirmed by a person",
}
# Column headers of the print view (registry/printout.MEETING_COLUMNS holds the Chinese).
MEETING_HEADERS_EN = {"code": "Code", "name": "Project", "capacity": "Capacity and content",
                      "total_investment": "Total investment (亿元)", "years": "Years", "status": "Status",
                      "district": "District", "zone": "Development zone", "builder": "Builder"}
