"""Adapters for site builders: the only modules that know a builder's API.

:mod:`.mkdocs_plugin` translates MkDocs' events into calls of the core
(:mod:`generator.site.producers`); :mod:`.material_compat` is the one place touching the
search plugin's internals; :mod:`generator.site.incremental` keeps what the preview needs
between rebuilds.
"""
