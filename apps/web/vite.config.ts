import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/*
 * `npm run build -w @timeslot/web` writes dist/, which the gateway serves at / (WEB_ROOT). During
 * development, `npm run dev -w @timeslot/web` serves the app with hot reload and sends the API to a
 * server started with `npm start` (TIMESLOT_API, default http://127.0.0.1:8080).
 */
const api = process.env.TIMESLOT_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The budget is checked by apps/web/test/bundle-size.test.ts on the build's own manifest.
    manifest: true,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': api, '/docs': api, '/openapi.json': api, '/dev': api, '/admin/queues': api },
  },
});
