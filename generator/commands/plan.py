"""``ceportal plan REQUEST.json|- [--specialty ID] [--today YYYY-MM-DD] [--catalog DIR]``:
the gap planner, JSON in, JSON out (the calculator page runs the same ``plan``)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ..problems import CatalogError
from ..rules import RequestError, plan, read_request
from .hours import read_source

NAME = "plan"
HELP = "按差额从课程目录中建议课程与可报名的办班（JSON 输入，JSON 输出）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "request", metavar="REQUEST.json", help="请求文件（同 ceportal hours），- 表示标准输入"
    )
    parser.add_argument(
        "--specialty",
        metavar="ID",
        help="专业代号（如 mechanical），只建议本专业及不限专业的选修课",
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="按哪一天判断能否报名（默认今天）")
    parser.add_argument(
        "--catalog", default="catalog", metavar="DIR", help="目录文件夹（默认 catalog）"
    )


def _fail(message: str) -> int:
    print(f"ceportal plan: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from ..calculator.data import catalogs_data
    from ..validating import load_catalog

    # The same reading, and the same reasons, as ``ceportal hours``.
    try:
        text = read_source(args.request)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        catalog, _warnings = load_catalog(args.catalog)
    except CatalogError as exc:
        return _fail(f"目录文件夹 {args.catalog} 有错误，请先运行 ceportal check：\n{exc}")
    today = args.today if args.today is not None else dt.date.today()
    try:
        response = plan(
            catalog.policy,
            catalogs_data(catalog),
            read_request(text),
            specialty=args.specialty,
            today=today,
        )
    except RequestError as exc:
        return _fail(str(exc))
    json.dump(response, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
