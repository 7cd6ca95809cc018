/**
 * The Mercurius peer's schema and the one query its clients send: the reference page (docs/workload.md)
 * as GraphQL, the same 14 widgets with the same items as Tessera's home page on the web.
 */

export const SCHEMA = /* GraphQL */ `
  "tessera.widgets.v1.PageParameter."
  type PageParameter {
    name: String!
    value: String!
  }

  "tessera.widgets.v1.OpenPage."
  type OpenPage {
    pageId: String!
    parameters: [PageParameter!]!
  }

  "An item's action, tessera.widgets.v1.Action: the one kind the reference page's items carry (open the title's page)."
  type Action {
    openPage: OpenPage
  }

  type Image {
    url: String!
    width: Int!
    height: Int!
  }

  type Item {
    contentId: ID!
    title: String!
    image: Image
    ageRating: String!
    badge: String!
    progressPercent: Int!
    deepLink: String!
    accessibilityLabel: String!
    action: Action
  }

  type Hero {
    slides: [Item!]!
    rotateSeconds: Int!
  }

  type Tray {
    title: String!
    items: [Item!]!
    seeAllLink: String
  }

  type Grid {
    title: String!
    columns: Int!
    items: [Item!]!
  }

  type Home {
    hero(slides: Int = 5, rotateSeconds: Int = 8): Hero
    continueWatching(limit: Int = 20): Tray
    topPicks(limit: Int = 20): Tray
    genre(name: String!, limit: Int = 20): Tray
    favorites(limit: Int = 12, columns: Int = 4): Grid
  }

  type Query {
    home: Home!
  }
`;

/** The genre trays of the reference page, in layout order. */
export const GENRES = [
  "Drama",
  "Comedy",
  "Action",
  "Adventure",
  "Thriller/Suspense",
  "Horror",
  "Romantic Comedy",
  "Musical",
  "Documentary",
  "Western",
] as const;

/** The alias of a genre's tray in the query, e.g. "genreThrillerSuspense". */
export const genreAlias = (genre: string) => `genre${genre.replace(/[^A-Za-z]/g, "")}`;

const ITEM =
  "contentId title image { url width height } ageRating badge progressPercent deepLink accessibilityLabel action { openPage { pageId parameters { name value } } }";

/** The page as a client asks for it: a fixed string, parsed, validated and JIT-compiled once by the server. */
export const HOME_QUERY = [
  "query Home { home {",
  `  hero(slides: 5) { slides { ${ITEM} } rotateSeconds }`,
  `  continueWatching(limit: 20) { title items { ${ITEM} } }`,
  `  topPicks(limit: 20) { title items { ${ITEM} } }`,
  ...GENRES.map(
    (genre) => `  ${genreAlias(genre)}: genre(name: ${JSON.stringify(genre)}, limit: 20) { title items { ${ITEM} } seeAllLink }`,
  ),
  `  favorites(limit: 12) { title columns items { ${ITEM} } }`,
  "} }",
].join("\n");
