// Route `require('vscode')` and `require('vscode-languageclient/node')` to the stubs.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const map = {
  vscode: path.join(__dirname, 'vscode.js'),
  'vscode-languageclient/node': path.join(__dirname, 'languageclient.js'),
};
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (Object.prototype.hasOwnProperty.call(map, request)) return map[request];
  return original.call(this, request, ...rest);
};
