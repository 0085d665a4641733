// Builds the web UI into dist/, which lpm-server embeds: minified, no source maps, hashed
// asset names, nothing loaded from elsewhere at run time.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const api = process.env.LPM_API ?? "https://localhost:8443";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` forwards the API to a running `lpm-server demo` (LPM_API to point elsewhere).
    proxy: {
      "/api": { target: api, secure: false, ws: true },
      "/status": { target: api, secure: false },
    },
  },
});
