import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// During `npm run dev`, API calls are proxied to a locally running `shuzhuan serve`.
// Set SHUZHUAN_API to point elsewhere (default http://127.0.0.1:8080).
const apiTarget = process.env.SHUZHUAN_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus is imported whole (intranet deployment, served from the same binary);
    // the warning threshold is raised accordingly instead of silencing it entirely.
    chunkSizeWarningLimit: 1500,
  },
})
