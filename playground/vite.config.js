import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The server serves static/playground/index.html at GET / and every other
// file at /playground/<path>, so all URLs in the bundle start with /playground/.
export default defineConfig({
  base: '/playground/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../static/playground', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    minify: true,
    target: 'es2022',
    // Monaco is large; one big chunk is fine here.
    chunkSizeWarningLimit: 8000,
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        // One script for the page, one stylesheet, one file per worker: no
        // lazy chunks (Monaco is needed at once anyway; Prettier rides along).
        codeSplitting: false,
        // Fixed names (no content hashes): the same paths after every build,
        // so the server can list them, and a rebuild is a plain modification.
        entryFileNames: 'assets/graphiql.js',
        assetFileNames: (asset) =>
          asset.names.some((name) => name.endsWith('.css')) ? 'assets/graphiql.css' : 'assets/[name][extname]',
      },
      onwarn(warning, warn) {
        // React libraries mark their modules "use client"; meaningless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: {
    // Each Monaco worker becomes one self-contained file.
    format: 'iife',
    rolldownOptions: {
      output: {
        entryFileNames: 'assets/[name].js',
      },
    },
  },
});
