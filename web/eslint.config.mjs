// ESLint flat config for KPR's browser scripts: plain ES5-style IIFEs loaded by <script> tags (no modules,
// no build step). `make lint` runs it from the repository root: see the Makefile's lint target.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    files: ["web/static/*.js", "registry/maps/static/*.js"],
    ...js.configs.recommended,
  },
  {
    files: ["web/static/*.js", "registry/maps/static/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: {
        ...globals.browser,
        L: "readonly", // Leaflet, loaded by the Folium page before these scripts
      },
    },
    rules: {
      "no-unused-vars": ["error", {args: "none"}],
      eqeqeq: ["error", "smart"],
      "no-implicit-globals": "error",
      strict: ["error", "function"],
    },
  },
];
