-- capture-lsp for Neovim: shared pieces (content detection, default server settings).
-- The LSP client config is lsp/capture_lsp.lua; detection is wired in ftdetect/capture.lua.
local M = {}

M.language_id = 'capture'
M.command = 'capture-lsp'
M.section = 'capture-lsp'

--- Only the first MAX_LINES lines are looked at.
M.MAX_LINES = 30

--- Server settings with their defaults. The same object is sent as `init_options` and
--- answered to `workspace/configuration` for section "capture-lsp" (via `settings`).
--- Keys: editors/settings-keys.json ("server").
function M.default_settings()
  return {
    rules = vim.empty_dict(),
    credits = { markers = {}, agencies = vim.empty_dict() },
    hover = { imagePreview = false },
    largeFileThreshold = 2000000,
  }
end

local function strip_cr(s)
  return (s:gsub('\r$', ''))
end

local function is_front_matter_fence(s)
  return s:match('^%-%-%-%s*$') ~= nil
end

local function is_separator(s)
  return s ~= nil and s:match('^%-%-%-%-%-%-%s*$') ~= nil
end

--- The content rule shared with the VS Code and Emacs clients:
---   optional UTF-8 BOM; optional YAML front matter (`---` ... `---`, then blank lines);
---   then `<!--digits-->` followed by a line starting with `[`,
---   or a line starting with `[` containing `](` followed (maybe after one more line) by `------`.
---@param input string[] first lines of the file
---@return boolean
function M.is_capture_lines(input)
  local lines = {}
  for i = 1, math.min(#input, M.MAX_LINES) do
    lines[i] = strip_cr(input[i])
  end
  if #lines == 0 then
    return false
  end
  if lines[1]:sub(1, 3) == '\239\187\191' then
    lines[1] = lines[1]:sub(4)
  end
  local i = 1
  if is_front_matter_fence(lines[1]) then
    local close
    for j = 2, #lines do
      if is_front_matter_fence(lines[j]) then
        close = j
        break
      end
    end
    if not close then
      return false
    end
    i = close + 1
    while lines[i] ~= nil and lines[i]:match('^%s*$') do
      i = i + 1
    end
  end
  local first = lines[i]
  if first == nil then
    return false
  end
  if first:match('^<!%-%-%d+%-%->%s*$') then
    return (lines[i + 1] or ''):sub(1, 1) == '['
  end
  if first:sub(1, 1) == '[' and first:find('](', 1, true) then
    return is_separator(lines[i + 1]) or is_separator(lines[i + 2])
  end
  return false
end

--- Is the buffer (or the file at `path`, when the buffer is not loaded) a capture?
---@param path string|nil
---@param bufnr integer|nil
---@return boolean
function M.is_capture_buffer(path, bufnr)
  local lines
  if bufnr and vim.api.nvim_buf_is_loaded(bufnr) and vim.api.nvim_buf_line_count(bufnr) > 1 then
    lines = vim.api.nvim_buf_get_lines(bufnr, 0, M.MAX_LINES, false)
  elseif path and path ~= '' then
    local f = io.open(path, 'rb')
    if not f then
      return false
    end
    lines = {}
    -- Bodies are one physical line of up to ~400 KB: read at most 64 KB.
    local head = f:read(65536) or ''
    f:close()
    for line in (head .. '\n'):gmatch('([^\n]*)\n') do
      lines[#lines + 1] = line
      if #lines >= M.MAX_LINES then
        break
      end
    end
  else
    return false
  end
  return M.is_capture_lines(lines)
end

--- Filetype detection function for vim.filetype.add patterns.
function M.detect(path, bufnr)
  if vim.g.capture_lsp_detect_by_content == false then
    return nil
  end
  if M.is_capture_buffer(path, bufnr) then
    return 'capture'
  end
  return nil
end

--- Optional setup: `require('capture_lsp').setup({ cmd = {...}, settings = {...} })`.
--- Merges into the `capture_lsp` config (Neovim 0.11+) — the same as calling
--- `vim.lsp.config('capture_lsp', {...})` yourself.
function M.setup(opts)
  opts = opts or {}
  local cfg = {}
  if opts.cmd then
    cfg.cmd = opts.cmd
  end
  if opts.settings then
    local s = vim.tbl_deep_extend('force', M.default_settings(), opts.settings)
    cfg.init_options = s
    cfg.settings = { [M.section] = s }
  end
  if vim.lsp.config then
    vim.lsp.config('capture_lsp', cfg)
  end
end

return M
