/**
 * Generated placeholder artwork: `/images/:contentId/:kind/:WxH.svg`, the title on a colour
 * derived from the id, so demo pages and the dashboard's preview show real-looking images.
 */
import type { FastifyInstance } from "fastify";
import { loadCatalog } from "../../dds/catalog/films.ts";
import { hashSeed } from "../../dds/catalog/prng.ts";

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);

export function imageRoutes() {
  const { byId } = loadCatalog();
  return async (app: FastifyInstance) => {
    app.get<{ Params: { contentId: string; kind: string; size: string } }>("/images/:contentId/:kind/:size", async (request, reply) => {
      const size = /^(\d{2,4})x(\d{2,4})\.svg$/.exec(request.params.size);
      const film = byId.get(request.params.contentId);
      if (!size || !film) return reply.code(404).send({ code: "not-found", message: "no such image" });
      const [, width, height] = size;
      const hue = hashSeed(film.id) % 360;
      const fontSize = Math.round(Number(height) / 9);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,38%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},60%,18%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>
<text x="6%" y="88%" font-family="sans-serif" font-size="${fontSize}" fill="#fff">${escapeXml(film.title)}</text>
</svg>`;
      return reply.type("image/svg+xml").header("cache-control", "public, max-age=86400").send(svg);
    });
  };
}
