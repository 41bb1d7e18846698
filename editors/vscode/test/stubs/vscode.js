// A minimal stand-in for the `vscode` module: just what src/extension.ts touches, with
// recorders so tests can look at what the extension did.
'use strict';

function emitter() {
  const listeners = [];
  const event = (fn) => {
    listeners.push(fn);
    return { dispose: () => listeners.splice(listeners.indexOf(fn), 1) };
  };
  event.fire = (...args) => listeners.slice().forEach((fn) => fn(...args));
  return event;
}

class Uri {
  constructor(scheme, fsPath) {
    this.scheme = scheme;
    this.fsPath = fsPath;
    this.path = fsPath;
  }
  static file(p) {
    return new Uri('file', p);
  }
  static parse(s) {
    const m = /^([a-z-]+):\/\/(.*)$/.exec(s);
    return m ? new Uri(m[1], m[2]) : new Uri('file', s);
  }
  toString() {
    return `${this.scheme}://${this.fsPath}`;
  }
}

function makeDocument(fileName, text, languageId) {
  const lines = text.split('\n');
  return {
    uri: Uri.file(fileName),
    fileName,
    languageId,
    lineCount: lines.length,
    lineAt: (i) => ({ text: lines[i].replace(/\r$/, '') }),
    getText: () => text,
    _text: text,
  };
}

const state = {};
function reset() {
  state.config = {};
  state.documents = [];
  state.workspaceFolders = undefined;
  state.commands = new Map();
  state.executed = [];
  state.errors = [];
  state.languageSwitches = [];
  state.outputChannels = [];
  state.onOpen = emitter();
  state.onClose = emitter();
  state.onConfig = emitter();
}
reset();

module.exports = {
  __state: state,
  __reset: reset,
  __makeDocument: makeDocument,
  /** Simulate the editor opening a document. */
  __open(doc) {
    state.documents.push(doc);
    state.onOpen.fire(doc);
    return doc;
  },
  /** Simulate a settings change; `changed` lists dotted keys under `capture-lsp`. */
  __changeConfig(changed) {
    state.onConfig.fire({
      affectsConfiguration: (section) =>
        changed.some((k) => `capture-lsp.${k}` === section || `capture-lsp.${k}`.startsWith(section + '.')),
    });
  },
  Uri,
  window: {
    createOutputChannel(name) {
      const ch = { name, lines: [], shown: 0, appendLine: (l) => ch.lines.push(l), append: (l) => ch.lines.push(l), show: () => ch.shown++, dispose() {} };
      state.outputChannels.push(ch);
      return ch;
    },
    showErrorMessage(message, ...items) {
      state.errors.push({ message, items });
      return Promise.resolve(undefined);
    },
  },
  commands: {
    registerCommand(id, fn) {
      if (state.commands.has(id)) throw new Error(`command ${id} registered twice`);
      state.commands.set(id, fn);
      return { dispose: () => state.commands.delete(id) };
    },
    executeCommand(id, ...args) {
      state.executed.push([id, ...args]);
      const fn = state.commands.get(id);
      return Promise.resolve(fn ? fn(...args) : undefined);
    },
  },
  workspace: {
    getConfiguration(section) {
      if (section !== 'capture-lsp') throw new Error(`unexpected configuration section ${section}`);
      return {
        get: (key, dflt) => (Object.prototype.hasOwnProperty.call(state.config, key) ? state.config[key] : dflt),
      };
    },
    get textDocuments() {
      return state.documents;
    },
    get workspaceFolders() {
      return state.workspaceFolders;
    },
    onDidOpenTextDocument: (fn) => state.onOpen(fn),
    onDidCloseTextDocument: (fn) => state.onClose(fn),
    onDidChangeConfiguration: (fn) => state.onConfig(fn),
  },
  languages: {
    // Like VS Code: the old document is closed and a new one opened with the new language.
    setTextDocumentLanguage(doc, languageId) {
      state.languageSwitches.push({ fileName: doc.fileName, from: doc.languageId, to: languageId });
      const next = makeDocument(doc.fileName, doc._text, languageId);
      state.documents = state.documents.filter((d) => d !== doc);
      state.onClose.fire(doc);
      state.documents.push(next);
      state.onOpen.fire(next);
      return Promise.resolve(next);
    },
  },
};
