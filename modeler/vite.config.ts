import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is served by Kontor's HTTP server from dist/; `npm run dev -w @kontor/modeler`
// serves it with hot reload and forwards the API to a running Kontor on :8080.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/health': 'http://localhost:8080' },
  },
});
