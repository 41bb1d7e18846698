-- Filetype plugin for capture files: HTML highlighting for the body, HTML comments.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

local buf = vim.api.nvim_get_current_buf()

vim.bo[buf].commentstring = '<!-- %s -->'
vim.bo[buf].comments = 's:<!--,m:    ,e:-->'
vim.bo[buf].matchpairs = vim.bo[buf].matchpairs .. ',<:>'
-- Bodies are one physical line of up to ~400 KB.
vim.wo.wrap = true
vim.wo.linebreak = true

-- Tree-sitter: use the html parser for `capture` buffers when it is installed (e.g. by
-- nvim-treesitter); otherwise syntax/capture.vim (header + runtime html syntax) is used.
local has_ts = false
if vim.treesitter and vim.treesitter.language and vim.treesitter.language.register then
  pcall(vim.treesitter.language.register, 'html', 'capture')
  -- 0.11 returns true / nil+message; 0.10 returns nothing and throws when missing.
  local ok, added, err = pcall(vim.treesitter.language.add, 'html')
  if vim.fn.has('nvim-0.11') == 1 then
    has_ts = ok and added == true
  else
    has_ts = ok and err == nil
  end
end
if has_ts and vim.g.capture_lsp_treesitter ~= false then
  pcall(vim.treesitter.start, buf, 'html')
end

vim.b.undo_ftplugin = 'setlocal commentstring< comments< matchpairs< wrap< linebreak<'
  .. ' | lua pcall(vim.treesitter.stop)'
