"""Options shared by every command that lists projects: the same filters as the web app's URL."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from registry.queries import MULTI_PARAMS, ProjectFilter

F = TypeVar("F", bound=Callable[..., Any])

_HELP = {
    "strategy": "区域战略 strategy the plan ties the project to (code or name; repeatable)",
    "corridor": "走廊/区域 corridor or strategic region, by plan link or by place (repeatable)",
    "district": "区县 district (adcode, name or short form such as 小店; repeatable)",
    "zone": "开发区 development zone (code, name or alias such as 综改区; repeatable)",
    "chain": "产业链 industry chain at any level of the tree (code or name; repeatable)",
    "status": "状态 status: 谋划/前期/在建/竣工/投产/unknown (repeatable)",
    "kind": "类别 project kind (repeatable)",
    "progress_class": "进度评价 progress class: 超前/正常/滞后/未填报 (repeatable; month: --progress-month)",
}


def filter_options(func: F) -> F:
    """Add --strategy … --max-investment, -q and --review; the command receives `flt: ProjectFilter`."""
    for param in reversed(list(MULTI_PARAMS)):
        func = click.option(f"--{param.replace('_', '-')}", f"{param}_values", multiple=True,
                            help=_HELP[param])(func)
    func = click.option("--min-investment", help="总投资 at least this many 亿元")(func)
    func = click.option("--max-investment", help="总投资 at most this many 亿元")(func)
    func = click.option("-q", "--query", "q", help="free text in name, alias, code or builder")(func)
    func = click.option("--review", is_flag=True, help="only projects whose location needs review (待核实位置)")(func)
    func = click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
                        help="the registry as it stood at the end of this day (Beijing time), from the history")(func)
    func = click.option("--progress-month", help="YYYY-MM the progress class refers to (default: newest with figures)")(func)
    return func


def build_filter(kwargs: dict[str, Any]) -> ProjectFilter:
    """Pop the filter options from a command's kwargs and build the ProjectFilter they describe."""
    params: dict[str, list[str]] = {p: list(kwargs.pop(f"{p}_values", ()) or ()) for p in MULTI_PARAMS}
    for key in ("min_investment", "max_investment", "q", "progress_month"):
        value = kwargs.pop(key, None)
        params[key] = [value] if value else []
    params["review"] = ["1"] if kwargs.pop("review", False) else []
    as_of = kwargs.pop("as_of", None)
    params["as_of"] = [as_of] if as_of else []
    return ProjectFilter.from_params(params)
