" Syntax for capture files: the header lines, then HTML for the body.
if exists('b:current_syntax')
  finish
endif

runtime! syntax/html.vim
unlet! b:current_syntax

" Jekyll front matter at the top of the file.
syn region captureFrontMatter start=/\%^---\s*$/ end=/^---\s*$/ keepend contains=captureFrontMatterKey
syn match captureFrontMatterKey /^\w\+:/ contained
" <!--1679425984000-->
syn match captureTimestamp /^\%(\%uFEFF\)\=<!--\d\+-->\s*$/ contains=captureTimestampDigits
syn match captureTimestampDigits /\d\+/ contained
" [title](url)
syn match captureTitleLine /^\[.*\](\S*)\s*$/ contains=captureTitle,captureUrl
syn match captureTitle /\%(^\[\)\@<=.*\%(\](\S*)\s*$\)\@=/ contained
syn match captureUrl /\%(\](\)\@<=\S*\%()\s*$\)\@=/ contained
" ------
syn match captureSeparator /^------\s*$/
" 日期：Fri, 19 Jun 2020 15:56:13 +0000
syn match captureDateLine /^日期[：:].*$/ contains=captureDateKey
syn match captureDateKey /^日期[：:]/ contained

hi def link captureFrontMatter    PreProc
hi def link captureFrontMatterKey Identifier
hi def link captureTimestamp      Comment
hi def link captureTimestampDigits Number
hi def link captureTitleLine      Delimiter
hi def link captureTitle          Title
hi def link captureUrl            Underlined
hi def link captureSeparator      Delimiter
hi def link captureDateLine       Constant
hi def link captureDateKey        Keyword

let b:current_syntax = 'capture'
