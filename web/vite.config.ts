// The web client: Preact through esbuild's JSX transform (no React plugin
// needed), bundled into web/dist and served by the gateway at `/`.
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 100 },
});
