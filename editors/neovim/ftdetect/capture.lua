-- *.capture by extension; *.md / *.txt only when the content is a capture header
-- (set vim.g.capture_lsp_detect_by_content = false to turn that off).
local function detect(path, bufnr)
  return require('capture_lsp').detect(path, bufnr)
end

vim.filetype.add({
  extension = {
    capture = 'capture',
  },
  pattern = {
    -- A function that returns nil falls through to the usual markdown / text detection.
    ['.*%.[mM][dD]'] = { detect, { priority = 10 } },
    ['.*%.[tT][xX][tT]'] = { detect, { priority = 10 } },
  },
})
