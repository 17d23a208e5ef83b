"""The data layer's messages to people, {key: {"zh": …, "en": …}}, `str.format` fields.

Keys are prefixed by module. The Chinese text is what `str(err)` has always said; both
languages carry the same fields (tests/test_data_messages.py).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- field entry (data/field.py)
    "field.no_right": {
        "zh": "您没有入户登记的权限。",
        "en": "You have no right to record field entries.",
    },
    "field.not_found": {
        "zh": "找不到该住户，或该住户不在您的管辖范围内。",
        "en": "Household not found, or not in your area.",
    },
    "field.search_short": {
        "zh": "请输入至少 2 个字：户号、姓名、地址或手机号后四位。",
        "en": "Type at least 2 characters: household id, name, address or a phone's last four digits.",
    },
    "field.no_programme": {"zh": "找不到该工作项目。", "en": "Programme not found."},
    "field.required": {"zh": "请填写{label}。", "en": "Please fill in {label}."},
    "field.too_long": {
        "zh": "{label}过长（最多 {limit} 字）。",
        "en": "Too long: {label} (at most {limit} characters).",
    },
    "field.pick_hazard": {
        "zh": "请选择该户的一条隐患。",
        "en": "Choose one of this household's hazards.",
    },
    "field.serial_missing": {
        "zh": "请填写设备 {device} 的序列号（多个用逗号分开）。",
        "en": "Fill in the serial number(s) of device {device} (several separated by commas).",
    },
    "field.serial_format": {
        "zh": "序列号 {serial} 格式不对：应为 4–40 位字母、数字或短横线。",
        "en": "Serial number {serial} is malformed: 4–40 letters, digits or hyphens.",
    },
    "field.serial_repeated": {
        "zh": "序列号 {serial} 在本次登记中重复。",
        "en": "Serial number {serial} appears twice in this entry.",
    },
    "field.serial_taken": {
        "zh": "序列号 {serials} 已登记在本项目的其他安装中，请核对。",
        "en": "Serial number(s) {serials} are already recorded on another installation of "
        "this programme; please check.",
    },
    "field.conflict": {
        "zh": "该住户刚被其他人更新，本次登记未保存；请刷新后再试。",
        "en": "Someone else just updated this household; this entry was not saved. "
        "Refresh and try again.",
    },
    "field.bad_kind": {
        "zh": "登记类型须为：{kinds}",
        "en": "The entry type must be one of: {kinds}",
    },
    "field.need_datetime": {"zh": "请填写日期和时间。", "en": "Fill in the date and time."},
    "field.future": {
        "zh": "日期时间不能晚于现在（北京时间）。",
        "en": "The date and time cannot be later than now (Beijing time).",
    },
    "field.pick_outcome": {
        "zh": "请选择入户结果：{outcomes}。",
        "en": "Choose the visit's outcome: {outcomes}.",
    },
    "field.hazard_kinds_needed": {
        "zh": "结果为“有隐患”时，请选择发现的隐患类型。",
        "en": "With the outcome 'hazard found', choose the kinds of hazard found.",
    },
    "field.hazard_kinds_only_with_hazard": {
        "zh": "只有结果为“有隐患”时才登记隐患类型。",
        "en": "Hazard kinds are recorded only with the outcome 'hazard found'.",
    },
    "field.hazard_kinds_unknown": {
        "zh": "隐患类型 {kinds} 不在本项目的隐患类型中。",
        "en": "Hazard kind(s) {kinds} are not among this programme's hazard kinds.",
    },
    "field.pick_checks": {
        "zh": "请勾选本次检查的内容：{checks}。",
        "en": "Tick what this visit checked: {checks}.",
    },
    "field.before_found": {
        "zh": "日期早于发现隐患的日期 {day}。",
        "en": "The date is before the hazard was found ({day}).",
    },
    "field.already_rectified": {
        "zh": "该隐患已于 {day} 整改。",
        "en": "This hazard was already rectified on {day}.",
    },
    "field.cut_after_rectified": {
        "zh": "该隐患已整改，不能再停气。",
        "en": "This hazard is rectified; gas cannot be cut for it.",
    },
    "field.already_cut": {
        "zh": "该隐患已于 {day} 停气。",
        "en": "Gas was already cut for this hazard on {day}.",
    },
    "field.restore_without_cut": {
        "zh": "该隐患没有停气记录，无需恢复供气。",
        "en": "No gas cut-off is recorded for this hazard; there is nothing to restore.",
    },
    "field.already_restored": {
        "zh": "该隐患已于 {day} 恢复供气。",
        "en": "Gas was already restored for this hazard on {day}.",
    },
    "field.restore_before_rectified": {
        "zh": "隐患尚未整改，不能恢复供气：请先登记整改。",
        "en": "The hazard is not rectified yet, so gas cannot be restored: record the "
        "rectification first.",
    },
    "field.restore_before_cut": {
        "zh": "恢复供气日期早于停气日期 {day}。",
        "en": "The restore date is before the cut-off date {day}.",
    },
    "field.pick_devices": {"zh": "请选择安装的设备。", "en": "Choose the devices installed."},
    "field.devices_unknown": {
        "zh": "设备 {devices} 不属于本项目或不适用于该户的燃气类型。",
        "en": "Device(s) {devices} are not in this programme or do not fit this household's gas type.",
    },
    "field.not_signed": {
        "zh": "请确认住户已在确认单上签字（勾选“住户已签字确认”）。",
        "en": "Confirm that the resident signed the confirmation form (tick 'Resident signed').",
    },
    "field.not_surveyed": {
        "zh": "该户尚未排摸（没有入户检查记录），请先登记入户检查。",
        "en": "This household is not surveyed yet (no visit recorded); record a visit first.",
    },
    "field.install_before_survey": {
        "zh": "安装日期不能早于排摸日期 {day}。",
        "en": "The installation date cannot be before the survey date {day}.",
    },
    "field.last_refused": {
        "zh": "该户最近一次入户结果为拒绝：须先登记一次新的入户检查，才能登记安装。",
        "en": "The household's last visit was a refusal: record a new visit before an installation.",
    },
    "field.last_unfixable": {
        "zh": "该户最近一次入户结果为无法整改：须先整改并登记新的入户检查。",
        "en": "The household's last visit found a hazard that could not be fixed: rectify it "
        "and record a new visit first.",
    },
    "field.gas_cut_now": {
        "zh": "该户处于停气状态：须先整改隐患并恢复供气，才能登记安装。",
        "en": "The household's gas is cut off: rectify the hazard and restore gas before "
        "recording an installation.",
    },
    "field.already_installed": {
        "zh": "该户已登记安装 {devices}。",
        "en": "This household already has {devices} recorded as installed.",
    },
    "field.verify_right": {
        "zh": "只有街道或管理员可以登记验收。",
        "en": "Only a street account or an administrator may record acceptance checks.",
    },
    "field.nothing_installed": {
        "zh": "该户还没有安装记录，不能验收。",
        "en": "This household has no installation yet; there is nothing to accept.",
    },
    "field.all_verified": {
        "zh": "该户的安装已全部验收。",
        "en": "All of this household's installations are already accepted.",
    },
    "field.verify_before_install": {
        "zh": "验收日期不能早于安装日期 {day}。",
        "en": "The acceptance date cannot be before the installation date {day}.",
    },
    "field.withdraw_right": {
        "zh": "您没有撤回登记的权限。",
        "en": "You have no right to withdraw entries.",
    },
    "field.entry_not_found": {"zh": "找不到该登记。", "en": "Entry not found."},
    "field.withdraw_reason": {
        "zh": "请填写撤回原因。",
        "en": "Give the reason for withdrawing.",
    },
    "field.already_withdrawn": {
        "zh": "该登记已撤回。",
        "en": "This entry is already withdrawn.",
    },
    "field.withdraw_own_only": {
        "zh": "只能撤回自己的登记；他人的登记请联系管理员撤回。",
        "en": "You can withdraw only your own entries; ask an administrator to withdraw "
        "someone else's.",
    },
    "field.withdraw_too_late": {
        "zh": "登记已超过 {minutes} 分钟，不能自行撤回；请联系管理员说明原因后撤回。",
        "en": "The entry is more than {minutes} minutes old and cannot be withdrawn by you; "
        "ask an administrator, giving the reason.",
    },
    "field.withdraw_later_first": {
        "zh": "后续登记 #{later} 依赖这条登记，请先撤回 #{later}。",
        "en": "Later entry #{later} depends on this one; withdraw #{later} first.",
    },
    # ---------------------------------------------------------------- registry (data/registry.py)
    "registry.need_date": {"zh": "请填写日期。", "en": "Fill in the date."},
    "registry.future": {
        "zh": "日期不能晚于今天（北京时间）。",
        "en": "The date cannot be later than today (Beijing time).",
    },
    "registry.no_right": {
        "zh": "您没有修改登记册的权限。",
        "en": "You have no right to change the registry.",
    },
    "registry.pick_reason": {
        "zh": "请选择原因：{reasons}。",
        "en": "Choose the reason: {reasons}.",
    },
    "registry.already_left": {
        "zh": "该人员已于 {day} 离开登记册。",
        "en": "This person already left the registry on {day}.",
    },
    "registry.before_registered": {
        "zh": "日期早于该人员登记的日期 {day}。",
        "en": "The date is before this person was registered ({day}).",
    },
    "registry.helper_name": {"zh": "请填写帮扶人姓名。", "en": "Fill in the helper's name."},
    "registry.helper_type": {
        "zh": "帮扶人类型须为：{types}。",
        "en": "The helper type must be one of: {types}.",
    },
    "registry.helper_phone": {
        "zh": "帮扶人电话格式不对：手机 11 位，或带区号的固定电话。",
        "en": "The helper's phone number is malformed: 11-digit mobile, or a landline with "
        "area code.",
    },
    "registry.pick_community": {
        "zh": "请选择本街道的社区（村）。",
        "en": "Choose a community (village) of your street.",
    },
    "registry.need_name": {"zh": "请填写姓名。", "en": "Fill in the name."},
    "registry.need_address": {"zh": "请填写住址。", "en": "Fill in the address."},
    "registry.need_sex": {"zh": "请选择性别。", "en": "Choose the sex."},
    "registry.too_young": {
        "zh": "出生年份须使本人年满 60 周岁（独居老人登记范围）。",
        "en": "The birth year must make the person at least 60 (the registry covers older "
        "people living alone).",
    },
    "registry.phone": {
        "zh": "电话格式不对：手机 11 位，或带区号的固定电话。",
        "en": "The phone number is malformed: 11-digit mobile, or a landline with area code.",
    },
    # ---------------------------------------------------------------- batches (data/batches/)
    "batch.unknown_rule": {
        "zh": "未知优先规则：{rule}，可选：{rules}",
        "en": "Unknown priority rule: {rule}; choose from: {rules}",
    },
    "batch.conflict": {
        "zh": "批次刚被其他人修改，本次操作未执行；请刷新页面后再试",
        "en": "Someone else just changed the batch; nothing was done. Refresh the page and "
        "try again",
    },
    "batch.bad_crew": {
        "zh": "班组应在 1–{crews} 之间",
        "en": "The crew must be between 1 and {crews}",
    },
    "batch.not_workday": {
        "zh": "{day} 不是 {month} 的工作日",
        "en": "{day} is not a working day of {month}",
    },
    "batch.day_full": {
        "zh": "第 {crew} 班组 {day} 已排满（每日 {per_day} 户）",
        "en": "Crew {crew} is fully booked on {day} ({per_day} households a day)",
    },
    "batch.not_in_batch": {
        "zh": "批次 {batch} 中没有住户 {household}",
        "en": "Batch {batch} has no household {household}",
    },
    "batch.not_waiting": {
        "zh": "住户 {household} 不在本街道的待安装名单中（或已安装）",
        "en": "Household {household} is not on this street's waiting list (or is installed)",
    },
    "batch.in_other_batch": {
        "zh": "住户 {household} 已在批次 {batch} 中",
        "en": "Household {household} is already in batch {batch}",
    },
    "batch.already_here": {
        "zh": "住户 {household} 已在本批次中",
        "en": "Household {household} is already in this batch",
    },
    "batch.bad_capacity": {
        "zh": "班组数和每组每日户数都必须至少为 1",
        "en": "Crews and households per crew a day must both be at least 1",
    },
    "batch.no_street": {"zh": "找不到街道：{street}", "en": "Street not found: {street}"},
    "batch.not_found": {"zh": "找不到批次：{batch}", "en": "Batch not found: {batch}"},
    "batch.other_street": {
        "zh": "无权操作其他街道的批次：{batch}",
        "en": "You may not act on another street's batch: {batch}",
    },
    "batch.not_draft": {
        "zh": "批次 {batch} 已{status}，不能直接修改；如需调整，请先“退回草稿”并填写理由（将记入审计日志）",
        "en": "Batch {batch} is {status} and cannot be changed directly; to adjust it, first "
        "'return to draft' with a reason (audit-logged)",
    },
    "batch.empty_plan": {
        "zh": "方案中没有住户，未保存",
        "en": "The plan has no households; nothing saved",
    },
    "batch.claimed": {
        "zh": "批次 {batch} 刚被其他人修改（已不是{status}），本次操作未执行",
        "en": "Someone else just changed batch {batch} (it is no longer {status}); nothing was done",
    },
    "batch.already_sent": {
        "zh": "批次 {batch} 已被下发或修改，未重复下发",
        "en": "Batch {batch} was already sent or changed; not sent again",
    },
    "batch.already_confirmed": {
        "zh": "批次 {batch} 已被确认或退回，未重复确认",
        "en": "Batch {batch} was already confirmed or returned; not confirmed again",
    },
    "batch.send_empty": {
        "zh": "批次中没有住户，不能下发",
        "en": "The batch has no households and cannot be sent",
    },
    "batch.confirm_unsent": {
        "zh": "只有已下发的批次可以确认（当前：{status}）",
        "en": "Only a sent batch can be confirmed (now: {status})",
    },
    "batch.already_draft": {"zh": "批次已是草稿", "en": "The batch is already a draft"},
    "batch.reopen_reason": {
        "zh": "退回草稿必须填写理由",
        "en": "Returning to draft needs a reason",
    },
    "batch.already_reopened": {
        "zh": "批次 {batch} 已被退回或修改，未重复退回",
        "en": "Batch {batch} was already returned or changed; not returned again",
    },
    # ---------------------------------------------------------------- accounts (data/accounts.py)
    "accounts.no_street": {
        "zh": "找不到街道 {street!r}：请填写街道名称（如 华阳路街道）或区划代码",
        "en": "Street {street!r} not found: give the street's name (e.g. 华阳路街道) or its "
        "division code",
    },
    "accounts.bad_username": {
        "zh": "用户名不能为空、不能含空格，且不超过 64 个字符",
        "en": "The username must not be empty, must hold no spaces, and at most 64 characters",
    },
    "accounts.bad_role": {
        "zh": "未知角色 {role!r}，可选：{roles}",
        "en": "Unknown role {role!r}; choose from: {roles}",
    },
    "accounts.street_needed": {
        "zh": "街道角色必须用 --street 指定所属街道",
        "en": "A street account needs its street (--street)",
    },
    "accounts.exists": {"zh": "用户 {username} 已存在", "en": "User {username} already exists"},
    "accounts.no_user": {"zh": "没有用户 {username}", "en": "No user {username}"},
    "accounts.same_password": {
        "zh": "新密码不能与旧密码相同",
        "en": "The new password must differ from the old one",
    },
    "accounts.wrong_password": {
        "zh": "旧密码不正确",
        "en": "The current password is wrong",
    },
    "accounts.password_short": {
        "zh": "新密码至少需要 {length} 个字符",
        "en": "The new password needs at least {length} characters",
    },
    "accounts.password_has_name": {
        "zh": "新密码不能包含用户名",
        "en": "The new password must not contain the username",
    },
    "accounts.password_common": {
        "zh": "这个密码太常见或太简单（如 1234567890、aaaaaaaaaa），请换一个不易猜到的密码",
        "en": "This password is too common or too simple (like 1234567890 or aaaaaaaaaa); "
        "choose one that is hard to guess",
    },
    "accounts.login_failed": {
        "zh": "用户名或密码不正确，或账号已被锁定、停用。连续输错 {failures} 次将锁定 15 分钟；"
        "如需帮助请联系管理员。",
        "en": "Wrong username or password, or the account is locked or disabled. After "
        "{failures} wrong tries in a row the account is locked for 15 minutes; ask an "
        "administrator for help.",
    },
    # ---------------------------------------------------------------- photos (data/photos.py)
    "photos.bad_type": {
        "zh": "照片 {name}：只接受 jpg、png、heic 格式。",
        "en": "Photo {name}: only jpg, png and heic are accepted.",
    },
    "photos.empty": {"zh": "照片 {name} 是空文件。", "en": "Photo {name} is an empty file."},
    "photos.unreadable": {
        "zh": "照片 {name} 无法识别为图片（文件可能已损坏）。",
        "en": "Photo {name} cannot be read as an image (the file may be damaged).",
    },
    "photos.wrong_extension": {
        "zh": "照片 {name} 的内容与扩展名不符（实际为 {actual}）。",
        "en": "Photo {name} does not match its extension (it is {actual}).",
    },
    "photos.memory_db": {
        "zh": "内存数据库没有照片存储目录。",
        "en": "An in-memory database has no photo folder.",
    },
    "photos.no_folder": {"zh": "没有照片存储目录。", "en": "There is no photo folder."},
    # ---------------------------------------------------------------- settlement, spot checks
    "settlement.unknown_household": {
        "zh": "户号「{household}」不在本项目的住户名单中",
        "en": "Household id '{household}' is not on this programme's household list",
    },
    "settlement.already_paid": {
        "zh": "户号「{household}」已登记过收款",
        "en": "Household id '{household}' already has a payment recorded",
    },
    "settlement.already_opted_out": {
        "zh": "户号「{household}」已登记为不参加",
        "en": "Household id '{household}' is already recorded as not taking part",
    },
    "settlement.payment_right": {
        "zh": "用户 {username} 没有录入收款的权限。",
        "en": "User {username} has no right to record payments.",
    },
    "settlement.bad_amount": {
        "zh": "金额「{amount}」应为正数，最多两位小数",
        "en": "Amount '{amount}' must be positive, with at most two decimals",
    },
    "settlement.opt_out_right": {
        "zh": "用户 {username} 没有登记的权限。",
        "en": "User {username} has no right to record this.",
    },
    "settlement.opt_out_reason": {
        "zh": "须填写不参加的原因（例如：已安装设备尚在质保期内）",
        "en": "Give the reason for not taking part (e.g. the installed devices are still "
        "under warranty)",
    },
    "spot.draw_right": {
        "zh": "用户 {username} 没有抽查的权限。",
        "en": "User {username} has no right to draw spot checks.",
    },
    "spot.no_rate": {
        "zh": "项目「{programme}」没有规定抽查比例（spot_check_rate）。",
        "en": "Programme '{programme}' sets no spot check rate (spot_check_rate).",
    },
    "spot.drawn": {
        "zh": "{month} 已经抽取过样本；重新抽取须填写原因（首次抽取的样本会保留）。",
        "en": "A sample for {month} is already drawn; drawing again needs a reason (the "
        "first sample is kept).",
    },
    "spot.result_right": {
        "zh": "用户 {username} 没有录入抽查结果的权限。",
        "en": "User {username} has no right to record spot check results.",
    },
    "acceptance.no_right": {
        "zh": "用户 {username} 不能{verb}该街道的月度数据。",
        "en": "User {username} may not {verb} this street's monthly figures.",
    },
    "acceptance.reason": {
        "zh": "{verb}须填写原因。",
        "en": "To {verb}, give a reason.",
    },
    # ---------------------------------------------------------------- import files (data/importing/read.py)
    "import.empty": {
        "zh": "{file}：文件是空的（0 字节）。",
        "en": "{file}: the file is empty (0 bytes).",
    },
    "import.too_large": {
        "zh": "{file}：文件过大（{mb} MB），单次导入上限 {limit} MB。请按街道或月份拆分后分别导入。",
        "en": "{file}: the file is too large ({mb} MB); one import takes at most {limit} MB. "
        "Split it by street or month and import the parts.",
    },
    "import.not_table": {
        "zh": "{file}：这是{what}，不是表格。请上传 Excel（.xlsx/.xls）或 CSV 文件。",
        "en": "{file}: this is {what}, not a table. Upload an Excel (.xlsx/.xls) or CSV file.",
    },
    "import.damaged": {
        "zh": "{file}：文件已损坏，无法打开（{detail}）。",
        "en": "{file}: the file is damaged and cannot be opened ({detail}).",
    },
    "import.zip_not_excel": {
        "zh": "{file}：这是压缩包或其他 Office 文档，不是 Excel 表格。",
        "en": "{file}: this is an archive or another Office document, not an Excel workbook.",
    },
    "import.binary": {
        "zh": "{file}：无法识别的二进制文件，请上传 Excel 或 CSV。",
        "en": "{file}: an unrecognised binary file; upload Excel or CSV.",
    },
    "import.encoding": {
        "zh": "{file}：无法识别文字编码（试过 UTF-8、GBK/GB18030），请另存为 UTF-8 CSV。",
        "en": "{file}: the text encoding is not recognised (tried UTF-8 and GBK/GB18030); "
        "save it again as UTF-8 CSV.",
    },
    "import.excel_damaged": {
        "zh": "{file}：Excel 文件已损坏或加密，无法打开（{detail}）。",
        "en": "{file}: the Excel file is damaged or encrypted and cannot be opened ({detail}).",
    },
    "import.no_sheet": {
        "zh": "{file}：没有名为「{sheet}」的工作表；现有：{sheets}。",
        "en": "{file}: there is no sheet named '{sheet}'; the sheets are: {sheets}.",
    },
    # ---------------------------------------------------------------- programmes (data/programmes.py)
    "programme.no_template": {
        "zh": "没有名为 {name!r} 的项目模板；可选：{names}",
        "en": "No programme template named {name!r}; choose from: {names}",
    },
    "programme.no_file": {"zh": "找不到项目文件 {path}", "en": "Programme file {path} not found"},
    "programme.not_utf8": {
        "zh": "项目文件 {file} 不是 UTF-8 编码，请另存为 UTF-8",
        "en": "Programme file {file} is not UTF-8; save it again as UTF-8",
    },
    "programme.bad_toml": {
        "zh": "项目文件 {file} 格式有误（TOML）：{detail}",
        "en": "Programme file {file} is malformed (TOML): {detail}",
    },
    "programme.share_not_number": {
        "zh": "分担比例 {share!r} 不是数字",
        "en": "Cost share {share!r} is not a number",
    },
    "programme.invalid": {
        "zh": "项目设置有误：\n{errors}",
        "en": "The programme settings have errors:\n{errors}",
    },
    "programme.not_found": {
        "zh": "没有编号为 {programme} 的项目",
        "en": "No programme with id {programme}",
    },
    "programme.bad_rules": {
        "zh": "规则格式有误（每行 名称 = 值，文字加引号）：{detail}",
        "en": "The rules are malformed (one 'name = value' a line, text in quotes): {detail}",
    },
}
