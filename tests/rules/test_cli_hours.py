"""``ceportal hours`` through the real console script: JSON out, or exit 2 with one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def run(stdin: str | bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "hours", *(args or ("-",))],
        input=data,
        capture_output=True,
        cwd=ROOT,
        check=False,
    )


def test_prints_utf8_json() -> None:
    request = {"kind": "promotion", "target": "engineer", "year": 2011, "records": []}
    proc = run(json.dumps(request))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "按温经贸培训〔2009〕74号" in out  # not \u-escaped
    body = json.loads(out)
    assert body["required"] == {"total": 96, "public": 24}
    assert proc.stderr == b""


def test_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(
        json.dumps({"kind": "promotion", "target": "junior_first", "year": 2009, "records": []})
    )
    proc = run(b"", str(path))
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["required"] == {"total": 16, "public": 0}


P = '{"kind": "promotion", "target": "engineer", "year": 2011, "records": %s}'


@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        (
            "{",
            "请求不是有效的 JSON（第1行第2列）：Expecting property name enclosed in double quotes",
        ),
        ("[]", "请求必须是JSON对象，收到 列表"),
        ('{"target": "engineer"}', "kind: 缺少必填字段（promotion 申报晋升 或 cycle 周期验审）"),
        (
            '{"kind": "retire"}',
            "kind: 未知的类型 “retire”，应为 promotion（申报晋升）或 cycle（周期验审）",
        ),
        (
            '{"kind": "promotion", "target": "chief", "year": 2011, "records": []}',
            "target: 未知的申报目标 “chief”，应为 junior_first（初次申报初级）、assistant_engineer（助理工程师）、"
            "engineer（工程师）、senior_engineer（高级工程师及以上） 之一",
        ),
        (
            '{"kind": "cycle", "title": "professor", "cycle_start": 2009, "year": 2011, "records": []}',
            "title: 未知的现任职称 “professor”，应为 senior_engineer（高级工程师）、engineer（工程师）、"
            "assistant_engineer（助理工程师）、technician（技术员） 之一",
        ),
        (
            P % '[{"year": 2010, "module": "sport", "hours": 8}]',
            "records[0].module: 未知的学时类别 “sport”，应为 public（公共必修课）、elective（专业选修课）、other（其他形式） 之一",
        ),
        (
            '{"kind": "promotion", "target": "engineer", "year": 2008, "records": []}',
            "year: 年度不能早于2009年（继续教育自2009年开始），收到 2008",
        ),
        (
            '{"kind": "promotion", "target": "engineer", "year": 2011.5, "records": []}',
            "year: 年度必须是整数（如 2009），收到 2011.5",
        ),
        (
            '{"kind": "promotion", "target": "engineer", "year": "2011", "records": []}',
            "year: 年度必须是整数（如 2009），收到 “2011”",
        ),
        (
            P % '[{"year": 2010, "module": "public", "hours": 0}]',
            "records[0].hours: 学时必须是大于0的数字，收到 0",
        ),
        (
            P % '[{"year": 2010, "module": "public", "hours": -8}]',
            "records[0].hours: 学时必须是大于0的数字，收到 -8",
        ),
        (
            P % '[{"year": 2010, "module": "public", "hours": "十六"}]',
            "records[0].hours: 学时必须是大于0的数字，收到 “十六”",
        ),
        (
            P % '[{"year": 2010, "module": "public", "hours": true}]',
            "records[0].hours: 学时必须是大于0的数字，收到 true",
        ),
        (
            P % '[{"year": 2010, "module": "public", "hours": 1e999}]',
            "records[0].hours: 学时必须是大于0的数字，收到 inf",
        ),
        (
            P % '[{"year": 2010, "module": "public", "hours": NaN}]',
            "请求不是有效的 JSON：不支持 NaN",
        ),
        (P % '[{"year": 2010, "module": "public"}]', "records[0].hours: 缺少必填字段"),
        (
            P % '[{"year": 2010.0, "module": "public", "hours": 8}]',
            "records[0].year: 年度必须是整数（如 2009），收到 2010.0",
        ),
        (P % "[8]", "records[0]: 每条学时记录必须是对象，收到 8"),
        (P % '"many"', "records: 必须是学时记录的列表，收到 “many”"),
        ('{"kind": "promotion", "target": "engineer", "year": 2011}', "records: 缺少必填字段"),
        (
            '{"kind": "cycle", "title": "engineer", "year": 2011, "records": []}',
            "cycle_start: 缺少必填字段",
        ),
        (
            '{"kind": "cycle", "title": "engineer", "cycle_start": 2012, "year": 2011, "records": []}',
            "year: 验审年度（2011）不能早于周期起始年度（2012）",
        ),
        (
            '{"kind": "promotion", "target": "engineer", "year": 2011, "records": [], "taget": 1}',
            "taget: 不认识的字段，可用字段：kind、records、target、year",
        ),
    ],
)
def test_bad_requests_exit_2_with_one_line(request_text: str, message: str) -> None:
    proc = run(request_text)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode("utf-8") == f"ceportal hours: {message}\n"


def test_not_utf8() -> None:
    proc = run('{"kind": "promotion", "label": "工程师"}'.encode("gbk"))
    assert proc.returncode == 2
    assert proc.stderr.decode() == "ceportal hours: 请求文件不是 UTF-8 编码：请另存为 UTF-8\n"


def test_missing_file(tmp_path: Path) -> None:
    proc = run(b"", str(tmp_path / "nope.json"))
    assert proc.returncode == 2
    assert (
        proc.stderr.decode()
        == f"ceportal hours: 无法读取请求文件 {tmp_path / 'nope.json'}：No such file or directory\n"
    )


def test_unhashable_module_is_a_request_error() -> None:
    proc = run(P % '[{"year": 2010, "module": ["public"], "hours": 8}]')
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith(
        "ceportal hours: records[0].module: 未知的学时类别 列表，应为 public"
    )


def test_reason_stays_on_one_line_whatever_the_text() -> None:
    proc = run('{"kind": "promotion", "target": "a\\nb\\u0000c", "year": 2011, "records": []}')
    assert proc.returncode == 2
    line = proc.stderr.decode()
    assert line.startswith("ceportal hours: target: 未知的申报目标 “a\\nb\\u0000c”，应为")
    assert line.count("\n") == 1
