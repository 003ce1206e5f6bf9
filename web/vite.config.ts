import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// During `npm run dev`, API calls are proxied to a locally running `shuzhuan serve`.
// Set SHUZHUAN_API to point elsewhere (default http://127.0.0.1:8080).
const apiTarget = process.env.SHUZHUAN_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: each <el-…> tag (and v-loading) used in a template is imported with its own
    // stylesheet where it is used, so the portal does not load the whole library. Template types come from
    // `element-plus/global` (tsconfig), hence no generated components.d.ts.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ],
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
    // The one chunk above Vite's 500 kB default is ECharts on the assessment result page (already only the
    // bar and radar charts; echarts/core alone is ~450 kB). docs/benchmarks.md "Web bundle weight".
    chunkSizeWarningLimit: 600,
  },
})
