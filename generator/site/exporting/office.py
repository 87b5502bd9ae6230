"""What every Office download says about itself: the portal made it (core properties'
author, docProps/app.xml's application), not python-docx or openpyxl, and it carries no
thumbnail of another document (python-docx's template has one)."""

from __future__ import annotations

PORTAL = "温州市工程技术（一）系列继续教育门户"
APPLICATION = "ceportal"
DESCRIPTION = f"由{PORTAL}（{APPLICATION}）根据课程目录生成"


def app_xml() -> bytes:
    """docProps/app.xml: the application that wrote the file, and nothing stale (page
    and word counts from a template would be wrong)."""
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>'
            f"{APPLICATION}</Application><Company>{PORTAL}</Company></Properties>").encode()
