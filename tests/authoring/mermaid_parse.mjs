// Parses Mermaid files with Mermaid's own parser (the one GitHub uses), for test_graph.py.
// Needs a folder with `npm install mermaid jsdom`, named by COLLAPSE_TUI_MERMAID_DIR.
import { createRequire } from "module";
import fs from "fs";
import path from "path";
const base = process.env.COLLAPSE_TUI_MERMAID_DIR;
const require = createRequire(path.join(base, "package.json"));
const { JSDOM } = require("jsdom");
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await import(require.resolve("mermaid"))).default;
mermaid.initialize({ startOnLoad: false });
let failed = 0;
for (const file of process.argv.slice(2)) {
  try { await mermaid.parse(fs.readFileSync(file, "utf8")); }
  catch (error) { failed = 1; console.log(file, String(error.message || error)); }
}
process.exit(failed);
