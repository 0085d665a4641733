// Builds the web UI into dist/, which lpm-server embeds: minified, no source maps, hashed
// asset names, nothing loaded from elsewhere at run time.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

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
    // `npm run dev` forwards the API to a running `lpm-server demo`.
    proxy: {
      "/api": { target: "https://localhost:8443", secure: false, ws: true },
      "/status": { target: "https://localhost:8443", secure: false },
    },
  },
});
