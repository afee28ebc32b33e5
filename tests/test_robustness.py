"""Walk every URL in the sitemap and mangled variants of them: no 500, ever."""

import xml.etree.ElementTree as ET

MANGLES = [
    lambda p: p + "no-such-slug/",
    lambda p: p.rstrip("/") + "x/",
    lambda p: p + ("a" * 300) + "/",
    lambda p: p + "%E2%9C%93-%D8%B6%D9%88%D8%A1-%E4%B8%AD/",
    lambda p: p + "..%2F..%2Fetc%2Fpasswd",
    lambda p: p + "?page=%00&q=%FF%FE&topic=../../&stage[]=1",
    lambda p: p + "?" + "&".join(f"k{i}=v" for i in range(200)),
    lambda p: p.replace("/", "//"),
    lambda p: p.rstrip("/"),
    lambda p: p.upper(),
]


def sitemap_paths(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [e.text.replace("http://testserver", "") for e in root.findall("s:url/s:loc", ns)]


def test_no_url_or_mangled_variant_gives_a_server_error(real_site, client):
    client.raise_request_exception = False
    failures = []
    paths = sitemap_paths(client)
    assert len(paths) > 150
    extra = [
        "/en/guide/checklist.csv",
        "/es/guide/plan/checklist.csv",
        "/id/case-studies/feed/",
        "/en/search/?q=contract",
        "/healthz",
        "/readyz",
        "/robots.txt",
        "/",
        "/admin/",
    ]
    for path in paths + extra:
        response = client.get(path)
        if response.status_code >= 500 or response.status_code not in (200, 301, 302):
            failures.append((path, response.status_code))
    for path in paths[::7] + extra:
        for mangle in MANGLES:
            mangled = mangle(path)
            status = client.get(mangled).status_code
            if status >= 500:
                failures.append((mangled, status))
    assert not failures, failures[:20]


def test_wrong_methods_are_refused_politely(real_site, client):
    client.raise_request_exception = False
    for path in (
        "/en/",
        "/es/guide/plan/work-as-a-team/",
        "/en/search/?q=x",
        "/healthz",
        "/readyz",
        "/en/case-studies/",
        "/robots.txt",
    ):
        for method in ("post", "put", "patch", "delete", "options"):
            status = getattr(client, method)(path).status_code
            assert status < 500, (method, path, status)
