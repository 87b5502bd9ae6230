"""The README's deployment section names the headers only a host can send, and its nginx
example gives the calculator's worker the calculator's own policy (kept in step with the
one the calculator tests are served with)."""

from __future__ import annotations

import re

from generator.site import precompress
from generator.site.calculator_preview import CSP
from tests.conftest import ROOT


def deployment_section() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index("## Deployment")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_headers_a_host_must_add_are_documented() -> None:
    section = deployment_section()
    for header in ("frame-ancestors 'self'", "X-Content-Type-Options", "nosniff",
                   "Referrer-Policy", "X-Frame-Options"):
        assert header in section, header
    nginx = section[section.index("```nginx"):]
    assert nginx.count('add_header X-Content-Type-Options "nosniff" always;') == 2


def test_worker_policy_in_the_nginx_example_is_the_calculators() -> None:
    worker = re.search(r"location ~ \^/\(calculator\|audit\)/worker\\\.js\$ \{\s*add_header "
                       r'Content-Security-Policy "([^"]+)" always;', deployment_section())
    assert worker is not None
    assert worker.group(1) == CSP


def test_caching_advice_reaches_every_response() -> None:
    """Pages revalidated, other files kept (what the calculator tests and the benchmarks
    serve, preview.serve(max_age=…) and bench/sites.py); a location with add_header
    would drop the server's, so the worker's location repeats it."""
    section = deployment_section()
    assert "`Cache-Control: no-cache` for pages" in section
    nginx = section[section.index("```nginx"):]
    assert re.search(r'map \$sent_http_content_type \$ceportal_cache \{\s*'
                     r'default\s+"max-age=3600";\s*~\^text/html\s+"no-cache";\s*\}', nginx)
    assert nginx.count("add_header Cache-Control $ceportal_cache always;") == 2


def test_precompressed_siblings_are_documented_for_the_common_hosts() -> None:
    """The build writes name.br/name.gz (generator/site/precompress.py); the calculator's
    snapshot is only small as a sibling, so the README says how each host sends them."""
    section = deployment_section()
    nginx = section[section.index("**Precompressed files.**"):]
    for needed in ("gzip_static on;", "brotli_static on;", "`Content-Encoding: br`/`gzip`",
                   "Object storage + CDN", "`snapshot.bin`", "tests/hardening/test_deployment_doc.py"):
        assert needed in nginx, needed
    # The threshold the text names is the code's.
    assert f"{precompress.MIN_SIZE // 1024} KB or more" in nginx
