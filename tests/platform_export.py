"""The alarm platform's event export the device tests import (GBK CSV in the field): known and
unknown serials, the time formats the platform writes, an impossible day and an unreadable time."""

PLATFORM = [
    ["设备IMEI", "事件类型", "事件时间", "处理时间"],
    ["SN001", "报警", "2023/5/20 14:05:00", "2023-05-20 14:30"],
    ["SN999", "心跳", "2023-05-20 15:00:00", ""],  # unknown serial
    ["sn004b", "在线", "2023年5月20日 9时30分", ""],  # comes back online
    ["SN004A", "低电量", "2023-05-32 10:00", ""],  # no such day
    ["SN008", "离线", "昨天下午", ""],  # unreadable
    ["SN777", "故障", "2023-05-20 16:00", ""],  # unknown serial
]
