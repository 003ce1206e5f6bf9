// The weight of the web app's first load, from the built dist/: the entry script of index.html and every
// chunk it imports statically (transitively — what the browser fetches before the first page renders),
// raw and gzip, plus the stylesheets. Lazy route chunks are not part of the first load.
//
//   npm run build && node scripts/bundle-weight.mjs [dist]
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dist = process.argv[2] ?? 'dist'
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const refs = (re) => [...html.matchAll(re)].map((m) => m[1].replace(/^\//, ''))
const entries = refs(/<script[^>]+src="([^"]+\.js)"/g)
const styles = refs(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+\.css)"/g)

// Follow static `import … from "./x.js"` (and bare `import "./x.js"`) between chunks; skip import().
const seen = new Set()
function walk(file) {
  if (seen.has(file)) return
  seen.add(file)
  const code = readFileSync(join(dist, file), 'utf8')
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    walk(join('assets', m[1]))
  }
}
entries.forEach(walk)

const size = (f) => {
  const buf = readFileSync(join(dist, f))
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
}
const sum = (files) => files.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 })
const kb = (n) => `${(n / 1024).toFixed(1)} KB`

const js = sum([...seen])
const css = sum(styles)
console.log(`first-load JavaScript: ${seen.size} files, ${kb(js.raw)} raw, ${kb(js.gzip)} gzip`)
for (const f of [...seen].sort((a, b) => size(b).raw - size(a).raw)) console.log(`  ${f}  ${kb(size(f).raw)} / ${kb(size(f).gzip)} gzip`)
console.log(`first-load CSS: ${styles.length} files, ${kb(css.raw)} raw, ${kb(css.gzip)} gzip`)
const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'))
const largest = all.map((f) => ({ f, ...size(join('assets', f)) })).sort((a, b) => b.raw - a.raw).slice(0, 5)
console.log('largest chunks overall:')
for (const c of largest) console.log(`  ${c.f}  ${kb(c.raw)} / ${kb(c.gzip)} gzip`)
