"""Who may do what: roles, the role × page × action matrix, and street scope.

The one place these rules live; pages, queries and exports ask here. Kept free of Streamlit
so the CLI and tests use the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: dict[str, str] = {
    "leader": "领导",
    "street": "街镇",
    "fire": "消防",
    "finance": "财务",
    "admin": "管理员",
}

# view: open the page · export: download its files · unmask: see full names/phones/addresses
# (an explicit, logged action) · edit: change data or settings on it.
V, E, U, W = "view", "export", "unmask", "edit"
ACTIONS = (V, E, U, W)

MATRIX: dict[str, dict[str, frozenset[str]]] = {
    # page        leader           street              fire                finance      admin
    "coverage": {
        "leader": {V, E},
        "street": {V, E},
        "fire": {V},
        "finance": {V, E},
        "admin": {V, E},
    },
    "weekly": {
        "leader": {V, E, W},  # W: publish a 第N期
        "street": {V, E},
        "fire": set(),
        "finance": {V},
        "admin": {V, E, W},
    },
    "overdue": {
        "leader": {V, E},
        "street": {V, E, U},
        "fire": {V},
        "finance": set(),
        "admin": {V, E, U},
    },
    "fire_risk": {
        "leader": {V},
        "street": {V, E, U},
        "fire": {V, E, U, W},
        "finance": set(),
        "admin": {V, E, U, W},
    },
    "batch": {
        "leader": set(),
        "street": {V, E, U, W},
        "fire": set(),
        "finance": set(),
        "admin": {V, E, U, W},
    },
    "import": {"leader": set(), "street": {V, W}, "fire": set(), "finance": set(), "admin": {V, W}},
    "audit": {"leader": set(), "street": set(), "fire": set(), "finance": set(), "admin": {V, E}},
    "users": {"leader": set(), "street": set(), "fire": set(), "finance": set(), "admin": {V, W}},
    # spot checks, acceptance, settlement and reconciliation — finance and admin only.
    "settlement": {
        "leader": set(),
        "street": set(),
        "fire": set(),
        "finance": {V, E, W},
        "admin": {V, E, W},
    },
    # 1
    "programme_settings": {
        "leader": set(),
        "street": set(),
        "fire": set(),
        "finance": set(),
        "admin": {V, W},
    },
    # 设备状态: the leadership and the fire/emergency office watch it, streets follow
    # up their own elderly (unmask to phone them), finance has no use for it. 服务保障: streets
    # record what grid workers report in their street; the fire/emergency office reads the
    # incidents (事故/险情); only admin imports the hotline's and the platform's exports.
    "devices": {
        "leader": {V, E},
        "street": {V, E, U},
        "fire": {V, E, U},
        "finance": set(),
        "admin": {V, E, U},
    },
    "service": {
        "leader": {V, E},
        "street": {V, E, U, W},
        "fire": {V, E},
        "finance": set(),
        "admin": {V, E, U, W},
    },
    # 抽查核验: the month's sample, its printable form and its results. Seed 000 has the streets
    # check their own work (spot_check_by = 街镇); whether a street may draw and record is the
    # programme's rule (data.money.spot_checks.street_checks), on top of this matrix.
    "spot_check": {
        "leader": {V, E},
        "street": {V, E, U, W},
        "fire": set(),
        "finance": {V, E, W},
        "admin": {V, E, U, W},
    },
    # 入户登记: street staff, grid workers and installers record at the door in their
    # street (they must see whom they visit: unmask is logged); admin corrects anywhere.
    "field": {
        "leader": set(),
        "street": {V, U, W},
        "fire": set(),
        "finance": set(),
        "admin": {V, U, W},
    },
}
MATRIX = {
    page: {role: frozenset(acts) for role, acts in row.items()} for page, row in MATRIX.items()
}

PAGE_TITLES: dict[str, str] = {
    "coverage": "覆盖地图",
    "weekly": "周报",
    "overdue": "逾期",
    "fire_risk": "火灾风险",
    "batch": "批次",
    "import": "数据导入",
    "audit": "审计日志",
    "users": "用户管理",
    "settlement": "资金结算",
    "spot_check": "抽查核验",
    "programme_settings": "项目设置",
    "devices": "设备状态",
    "service": "服务保障",
    "field": "入户登记",
}


@dataclass(frozen=True)
class User:
    """An authenticated user: role and, for street users, the one street they may see."""

    username: str
    role: str
    street_id: str | None = None
    display_name: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"未知角色 {self.role!r}，可选：{', '.join(ROLES)}")
        if self.role == "street" and not self.street_id:
            raise ValueError("街道角色必须指定所属街道")


def can(user: User | None, page: str, action: str = V) -> bool:
    """Whether `user` may perform `action` on `page` (unknown pages and anonymous users: no)."""
    if user is None or page not in MATRIX:
        return False
    return action in MATRIX[page].get(user.role, frozenset())


def scope(user: User | None) -> list[str] | None:
    """Street ids a user's queries are limited to; None is the whole district.

    Anonymous gets an empty list (sees nothing), never None.
    """
    if user is None:
        return []
    if user.role == "street":
        return [user.street_id]
    return None


def narrow(user_scope: list[str] | None, wanted: list[str] | None) -> list[str] | None:
    """Intersect a requested scope (drill-down, a filter) with the user's: it can never widen."""
    if wanted is None:
        return user_scope
    if user_scope is None:
        return list(wanted)
    return [s for s in wanted if s in set(user_scope)]


ACTION_LABELS = {V: "查看", E: "导出", U: "显示完整个人信息", W: "编辑"}


def matrix_markdown() -> str:
    """The role × page × action matrix as the Markdown table in the README (a test keeps them equal)."""
    head = "| 页面 | " + " | ".join(f"{ROLES[r]} {r}" for r in ROLES) + " |"
    rule = "|---|" + "---|" * len(ROLES)
    rows = [
        f"| {PAGE_TITLES[page]} | "
        + " | ".join(
            "、".join(ACTION_LABELS[a] for a in ACTIONS if a in MATRIX[page][r]) or "—"
            for r in ROLES
        )
        + " |"
        for page in MATRIX
    ]
    return "\n".join([head, rule, *rows])
