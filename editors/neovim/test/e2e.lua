-- Headless end-to-end test of the Neovim plugin against the real server.
-- Run by editors/neovim/test/run.sh:
--   nvim --headless --clean --cmd 'set rtp^=<plugin dir>' -c 'luafile test/e2e.lua'
-- Env: CAPTURE_LSP (server binary), CAPTURE_SEED (seed capture), CAPTURE_TMP (scratch dir).
-- Prints one `ok N - step` / `not ok N - step` line per step and a closing
-- `neovim: N passed, N failed` line; exits non-zero when any step failed.

local TIMEOUT = tonumber(os.getenv('CAPTURE_LSP_TEST_TIMEOUT_MS') or '') or 15000
local TITLE = '习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机”'
local TWEET = 'https://twitter.com/bbcchinese/status/1638167790505930759'
local RELATIVE = '28 分钟前'

local out = io.stdout
local function say(s)
  out:write(s .. '\n')
  out:flush()
end

-- Messages (e.g. "no code actions available") go to the output as comments.
vim.notify = function(msg, level)
  say(('  # notify[%s]: %s'):format(tostring(level), tostring(msg):gsub('\n', ' ')))
end

-- A menu would wait for a keypress forever in a headless test: fail instead.
vim.ui.select = function(items, _, on_choice)
  say(('  # vim.ui.select called with %d items (a test must not need a menu)'):format(#items))
  on_choice(nil)
end
vim.ui.input = function(_, on_confirm)
  say('  # vim.ui.input called (a test must not need input)')
  on_confirm(nil)
end

local results = { passed = 0, failed = 0, n = 0 }
local ctx = {}

local function step(name, fn)
  results.n = results.n + 1
  local ok, err = xpcall(fn, function(e)
    return os.getenv('CAPTURE_TEST_VERBOSE') and debug.traceback(e) or tostring(e)
  end)
  if ok then
    results.passed = results.passed + 1
    say(('ok %d - %s'):format(results.n, name))
  else
    results.failed = results.failed + 1
    say(('not ok %d - %s'):format(results.n, name))
    for line in tostring(err):gmatch('[^\n]+') do
      say('  # ' .. line)
    end
  end
end

local function check(cond, msg)
  if not cond then
    error(msg or 'check failed', 2)
  end
end

local function wait(what, pred)
  local ok = vim.wait(TIMEOUT, pred, 20)
  check(ok, ('timed out after %d ms waiting for %s'):format(TIMEOUT, what))
end

local function buf_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
end

--- 0-based (row, byte col) of the first occurrence of `needle` in the buffer.
local function find(buf, needle)
  for row, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return row - 1, col - 1
    end
  end
end

local function diag_text(buf, d)
  local lines = vim.api.nvim_buf_get_text(buf, d.lnum, d.col, d.end_lnum or d.lnum, d.end_col or d.col, {})
  return table.concat(lines, '\n')
end

local function request(method, params)
  local client = ctx.client
  check(client, 'no client attached')
  local res, err = client:request_sync(method, params, TIMEOUT, ctx.buf)
  check(res, ('%s: %s'):format(method, err or 'no response'))
  check(not res.err, ('%s: server error %s'):format(method, res.err and (res.err.code .. ' ' .. tostring(res.err.message))))
  return res.result
end

local function main()
  local server = os.getenv('CAPTURE_LSP')
  local seed = os.getenv('CAPTURE_SEED')
  local tmp = os.getenv('CAPTURE_TMP') or vim.fn.tempname()
  vim.fn.mkdir(tmp, 'p')

  step('environment: Neovim >= 0.11, server binary and seed exist', function()
    check(vim.fn.has('nvim-0.11') == 1, 'Neovim 0.11+ required, got ' .. tostring(vim.version()))
    check(server and vim.fn.executable(server) == 1, 'server binary not executable: ' .. tostring(server))
    check(seed and vim.fn.filereadable(seed) == 1, 'seed not readable: ' .. tostring(seed))
    check(vim.lsp.config.capture_lsp ~= nil, 'lsp/capture_lsp.lua not found on runtimepath')
  end)

  step('detection: the shared samples (editors/test-data/detect-samples.json)', function()
    local path = os.getenv('CAPTURE_SAMPLES')
    local data = vim.json.decode(table.concat(vim.fn.readfile(path), '\n'))
    local capture = require('capture_lsp')
    local wrong = {}
    for _, s in ipairs(data.samples) do
      if capture.is_capture_lines(s.lines) ~= s.capture then
        wrong[#wrong + 1] = s.name
      end
    end
    check(#data.samples > 10, 'samples loaded')
    check(#wrong == 0, 'wrong answers for: ' .. table.concat(wrong, ', '))
  end)

  -- How a user points the config at a binary that is not on PATH.
  ctx.server_log = tmp .. '/server.log'
  vim.lsp.config('capture_lsp', {
    cmd = { server, '--stdio', '--log-file', ctx.server_log },
    cmd_env = { CAPTURE_LSP_LOG = 'debug' },
  })

  ctx.diag_changes = 0
  vim.api.nvim_create_autocmd('DiagnosticChanged', {
    callback = function()
      ctx.diag_changes = ctx.diag_changes + 1
    end,
  })

  step('filetype: a copy of the seed named article.md is detected as capture', function()
    local file = tmp .. '/article.md'
    vim.fn.writefile(vim.fn.readfile(seed, 'b'), file, 'b')
    vim.cmd.edit(vim.fn.fnameescape(file))
    ctx.buf = vim.api.nvim_get_current_buf()
    check(vim.bo[ctx.buf].filetype == 'capture', 'filetype is ' .. vim.bo[ctx.buf].filetype)
    check(vim.bo[ctx.buf].commentstring == '<!-- %s -->', 'commentstring ' .. vim.bo[ctx.buf].commentstring)
    local hl = vim.bo[ctx.buf].syntax == 'capture' or vim.b[ctx.buf].ts_highlight
    check(hl, 'html highlighting (syntax=capture or tree-sitter html): syntax=' .. vim.bo[ctx.buf].syntax)
  end)

  step('filetype: plain .md/.txt stay markdown/text; a capture .txt and *.capture are capture', function()
    local md = tmp .. '/notes.md'
    vim.fn.writefile({ '# Notes', '', '[a link](https://example.com)', '', '------' }, md)
    vim.cmd.split(vim.fn.fnameescape(md))
    check(vim.bo.filetype == 'markdown', 'notes.md filetype ' .. vim.bo.filetype)
    vim.cmd.close()
    check(vim.filetype.match({ filename = 'x/a.capture' }) == 'capture', '*.capture by extension')
    local txt = tmp .. '/article.txt'
    vim.fn.writefile(vim.fn.readfile(seed, 'b'), txt, 'b')
    vim.cmd.split(vim.fn.fnameescape(txt))
    check(vim.bo.filetype == 'capture', 'article.txt filetype ' .. vim.bo.filetype)
    vim.cmd.bwipeout()
    local plain = tmp .. '/plain.txt'
    vim.fn.writefile({ 'just some text', '------' }, plain)
    vim.cmd.split(vim.fn.fnameescape(plain))
    check(vim.bo.filetype == 'text', 'plain.txt filetype ' .. vim.bo.filetype)
    vim.cmd.bwipeout()
    vim.api.nvim_set_current_buf(ctx.buf)
  end)

  step('lsp: capture_lsp attaches and initializes', function()
    wait('a capture_lsp client on the buffer', function()
      local c = vim.lsp.get_clients({ bufnr = ctx.buf, name = 'capture_lsp' })[1]
      if c and c.initialized then
        ctx.client = c
        return true
      end
      return false
    end)
    say('  # server: ' .. vim.inspect(ctx.client.server_info, { newline = ' ', indent = '' }) .. ', offset encoding ' .. ctx.client.offset_encoding)
  end)

  step('lsp: --log-file receives the server log', function()
    wait('a non-empty ' .. ctx.server_log, function()
      return vim.fn.getfsize(ctx.server_log) > 0
    end)
  end)

  step('lsp: position encoding negotiated (Neovim offers utf-8 first)', function()
    check(ctx.client, 'no client')
    local enc = ctx.client.server_capabilities.positionEncoding
    check(enc == 'utf-8' or enc == 'utf-16' or enc == 'utf-32', 'server chose ' .. tostring(enc))
    check(ctx.client.offset_encoding == enc, 'client uses ' .. ctx.client.offset_encoding)
    local sync = ctx.client.server_capabilities.textDocumentSync
    local change = type(sync) == 'table' and sync.change or sync
    check(change == 2, 'incremental sync, got ' .. vim.inspect(sync))
  end)

  step('diagnostics: arrive, with CAP codes, flagging the empty embeds and the relative time', function()
    wait('diagnostics', function()
      return #vim.diagnostic.get(ctx.buf) > 0
    end)
    local ds = vim.diagnostic.get(ctx.buf)
    local twitter, instagram, relative = false, false, false
    for _, d in ipairs(ds) do
      check(tostring(d.code):match('^CAP%d+$'), 'code ' .. tostring(d.code))
      local t = diag_text(ctx.buf, d)
      if t:find('twitter-embed', 1, true) or d.message:lower():find('twitter') or d.message:lower():find('tweet') then
        twitter = true
      end
      if t:find('instagram-embed', 1, true) or d.message:lower():find('instagram') then
        instagram = true
      end
      if t:find(RELATIVE, 1, true) or d.message:find(RELATIVE, 1, true) then
        relative = true
        ctx.relative_code = d.code
      end
    end
    say(('  # %d diagnostics'):format(#ds))
    check(twitter, 'empty Twitter placeholder flagged')
    check(instagram, 'empty Instagram placeholder flagged')
    check(relative, 'relative time flagged')
  end)

  step('documentSymbol: the root symbol is the title, the h2 section is in the outline', function()
    local symbols = request('textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params(ctx.buf) })
    check(type(symbols) == 'table' and #symbols > 0, 'no symbols')
    check(symbols[1].name == TITLE, 'root symbol ' .. tostring(symbols[1].name))
    local names = {}
    local function walk(s)
      names[#names + 1] = s.name
      for _, c in ipairs(s.children or {}) do
        walk(c)
      end
    end
    for _, s in ipairs(symbols) do
      walk(s)
    end
    check(vim.tbl_contains(names, '强调密切关系'), 'h2 missing from ' .. table.concat(names, ' | '))
  end)

  step('hover: on the first <img> shows the credit', function()
    local row, col = find(ctx.buf, '<img')
    check(row, '<img not found')
    vim.api.nvim_win_set_cursor(0, { row + 1, col + 1 })
    local params = vim.lsp.util.make_position_params(0, ctx.client.offset_encoding)
    local hover = request('textDocument/hover', params)
    check(hover and hover.contents, 'no hover')
    local c = hover.contents
    local text = type(c) == 'string' and c or c.value or vim.inspect(c)
    check(text:find('KREMLIN POOL/SPUTNIK/EPA', 1, true), 'credit not in hover: ' .. text)
  end)

  step('codeAction: the quick fix replaces the empty Twitter placeholder with a link', function()
    check(ctx.client and ctx.client.server_capabilities.codeActionProvider, 'server does not advertise codeActionProvider')
    local row, col = find(ctx.buf, 'data-e2e="twitter-embed-')
    check(row, 'twitter placeholder not found')
    vim.api.nvim_win_set_cursor(0, { row + 1, col })
    local titles = {}
    local done = false
    local chosen = nil
    vim.lsp.buf.code_action({
      apply = true, -- applied without a menu when exactly one action passes the filter
      filter = function(action)
        titles[#titles + 1] = ('%s [%s]'):format(action.title, tostring(action.kind))
        local links = vim.inspect(action.edit or {}):find(TWEET, 1, true) ~= nil
          or (action.title or ''):lower():find('twitter') ~= nil
        local quickfix = action.kind == nil or action.kind == 'quickfix' or vim.startswith(action.kind, 'quickfix.')
        if chosen == nil and links and quickfix then
          chosen = action.title
          return true
        end
        return false
      end,
    })
    wait('the code action edit to be applied', function()
      local text = buf_text(ctx.buf)
      done = text:find('href="' .. TWEET, 1, true) ~= nil and text:find('twitter-embed-' .. TWEET .. '"><div><div></div></div></div>', 1, true) == nil
      return done
    end)
    say('  # actions offered: ' .. table.concat(titles, ' | '))
  end)

  step('edit: replacing the relative time updates the diagnostics', function()
    check(ctx.client, 'no client')
    check(ctx.relative_code, 'no relative-time diagnostic was seen before the edit')
    local row, col = find(ctx.buf, RELATIVE)
    check(row, 'relative time not found')
    local before = ctx.diag_changes
    vim.api.nvim_buf_set_text(ctx.buf, row, col, row, col + #RELATIVE, { '2023年3月21日' })
    wait('diagnostics after the edit (relative time gone, Instagram placeholder still flagged)', function()
      if ctx.diag_changes <= before then
        return false
      end
      local instagram = false
      for _, d in ipairs(vim.diagnostic.get(ctx.buf)) do
        if d.message:find(RELATIVE, 1, true) or d.code == ctx.relative_code then
          return false
        end
        if diag_text(ctx.buf, d):find('instagram-embed', 1, true) or d.message:lower():find('instagram') then
          instagram = true
        end
      end
      return instagram
    end)
  end)

  step('shutdown: the server stops cleanly', function()
    check(ctx.client, 'no client')
    ctx.client:stop()
    wait('client to stop', function()
      return ctx.client:is_stopped()
    end)
  end)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  results.failed = results.failed + 1
  say('not ok - test script error')
  say('  # ' .. tostring(err):gsub('\n', '\n  # '))
end

if results.failed > 0 then
  for _, log in ipairs({ vim.lsp.get_log_path(), ctx.server_log }) do
  if log and vim.fn.filereadable(log) == 1 then
    say('# tail of ' .. log .. ':')
    local lines = vim.fn.readfile(log)
    for i = math.max(1, #lines - 30), #lines do
      say('#   ' .. lines[i]:sub(1, 400))
    end
  end
  end
end

say(('neovim: %d passed, %d failed'):format(results.passed, results.failed))
vim.cmd(results.failed > 0 and 'cquit 1' or 'qall!')
