// Bundles the browser client into dist/: main.js + main.css (+ source maps) and index.html.
// Usage: node build.mjs [--dev] [--watch]. Production builds are minified.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const outdir = join(root, 'dist');
const dev = process.argv.includes('--dev');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts' },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: !dev,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await copyFile(join(root, 'static', 'index.html'), join(outdir, 'index.html'));
// The terminal recordings player (npm asciinema-player, Apache-2.0) is bundled into main.js; its licence goes beside it.
await copyFile(join(root, 'node_modules', 'asciinema-player', 'LICENSE'), join(outdir, 'ASCIINEMA-PLAYER-LICENSE.txt'));

// The noVNC viewer (/novnc/?target=<id>): stock @novnc/novnc from node_modules, bundled with its page into
// dist/novnc/ so the gateway serves it itself (nothing is fetched at run time). See docs/passthrough.md.
const novncOutdir = join(outdir, 'novnc');
await mkdir(novncOutdir, { recursive: true });
await copyFile(join(root, 'novnc', 'index.html'), join(novncOutdir, 'index.html'));
await copyFile(join(root, 'node_modules', '@novnc', 'novnc', 'LICENSE.txt'), join(novncOutdir, 'NOVNC-LICENSE.txt'));
await esbuild.build({
  ...options,
  entryPoints: ['novnc/main.ts', 'novnc/novnc.css'],
  outdir: novncOutdir,
  entryNames: '[name]',
});

if (watch) {
  const ctx = await esbuild.context({ ...options, minify: false });
  await ctx.watch();
} else {
  await esbuild.build(options);
}
