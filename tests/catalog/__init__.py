"""Tests of the catalog files: loading, validation, check, schema (issue 3)."""
