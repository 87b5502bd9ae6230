"""Sub-commands of ``ceportal``; see :mod:`generator.cli`."""
