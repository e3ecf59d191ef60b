import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The app is served by Tauri from ui/dist; there is no dev server (see
// ARCHITECTURE.md), so this config only builds.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // One CSS file and no inline scripts: the content security policy allows
    // only files from the app itself.
    assetsInlineLimit: 0,
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
