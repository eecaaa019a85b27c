#!/usr/bin/env python3
"""Builds nonce-cached-page.har.gz from curl captures of the lab's
nonce-cached-page scenario (see README.nonce-cached-page.md).

usage: gen-nonce-cached-page.py CAPTURE_DIR OUT.har.gz

CAPTURE_DIR holds N.h (curl -D headers), N.b (body) and tN (UTC start
time) for 1 (visitor loads /), 2 (editor logs in), 3 (editor loads /),
4 (POST /wp-json/wp/v2/posts with the page's nonce), and jar (curl's
cookie jar after the login). The login's form body (the password) is
not written; every other byte of the answers is as captured.
"""
import gzip, json, os, sys

d, out = sys.argv[1], sys.argv[2]
UA = "curl/7.88.1"

def resp_headers(n):
    lines = open(os.path.join(d, n + ".h"), "rb").read().decode("latin-1").splitlines()
    proto, status, text = (lines[0].split(" ", 2) + [""])[:3]
    hs = []
    for l in lines[1:]:
        if ":" in l:
            k, v = l.split(":", 1)
            hs.append({"name": k, "value": v.strip()})
    return proto, int(status), text, hs

def jar_cookie():
    cs = []
    for l in open(os.path.join(d, "jar")):
        l = l.strip()
        if l.startswith("#HttpOnly_"):
            l = l[len("#HttpOnly_"):]
        elif not l or l.startswith("#"):
            continue
        f = l.split("\t")
        if f[2] in ("/", "/wp-json/") or f[2] == "/":
            cs.append(f[5] + "=" + f[6])
    return "; ".join(dict.fromkeys(cs))

def entry(n, method, url, req_headers, post=None):
    proto, status, text, hs = resp_headers(n)
    body = open(os.path.join(d, n + ".b"), "rb").read()
    ctype = next((h["value"] for h in hs if h["name"].lower() == "content-type"), "")
    req = {"method": method, "url": url, "httpVersion": proto,
           "headers": [{"name": "Host", "value": "blog.wp403.test"}, {"name": "User-Agent", "value": UA}] + req_headers,
           "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0}
    if post is not None:
        req["postData"] = post
        req["bodySize"] = len(post["text"])
    return {"startedDateTime": open(os.path.join(d, "t" + n)).read().strip(), "time": 50,
            "serverIPAddress": "127.0.80.1",
            "request": req,
            "response": {"status": status, "statusText": text, "httpVersion": proto, "headers": hs, "cookies": [],
                         "content": {"size": len(body), "mimeType": ctype, "text": body.decode("utf-8")},
                         "redirectURL": "", "headersSize": -1, "bodySize": len(body)},
            "cache": {}, "timings": {"blocked": 0, "dns": 0, "connect": 1, "ssl": 2, "send": 0, "wait": 45, "receive": 2},
            "_resourceType": "document" if ctype.startswith("text/html") else "fetch"}

cookie = jar_cookie()
nonce = json.loads('"' + open(os.path.join(d, "3.b")).read().split('"nonce":"', 1)[1].split('"', 1)[0] + '"')
site = "https://blog.wp403.test/"
html = [{"name": "Accept", "value": "text/html,application/xhtml+xml"}]
login = entry("2", "POST", site + "wp-login.php", [{"name": "Cookie", "value": "wordpress_test_cookie=WP%20Cookie%20check"},
              {"name": "Content-Type", "value": "application/x-www-form-urlencoded"}])
login["request"]["bodySize"] = -1  # the form (log, pwd) is left out of the fixture
entries = [
    entry("1", "GET", site, html),
    login,
    entry("3", "GET", site, html + [{"name": "Cookie", "value": cookie}]),
    entry("4", "POST", site + "wp-json/wp/v2/posts",
          [{"name": "Accept", "value": "*/*"}, {"name": "Cookie", "value": cookie}, {"name": "X-WP-Nonce", "value": nonce},
           {"name": "Content-Type", "value": "application/json"}],
          post={"mimeType": "application/json", "text": open(os.path.join(d, "benign.json")).read()}),
]
har = {"log": {"version": "1.2", "creator": {"name": "wp403 lab capture (curl, gen-nonce-cached-page.py)", "version": "1"},
               "pages": [], "entries": entries}}
with gzip.open(out, "wt", encoding="utf-8") as f:
    json.dump(har, f, indent=1)
