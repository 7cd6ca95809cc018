/**
 * The one rule for page ids, of the layout API, its stores and the page routes: an id that passes
 * is a valid file name and Redis key everywhere, so no store ever sees one it cannot name.
 */
export const PAGE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const PAGE_ID_RULE = "lowercase letters, digits and dashes (1 to 64), starting with a letter or digit";
