-- Who fills in a form: the signed-in user's 科室 (unit) and 联系电话, printed on the documents
-- Anju writes (seed 004's 月度统计表: 填报人 / 联系电话 / 科室). Both optional.
ALTER TABLE app_user ADD COLUMN phone VARCHAR;
ALTER TABLE app_user ADD COLUMN unit VARCHAR;

-- What a device set consists of (template [[device]] items, e.g. seed 002's 金属波纹管、自闭阀、
-- 切断阀、报警器): itemised on the 确认单 the resident signs. NULL: the set is its name.
ALTER TABLE device_type ADD COLUMN items VARCHAR[];
