/** The demo catalog: the real films of vega-datasets' data/movies.json. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { findPackageJSON } from "node:module";
import { dirname, join } from "node:path";

export interface Film {
  /** `m` + the film's index in movies.json. */
  id: string;
  title: string;
  /** MPAA rating, "" when unrated. */
  ageRating: string;
  releaseYear: number;
  genre: string;
  director: string;
  imdbRating: number;
  imdbVotes: number;
  runningTimeMin: number;
}

interface MovieRow {
  Title: string | number | null;
  "Release Date": string | null;
  "MPAA Rating": string | null;
  "Major Genre": string | null;
  Director: string | null;
  "IMDB Rating": number | null;
  "IMDB Votes": number | null;
  "Running Time min": number | null;
}

/** The package's exports map hides data/, so the file is read by path from the package folder. */
function moviesJsonPath(): string {
  const packageJson = findPackageJSON("vega-datasets", import.meta.url);
  if (!packageJson) throw new Error("vega-datasets is not installed: run npm ci");
  return join(dirname(packageJson), "data", "movies.json");
}

function releaseYear(date: string | null): number {
  const match = date?.match(/(\d{4})\s*$/) ?? date?.match(/^(\d{4})/);
  return match ? Number(match[1]) : 0;
}

/** Latin-1 characters that the source's titles show as Mac OS Roman text, by that text. */
const MAC_ROMAN_BYTES = new Map(
  [...new TextDecoder("macintosh").decode(Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i))].map((char, i) => [char, 0x80 + i]),
);
const WINDOWS_1252 = new TextDecoder("windows-1252");

/**
 * The title as it was written: some of movies.json's titles are Windows-1252 bytes read as Mac OS
 * Roman ("AmÈlie" for "Amélie", "pi˘" for "più"). A title wholly made of characters Mac OS Roman
 * has is read back as Windows-1252; any other ("Alien³") is left as it is.
 */
export function repairTitle(title: string): string {
  if (/^[\x00-\x7f]*$/.test(title)) return title;
  const bytes: number[] = [];
  for (const char of title) {
    const byte = char.charCodeAt(0) < 0x80 ? char.charCodeAt(0) : MAC_ROMAN_BYTES.get(char);
    if (byte === undefined) return title;
    bytes.push(byte);
  }
  return WINDOWS_1252.decode(Uint8Array.from(bytes));
}

function toFilm(row: MovieRow, index: number): Film | undefined {
  if (row.Title === null || row.Title === "") return undefined;
  return {
    id: `m${index}`,
    title: repairTitle(String(row.Title)),
    ageRating: row["MPAA Rating"] ?? "",
    releaseYear: releaseYear(row["Release Date"]),
    genre: row["Major Genre"] ?? "",
    director: row.Director ?? "",
    imdbRating: row["IMDB Rating"] ?? 0,
    imdbVotes: row["IMDB Votes"] ?? 0,
    runningTimeMin: row["Running Time min"] ?? 0,
  };
}

export interface Catalog {
  /** Changes whenever the data does (a hash of the source file): caches of display data key on it. */
  version?: string;
  films: readonly Film[];
  byId: ReadonlyMap<string, Film>;
}

let loaded: Catalog | undefined;

/** Loads the catalog once per process; it is read-only. */
export function loadCatalog(): Catalog {
  if (!loaded) {
    const text = readFileSync(moviesJsonPath(), "utf8");
    const rows = JSON.parse(text) as MovieRow[];
    const films = rows.map(toFilm).filter((film): film is Film => film !== undefined);
    // "-titles2": the titles as repaired (repairTitle), so that no cache shares entries with a loader that did not.
    const version = `movies-${createHash("sha256").update(text).digest("hex").slice(0, 12)}-titles2`;
    loaded = { version, films, byId: new Map(films.map((film) => [film.id, film])) };
  }
  return loaded;
}
