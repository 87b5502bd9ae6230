"""``ceportal plan REQUEST.json|- [--specialty ID] [--county NAME] [--today YYYY-MM-DD] [--catalog DIR]``:
the gap planner, JSON in, JSON out (the calculator page runs the same ``plan``)."""

from __future__ import annotations

import argparse
import datetime as dt

from generator.rules import RequestError, plan, read_request

from . import _common
from ._common import Exit, Failed
from .hours import print_json, read_request_text

NAME = "plan"
HELP = "按差额从课程目录中选出可报名的办班（JSON 输入，JSON 输出）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "request", metavar="REQUEST.json", help="请求文件（同 ceportal hours），- 表示标准输入"
    )
    parser.add_argument(
        "--specialty",
        metavar="ID",
        help="专业代号（如 mechanical），只建议本专业及不限专业的选修课",
    )
    parser.add_argument(
        "--county",
        metavar="NAME",
        help="所在县（市、区），如 瑞安市：初级职称只建议市本级及该县（市、区）的办班",
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="按哪一天判断能否报名（默认今天）")
    _common.add_catalog(parser)


def run(args: argparse.Namespace) -> int:
    from generator.browser.calculator_data import catalogs_data

    # The same reading, and the same reasons, as ``ceportal hours``.
    text = read_request_text(args.request)
    catalog = _common.catalog(args.catalog, "未生成建议")
    today = args.today if args.today is not None else dt.date.today()
    try:
        response = plan(
            catalog.policy.as_rules_data(),
            catalogs_data(catalog),
            read_request(text),
            specialty=args.specialty,
            county=args.county,
            today=today,
        )
    except RequestError as exc:
        raise Failed(Exit.USAGE, str(exc)) from None
    return print_json(response)
