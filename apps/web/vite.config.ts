import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** In development the API runs on its own port (npm run dev starts both); the build is served by the API itself. */
const api = process.env.PROOFDROP_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': api, '/go': api },
  },
  build: { target: 'es2022', sourcemap: true },
});
