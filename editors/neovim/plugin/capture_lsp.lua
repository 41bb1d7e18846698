-- Enables the capture_lsp client (Neovim 0.11+) unless the user opts out with
--   vim.g.capture_lsp_autostart = false   (set before this plugin loads)
if vim.g.loaded_capture_lsp then
  return
end
vim.g.loaded_capture_lsp = 1

if vim.g.capture_lsp_autostart == false then
  return
end
if vim.fn.has('nvim-0.11') == 1 and vim.lsp.enable then
  vim.lsp.enable('capture_lsp')
end
