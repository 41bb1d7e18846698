'use strict';
const fs = require('node:fs');
const path = require('node:path');

const EDITORS = path.resolve(__dirname, '..', '..');
// The canonical seed lives beside the checkout (../shared/seed); .ci/editors.sh exports it.
const SEED = process.env.CAPTURE_SEED || path.resolve(EDITORS, '..', '..', 'shared', 'seed', 'bbc_65032731.capture.txt');
const SEED_TEXT = fs.readFileSync(SEED, 'utf8');

function readSettingsKeys() {
  return JSON.parse(fs.readFileSync(path.join(EDITORS, 'settings-keys.json'), 'utf8'));
}

/** The built server: $CAPTURE_LSP, else <repo>/target/debug/capture-lsp. */
function serverPath() {
  return process.env.CAPTURE_LSP || path.resolve(EDITORS, '..', 'target', 'debug', 'capture-lsp');
}

module.exports = { EDITORS, SEED, SEED_TEXT, readSettingsKeys, serverPath };
