import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Styles go to a separate CSS file; the content security policy
    // forbids inline style elements.
    css: "external",
  },
};
