# Varnish 7 (with varnish-modules' xkey) in front of Tessera: keeps the anonymous pages Tessera marks
# public, purges them by surrogate key when Tessera says (PURGE with an xkey-purge header), and serves
# its last copy while Tessera is down. docs/deploy.md ("Varnish at the edge") says how to run it.
# A deployment edits only the backend's .host and .port.
vcl 4.1;

import std;
import xkey;

backend tessera {
    .host = "127.0.0.1";
    .port = "8080";
    .connect_timeout = 1s;
    .first_byte_timeout = 15s;
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: Tessera's replicas, on loopback or a private network.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
    "fd00::"/8;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        # A hard purge: the next request fetches the page again, never the purged copy.
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Pages (the HTTP route and Connect GET of GetPage); anything else goes to Tessera as is.
    if (req.url !~ "^/v1/pages/" && req.url !~ "^/tessera\.page\.v1\.PageService/GetPage\?") {
        return (pass);
    }
    # A signed-in caller's page is private; Tessera says so too, this spares the lookup.
    if (req.http.Authorization) {
        return (pass);
    }
    # Pages depend on no cookie. Of Accept, only whether it asks for JSON counts (Vary: Accept).
    unset req.http.Cookie;
    if (req.http.Accept ~ "application/json") {
        set req.http.Accept = "application/json";
    } else {
        unset req.http.Accept;
    }
    # While Tessera is healthy, a copy past its s-maxage is served for stale-while-revalidate (30 s)
    # while it is fetched again; while Tessera is sick, for its whole grace (stale-if-error).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Keep a copy for its stale-if-error past its TTL (s-maxage), to be served while Tessera is down.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 10s);
    }
    # A failed refresh keeps the stale copy rather than replacing it by the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # Surrogate keys are for this cache, not for clients.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
