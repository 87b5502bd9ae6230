"""The site: the builder-neutral core that turns the catalog model into pages and files,
and the steps around the site builder.

:mod:`.producers` lists every generated file (pages, open data, downloads, the calculator
and audit pages); :mod:`.rendering` makes the pages and :mod:`.exporting` the downloads and
open data; :mod:`.cache` is what one build or preview session remembers. Around the
builder: :mod:`.csp` and :mod:`.precompress` (post-steps on the built HTML folder),
:mod:`.publishing` (build elsewhere, then swap in; what a site folder may be),
:mod:`.portal` (what a build takes from the portal folder) and :mod:`.scaffolding` (new
portal folders and years). Builder specifics live only in :mod:`.adapters`.
"""
