"""Loading ``catalog/policy.yaml``: the rules as data.

The result is the plain dict that :func:`generator.rules.evaluate` takes (and that the
calculator page receives as ``policy.json``): figures become numbers, everything else
stays text.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger(__name__)

POLICY_FILE = "policy.yaml"
# Keys whose values are numbers / booleans; every other scalar stays text.
_NUMBER_KEYS = {"value"}
_BOOL_KEYS = {"counts_toward_public"}


class PolicyError(ValueError):
    """``policy.yaml`` is missing or malformed."""


def _convert(node: Any, key: str | None, path: str) -> Any:
    if isinstance(node, dict):
        return {k: _convert(v, k, f"{path}.{k}" if path else k) for k, v in node.items()}
    if isinstance(node, list):
        return [_convert(v, None, f"{path}[{i}]") for i, v in enumerate(node)]
    if key in _NUMBER_KEYS:
        try:
            return int(node)
        except ValueError:
            try:
                return float(node)
            except ValueError:
                raise PolicyError(f"{path}: 必须是数字，收到“{node}”") from None
    if key in _BOOL_KEYS:
        if node not in ("true", "false"):
            raise PolicyError(f"{path}: 必须是 true 或 false，收到“{node}”")
        return node == "true"
    return node


def policy_from_text(text: str) -> dict[str, Any]:
    # BaseLoader: no implicit typing, every scalar is text until converted above.
    data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str/list/dict
    if not isinstance(data, dict):
        raise PolicyError("policy.yaml 顶层必须是映射")
    return dict(_convert(data, None, ""))


def load_policy(catalog_dir: str | Path) -> dict[str, Any]:
    """Read ``<catalog_dir>/policy.yaml`` into the plain dict the rules use."""
    path = Path(catalog_dir) / POLICY_FILE
    return policy_from_text(path.read_text(encoding="utf-8"))
