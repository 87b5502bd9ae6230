"""The Web Worker's Python side, a module per page: :mod:`.calculator` (``/calculator/``:
evaluate and plan) and :mod:`.audit` (``/audit/``). Part of the rules wheel; tested in
CPython. Standard library only.
"""
