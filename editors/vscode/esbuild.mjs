// Bundles the extension with esbuild.
//   node esbuild.mjs          -> dist/extension.js (what the .vsix ships; `vscode` is external)
//   node esbuild.mjs --test   -> also out/: a build for the unit tests in which `vscode` AND
//                                `vscode-languageclient/node` stay external (the tests stub
//                                both), plus the pure modules on their own.
import * as esbuild from 'esbuild';

const test = process.argv.includes('--test');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

await esbuild.build({
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
});

if (test) {
  await esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'out/extension.js',
    external: ['vscode', 'vscode-languageclient/node'],
  });
  await esbuild.build({
    ...common,
    entryPoints: ['src/detect.ts', 'src/settings.ts'],
    outdir: 'out',
  });
}
