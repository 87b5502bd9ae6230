"""``ceportal hours`` through the real console script, run from a folder outside the
repository (the shipped policy): JSON out, or exit 2 with one Chinese line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.cli

# Outside the repository: no catalog/ here, and generator comes from the installed package.
ELSEWHERE = Path(tempfile.mkdtemp(prefix="ceportal-hours-"))
CONSOLE = Path(sys.executable).with_name("ceportal")


def run(stdin: str | bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(CONSOLE), "hours", *(args or ("-",))],
        input=data,
        capture_output=True,
        cwd=ELSEWHERE,
        env=env,
        check=False,
    )


def assert_refused(proc: subprocess.CompletedProcess[bytes], message: str) -> None:
    err = proc.stderr.decode("utf-8")
    assert (proc.returncode, proc.stdout, err) == (2, b"", f"ceportal hours: {message}\n")
    assert "Traceback" not in err
    # No English from the parser: the only Latin letters are field paths and ids.
    prose = re.sub(r"[A-Za-z_]+\[\d+\]\.[a-z_]+|“[^”]*”", "", err.removeprefix("ceportal hours: "))
    assert not re.search(r"\b(Expecting|Extra|Exceeds|Unterminated|Invalid|limit)\b", prose)


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
            "请求不是有效的JSON（第1行第2列）：此处应为用双引号括起的字段名",
        ),
        ("[]", "请求必须是JSON对象，收到 列表"),
        ('{"target": "engineer"}', "kind: 缺少必填字段（promotion 申报晋升 或 cycle 周期验审）"),
        (
            '{"kind": "retire"}',
            "kind: 未知的类型 “retire”，应为 promotion（申报晋升）或 cycle（周期验审）",
        ),
        (
            '{"kind": "promotion", "target": "chief", "year": 2011, "records": []}',
            "target: 未知的申报目标 “chief”，应为 junior_first（初次申报初级职称（技术员、助理工程师））、"
            "assistant_engineer（技术员晋升助理工程师）、engineer（助理工程师晋升工程师）、"
            "senior_engineer（工程师晋升高级工程师及以上） 之一",
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
            "records[0].hours: 学时不能超过10000（一年只有8760小时），收到 1e999",
        ),
        (
            P % '[{"year": 2010, "module": "public", "hours": NaN}]',
            "请求不是有效的JSON（第1行第115列）：NaN 不是JSON允许的数字",
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
    assert_refused(run(request_text), message)


R = '{"year": 2010, "module": "public", "hours": %s}'


@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        ("", "请求为空"),
        (" \r\n\t", "请求为空"),
        ("\ufeff", "请求为空"),
        (P % ("[" + R % 8 + ", " + R % '-5, "hours": 16' + "]"), "records[1].hours: 字段重复"),
        ('{"kind": "promotion", "kind": "cycle"}', "kind: 字段重复"),
        ('{"kind": "promotion", "target": "engineer", "year": 2011, "records": [], "records": []}',
         "records: 字段重复"),
        ('{"kind": "promotion", "target": "engineer", "year": 2011, "records": []} x',
         "请求不是有效的JSON（第1行第74列）：JSON 已经结束，其后还有多余的内容"),
        ('{"kind": "promotion",\n  "target" "engineer"}',
         "请求不是有效的JSON（第2行第12列）：字段名后应为冒号“:”"),
        ('{"kind": "promotion", "target": "engineer",}',
         "请求不是有效的JSON（第1行第43列）：结束的括号前多了一个逗号"),
        ('[1, 2,\n]', "请求不是有效的JSON（第1行第6列）：结束的括号前多了一个逗号"),
        ('{"kind": "promotion}', "请求不是有效的JSON（第1行第10列）：文字缺少结尾的双引号"),
        ('{"kind": "pro\tmotion"}', "请求不是有效的JSON（第1行第14列）：文字中有未转义的控制字符（如换行应写作 \\n）"),
        ('{"kind": "\\x"}', "请求不是有效的JSON（第1行第11列）：无效的转义（反斜杠后只能是 \" \\ / b f n r t u）"),
        ('{"kind": "\\u12"}', "请求不是有效的JSON（第1行第12列）：无效的 \\u 转义（应为 \\u 加4位十六进制数）"),
        ("{'kind': 'promotion'}", "请求不是有效的JSON（第1行第2列）：此处应为用双引号括起的字段名"),
        ('{"kind": }', "请求不是有效的JSON（第1行第10列）：此处缺少一个值"),
        ('[1 2]', "请求不是有效的JSON（第1行第4列）：此处应为逗号“,”或结束的括号"),
        (P % f"[{R % 'Infinity'}]", "请求不是有效的JSON（第1行第115列）：Infinity 不是JSON允许的数字"),
        ("[" * 1000, "请求嵌套超过32层（第1行第33列），不是学时记录的格式"),
        ("{\"a\": " * 40 + "1" + "}" * 40, "请求嵌套超过32层（第1行第193列），不是学时记录的格式"),
        ('["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]', "请求必须是JSON对象，收到 列表"),
        (P % f"[{R % ('9' * 5000)}]",
         "records[0].hours: 学时不能超过10000（一年只有8760小时），收到 99999999999999999999…（共5000位）"),
        (P % f"[{R % ('-' + '9' * 5000)}]",
         "records[0].hours: 学时必须是大于0的数字，收到 -99999999999999999999…（共5000位）"),
        (P % f"[{R % '1e-400'}]", "records[0].hours: 学时必须是大于0的数字，收到 1e-400（小于可以计算的最小数）"),
        (P % f"[{R % '16.0000000000000000000001'}]",
         "records[0].hours: 学时的有效数字过多，无法精确计算（请保留不超过15位有效数字），收到 16.00000000000000000…"),
        (P % f"[{R % 10001}]", "records[0].hours: 学时不能超过10000（一年只有8760小时），收到 10001"),
        (P % '[{"year": 1899, "module": "public", "hours": 8}]',
         "records[0].year: 年度必须在1900年至9999年之间，收到 1899"),
        (P % '[{"year": 2010, "module": "public", "hours": 8, "course": "2010-E-M11"}]',
         "records[0].course: 课程应写作“目录年度/课程代码”（如 2010/E-M11），收到 “2010-E-M11”"),
        ('{"kind": "cycle", "title": "engineer", "cycle_start": 2007, "year": 2011, "records": []}',
         "cycle_start: 周期起始年度不能早于2009年（继续教育自2009年开始）：工程师5年一个周期，"
         "始于2007年的周期（2007—2011年度）开始于继续教育之前，无法按通知核算，"
         "请填写下一个周期的起始年度 2012；若本单位自2009年起重新计算周期，请填写 2009"),
        ('{"kind": "cycle", "title": "technician", "cycle_start": 2007, "year": 2011, "records": []}',
         "cycle_start: 周期起始年度不能早于2009年（继续教育自2009年开始）：技术员2年一个周期，"
         "始于2007年的周期（2007—2008年度）开始于继续教育之前，无法按通知核算，"
         "请填写下一个周期的起始年度 2009"),
        ('{"kind": "cycle", "title": "engineer", "cycle_start": 1800, "year": 2011, "records": []}',
         "cycle_start: 年度不能早于2009年（继续教育自2009年开始），收到 1800"),
    ],
)
def test_request_text_is_read_once_in_chinese(request_text: str, message: str) -> None:
    assert_refused(run(request_text), message)


def test_the_shipped_policy_from_any_folder() -> None:
    request = {"kind": "promotion", "target": "assistant_engineer", "year": 2012, "records": [
        {"year": 2008, "module": "public", "hours": 16},
        {"year": 2012, "module": "other", "hours": 64},
    ]}
    proc = run(json.dumps(request))
    assert proc.returncode == 0, proc.stderr.decode()
    body = json.loads(proc.stdout)
    assert body["ignored"] == [0]
    assert [a["id"] for a in body["assumptions"]] == [
        "assistant_engineer_after_transition", "sliding_window", "other_forms"]
    assert body["warnings"] == []


def test_catalog_names_another_policy(tmp_path: Path) -> None:
    text = (ROOT / "catalog" / "policy.yaml").read_text(encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(
        text.replace("hours: {value: 16, clause: 第二条", "hours: {value: 20, clause: 第二条"),
        encoding="utf-8")
    request = '{"kind": "promotion", "target": "junior_first", "year": 2010, "records": []}'
    proc = run(request, "-", "--catalog", str(tmp_path))
    assert json.loads(proc.stdout)["required"] == {"total": 20, "public": 0}
    proc = run(request, "-", "--catalog", str(tmp_path / "nowhere"))
    assert proc.returncode == 1  # the catalog folder's fault, as in every command
    assert proc.stderr.decode().startswith(
        f"ceportal hours: 无法读取规则文件 {tmp_path / 'nowhere'}/policy.yaml：")


def test_help_names_who_applies_for_what() -> None:
    proc = subprocess.run([str(CONSOLE), "hours", "--help"], capture_output=True, cwd=ELSEWHERE,
                          check=False)
    text = proc.stdout.decode()
    for label in ("初次申报初级职称（技术员、助理工程师）", "技术员晋升助理工程师",
                  "ceportal 自带的温经贸培训〔2009〕74号规则", "assumptions", "warnings"):
        assert label in text


def test_not_utf8() -> None:
    proc = run('{"kind": "promotion", "label": "工程师"}'.encode("gbk"))
    assert proc.returncode == 2
    assert proc.stderr.decode() == "ceportal hours: 请求文件不是 UTF-8 编码：请另存为 UTF-8\n"


def test_missing_file(tmp_path: Path) -> None:
    proc = run(b"", str(tmp_path / "nope.json"))
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"ceportal hours: 无法读取请求文件 {tmp_path / 'nope.json'}：文件不存在\n"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("folder", "这是一个文件夹，不是文件"),
        ("plain/request.json", "路径中有一部分不是文件夹"),
        ("nope.json", "文件不存在"),
    ],
)
def test_file_errors_are_chinese_only(tmp_path: Path, name: str, reason: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain").write_text("{}", encoding="utf-8")
    path = tmp_path / name
    # This checkout's code (python -m, PYTHONPATH kept), not the installed console.
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "hours", str(path)],
        capture_output=True, check=False,
    )
    assert (proc.returncode, proc.stdout) == (2, b"")
    assert proc.stderr.decode() == f"ceportal hours: 无法读取请求文件 {path}：{reason}\n"


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


def test_audit_from_any_folder_with_the_two_new_columns() -> None:
    table = ELSEWHERE / "audit.csv"
    table.write_text(
        "编号,姓名,类型,拟申报,现职称,年度,周期起始,学时年度,类别,学时\n"
        "A1,甲,申报晋升,技术员晋升助理工程师,,2012,,2012,其他形式,64\n"
        "A2,乙,申报晋升,助理工程师,,2012,,2012,公共必修课,16\n"
        "A3,丙,申报晋升,初次申报初级,,2012,,2012,公共必修课,16\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([str(CONSOLE), "audit", str(table)], capture_output=True,
                          cwd=ELSEWHERE, env=env, check=False)
    rows = proc.stdout.decode("utf-8").splitlines()
    assert rows[0].endswith(",依据,推定,提示,错误")
    assert "2011年度起技术员晋升助理工程师须完成技术员一个周期的学时（含公共必修课）；" in rows[1]
    assert rows[2].endswith(
        "第3行 拟申报：“助理工程师”可以是 初次申报初级职称（技术员、助理工程师）（junior_first） "
        "或 技术员晋升助理工程师（assistant_engineer），请写明其一（名称或代号）"
    )
    assert rows[3].startswith("A3,丙,初次申报初级职称（技术员、助理工程师）,2012,达标,16,16,0,0,16,0,")
    assert proc.returncode == 1


def test_audit_help_lists_the_accepted_names() -> None:
    proc = subprocess.run([str(CONSOLE), "audit", "--help"], capture_output=True, cwd=ELSEWHERE,
                          check=False)
    text = proc.stdout.decode()
    for label in ("初次申报初级职称（技术员、助理工程师）", "技术员晋升助理工程师",
                  "助理工程师晋升工程师", "推定", "提示", "核查单", "GBK"):
        assert label in text



REQUEST = '{"kind": "promotion", "target": "engineer", "year": 2011, "records": []}'
TABLE = (
    "编号,姓名,类型,拟申报,现职称,年度,周期起始,学时年度,类别,学时\n"
    "A1,甲,申报晋升,助理工程师晋升工程师,,2011,,2011,公共必修课,16\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ("hours", "-"),
        ("plan", "-", "--catalog", str(ROOT / "catalog"), "--today", "2011-03-01"),
        ("audit", "table.csv"),
    ],
    ids=["hours", "plan", "audit"],
)
def test_a_reader_that_leaves_early_ends_it_quietly(args: tuple[str, ...], tmp_path: Path) -> None:
    """``ceportal hours - | head -c1``: the reader closes the pipe before the output is
    written; ceportal stops as Unix tools do (the status of SIGPIPE), with no traceback."""
    (tmp_path / "table.csv").write_text(TABLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with subprocess.Popen([str(CONSOLE), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=tmp_path, env=env) as proc:
        assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
        proc.stdout.close()  # the reader is gone before a byte is written
        proc.stdin.write(REQUEST.encode())
        proc.stdin.close()  # only now can ceportal read its request and answer
        err = proc.stderr.read().decode()
        assert (proc.wait(), err) == (141, "")
