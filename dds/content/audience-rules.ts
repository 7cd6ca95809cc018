/** Business rules that enrich the catalog for an audience. */
import type { Film } from "../catalog/films.ts";

/** The kids cohort sees only films rated G or PG; unrated films are not shown to kids. */
const KIDS_RATINGS = new Set(["G", "PG"]);

export function isAllowedFor(cohort: string, film: Film): boolean {
  return cohort !== "kids" || KIDS_RATINGS.has(film.ageRating);
}

/** Localized titles, keyed by locale then by the catalog's (English) title. */
const TITLE_OVERRIDES: Record<string, Record<string, string>> = {
  fr: {
    "Star Wars Ep. IV: A New Hope": "La Guerre des étoiles",
    "The Lion King": "Le Roi lion",
    "Finding Nemo": "Le Monde de Nemo",
    "The Dark Knight": "The Dark Knight : Le Chevalier noir",
    "The Lord of the Rings: The Return of the King": "Le Seigneur des anneaux : Le Retour du roi",
    "The Lord of the Rings: The Fellowship of the Ring": "Le Seigneur des anneaux : La Communauté de l'anneau",
    "The Lord of the Rings: The Two Towers": "Le Seigneur des anneaux : Les Deux Tours",
    "Beauty and the Beast": "La Belle et la Bête",
    "The Incredibles": "Les Indestructibles",
    Up: "Là-haut",
    Ratatouille: "Ratatouille",
    "Toy Story 3": "Toy Story 3",
    "WALL-E": "WALL-E",
    "Spirited Away": "Le Voyage de Chihiro",
    "The Shawshank Redemption": "Les Évadés",
    "The Silence of the Lambs": "Le Silence des agneaux",
    "Back to the Future": "Retour vers le futur",
    "Raiders of the Lost Ark": "Les Aventuriers de l'arche perdue",
    "Gone with the Wind": "Autant en emporte le vent",
    "Singin' in the Rain": "Chantons sous la pluie",
  },
};

export function localizedTitle(locale: string, film: Film): string {
  const language = locale.split("-")[0] ?? "";
  return TITLE_OVERRIDES[language]?.[film.title] ?? film.title;
}
