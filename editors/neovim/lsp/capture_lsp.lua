-- Neovim 0.11+ config for capture-lsp (`vim.lsp.config` / `vim.lsp.enable`).
-- Override any field with vim.lsp.config('capture_lsp', { ... }) in your init.lua, e.g.
--   vim.lsp.config('capture_lsp', { cmd = { '/path/to/capture-lsp', '--stdio' } })
local ok, capture = pcall(require, 'capture_lsp')
local settings = ok and capture.default_settings()
  or {
    rules = vim.empty_dict(),
    credits = { markers = {}, agencies = vim.empty_dict() },
    hover = { imagePreview = false },
    largeFileThreshold = 2000000,
  }

---@type vim.lsp.Config
return {
  cmd = { 'capture-lsp', '--stdio' },
  filetypes = { 'capture' },
  -- Captures live in archive folders; without a marker the server runs single-file.
  root_markers = { '.git' },
  init_options = settings,
  -- Answered to workspace/configuration for section "capture-lsp".
  settings = { ['capture-lsp'] = settings },
}
