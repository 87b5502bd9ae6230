"""The command line speaks Chinese only: argparse's own usage line, headings, ``-h`` help
and error messages are translated; exit code 2 on a usage error, as argparse's."""

from __future__ import annotations

import re

import pytest

from generator.cli import _commands, _parser, main, translate_error

# Placeholders the commands name their values with, and file names.
ALLOWED = {"DIR", "FILE", "REQUEST", "json", "csv", "xlsx", "REPORT", "Y", "JSON", "CSV",
           "XLSX", "YAML", "Excel", "Schema", "VS", "Code", "MkDocs", "policy", "yaml",
           "catalog", "site", "mkdocs", "yml", "ceportal", "py"}


def _english(text: str) -> set[str]:
    words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"--?[\w-]+", " ", text)))
    names = {m.NAME for m in _commands()} | {w for m in _commands() for w in m.NAME.split("-")}
    return words - ALLOWED - names


@pytest.mark.parametrize("argv", [["--help"]] + [[m.NAME, "--help"] for m in _commands()])
def test_help_is_chinese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：ceportal")
    assert "显示本帮助并退出" in out
    assert "选项：" in out
    # argparse's own words (the commands' texts may name ids a user types: engineer…).
    for english in ("usage", "options", "positional arguments", "show this help", "help message"):
        assert english not in out
    if argv == ["--help"]:
        assert _english(out) == set()


@pytest.mark.parametrize(("argv", "message"), [
    ([], "ceportal：错误：缺少必需的参数：命令"),
    (["nosuch"], "ceportal：错误：参数 命令：无效的选择：nosuch（可选：hours、plan、new、check、schema、build、"
                 "serve、export-xlsx、import-xlsx、new-year、audit）"),
    (["hours"], "ceportal hours：错误：缺少必需的参数：REQUEST.json"),
    (["check", "--bogus"], "ceportal：错误：无法识别的参数：--bogus"),
    (["export-xlsx", "--year", "abc"], "ceportal export-xlsx：错误：参数 --year：不是有效的整数：abc"),
    (["build", "--site-dir"], "ceportal build：错误：参数 --site-dir：需要一个值"),
])
def test_errors_are_chinese(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：ceportal")
    assert err.splitlines()[-1] == message


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("ceportal ")
    assert "显示版本号并退出" in _parser().format_help()


@pytest.mark.parametrize(("english", "chinese"), [
    ("expected at most one argument", "最多需要一个值"),
    ("argument --x: expected 2 arguments", "参数 --x：需要 2 个值"),
    ("ambiguous option: --ca could match --catalog, --case", "选项 --ca 不明确，可能是：--catalog, --case"),
    ("argument -b: not allowed with argument -a", "参数 -b：不能与参数 -a 同时使用"),
    ("one of the arguments -a -b is required", "必须给出以下参数之一：-a -b"),
    ("not one of argparse's", "not one of argparse's"),
])
def test_translated_templates(english: str, chinese: str) -> None:
    assert translate_error(english) == chinese
