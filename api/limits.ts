/** What any request may cost the server: sizes and deadlines every surface shares (README "Limits"). */

/** A request body, and a Connect message once decompressed: refused with 413 as soon as it is exceeded. */
export const BODY_MAX_BYTES = 1024 * 1024;
/** All request headers together (node's own limit, made explicit): 431 beyond. */
export const HEADERS_MAX_BYTES = 16 * 1024;
/** A bearer token: 431 beyond, before anything tries to verify it. */
export const TOKEN_MAX_BYTES = 8 * 1024;
/** How often node looks for requests past their header and body deadlines (config: HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** A connection (HTTP/1.1 socket, HTTP/2 session) without any traffic is closed. */
export const IDLE_TIMEOUT_MS = 30_000;
