-- Who fills in a form: the signed-in user's 科室 (unit) and 联系电话, printed on the documents
-- Anju writes (seed 004's 月度统计表: 填报人 / 联系电话 / 科室). Both optional.
ALTER TABLE app_user ADD COLUMN phone VARCHAR;
ALTER TABLE app_user ADD COLUMN unit VARCHAR;
