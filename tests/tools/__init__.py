"""Tests of the editor and reviewer tools (issue 8)."""
