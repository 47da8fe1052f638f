// Copies the page's third-party assets from node_modules into polybius/serve/static/vendor,
// so the page and /docs work with no network. The world outline is converted from TopoJSON to
// GeoJSON here, once, so the page needs no TopoJSON code at run time.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "polybius", "serve", "static", "vendor");
mkdirSync(out, { recursive: true });

const copies = {
  "leaflet/dist/leaflet.js": "leaflet.js",
  "leaflet/dist/leaflet.css": "leaflet.css",
  "leaflet/LICENSE": "LICENSE.leaflet",
  "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui-bundle.js",
  "swagger-ui-dist/swagger-ui.css": "swagger-ui.css",
  "swagger-ui-dist/LICENSE": "LICENSE.swagger-ui",
  "world-atlas/LICENSE": "LICENSE.world-atlas",
};
for (const [from, to] of Object.entries(copies)) {
  copyFileSync(require.resolve(from), join(out, to));
}

const topojson = require("topojson-client");
const atlas = JSON.parse(readFileSync(require.resolve("world-atlas/countries-110m.json"), "utf8"));
const world = topojson.feature(atlas, atlas.objects.countries);
writeFileSync(join(out, "countries.geojson"), JSON.stringify(world));
console.log(`web assets written to ${out}`);
