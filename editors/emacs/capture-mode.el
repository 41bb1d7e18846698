;;; capture-mode.el --- Major mode for capture files (archived web articles)  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, hypermedia, tools
;; URL: editors/emacs in the capture-lsp repository

;;; Commentary:

;; A capture is an archived web article saved as one text file:
;;
;;   <!--1679425984000-->                     epoch milliseconds
;;   [Title](https://example.com/article)     title and source URL
;;   ------                                   separator
;;
;;   <main>...</main>                         the body: raw HTML, usually one line
;;
;; (optionally after Jekyll front matter, or with a `日期：' line instead of the timestamp).
;;
;; `capture-mode' derives from `html-mode', adds faces for the header lines and is chosen
;;   - for *.capture by extension (`auto-mode-alist'),
;;   - for *.md / *.txt when the first lines are a capture header (`magic-mode-alist';
;;     `capture-detect-by-content' turns that off).
;; It registers the `capture-lsp' server with eglot (built in from Emacs 29; the
;; `elpa-eglot' package on Debian's Emacs 28).  With eglot on, imenu shows the server's
;; outline (title, sections, figures, embeds), flymake its diagnostics, eldoc its hovers.
;;
;; Setup:
;;   (add-to-list 'load-path "/path/to/capture-lsp/editors/emacs")
;;   (require 'capture-mode)
;;   (add-hook 'capture-mode-hook #'eglot-ensure)

;;; Code:

(require 'cl-lib)
(require 'seq)
(require 'sgml-mode)
(require 'subr-x)

(defgroup capture nil
  "Capture files: archived web articles, with the capture-lsp language server."
  :group 'languages
  :prefix "capture-")

(defcustom capture-server-command '("capture-lsp" "--stdio")
  "Command line of the capture-lsp language server (program and arguments).
Add \"--log-file\" \"/tmp/capture-lsp.log\" for a log file; otherwise the server's
log (stderr) is in the buffer `M-x eglot-stderr-buffer' shows."
  :type '(repeat string))

(defcustom capture-detect-by-content t
  "Non-nil: detect captures named *.md or *.txt by their content.
Such files whose first lines are a capture header open in `capture-mode'."
  :type 'boolean)

(defcustom capture-server-settings nil
  "Settings sent to the server as initializationOptions, as a plist.
Nil sends the defaults.  Keys: :rules (plist of rule name or CAP code to
\"off\"/\"hint\"/\"info\"/\"warning\"/\"error\"), :credits (:markers VECTOR
:agencies PLIST), :hover (:imagePreview t or :json-false), :largeFileThreshold
INTEGER.  Example:
  (:rules (:relative-time \"off\") :hover (:imagePreview t))
The same object answers workspace/configuration for section \"capture-lsp\" when
`eglot-workspace-configuration' holds (:capture-lsp SETTINGS)."
  :type '(plist))

(defconst capture-max-detect-lines 30
  "Only the first lines of a file are looked at to detect a capture.")

;;;; Content detection (the rule shared with the VS Code and Neovim clients)

(defun capture--strip-cr (line)
  (if (string-suffix-p "\r" line) (substring line 0 -1) line))

(defun capture-lines-p (lines)
  "Return non-nil when LINES, the first lines of a file, are a capture header.
Optional BOM; optional YAML front matter (--- ... ---) and blank lines after it;
then either <!--DIGITS--> followed by a line starting with [, or a line starting
with [ containing ]( followed (maybe after one more line) by ------."
  (let* ((lines (mapcar #'capture--strip-cr (seq-take lines capture-max-detect-lines)))
         (vec (vconcat lines))
         (n (length vec))
         (i 0)
         (fence "\\`---[ \t]*\\'")
         (sep "\\`------[ \t]*\\'"))
    (when (and (> n 0) (string-prefix-p "\uFEFF" (aref vec 0)))
      (aset vec 0 (substring (aref vec 0) 1)))
    (cl-flet ((at (k) (and (< k n) (aref vec k))))
      (catch 'done
        (when (and (> n 0) (string-match-p fence (aref vec 0)))
          (let ((close (cl-loop for j from 1 below n
                                when (string-match-p fence (aref vec j)) return j)))
            (unless close (throw 'done nil))
            (setq i (1+ close))
            (while (and (< i n) (string-match-p "\\`[ \t]*\\'" (aref vec i)))
              (setq i (1+ i)))))
        (let ((first (at i)))
          (cond
           ((null first) nil)
           ((string-match-p "\\`<!--[0-9]+-->[ \t]*\\'" first)
            (string-prefix-p "[" (or (at (1+ i)) "")))
           ((and (string-prefix-p "[" first) (string-match-p "](" first))
            (or (and (at (1+ i)) (string-match-p sep (at (1+ i))) t)
                (and (at (+ i 2)) (string-match-p sep (at (+ i 2))) t)))
           (t nil)))))))

(defun capture-buffer-p ()
  "Return non-nil when the current buffer starts with a capture header."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (let (lines)
        (while (and (< (length lines) capture-max-detect-lines) (not (eobp)))
          ;; Bodies are one physical line of up to ~400 KB: take at most 4 KB of a line.
          (push (buffer-substring-no-properties
                 (point) (min (line-end-position) (+ (point) 4096)))
                lines)
          (forward-line 1))
        (capture-lines-p (nreverse lines))))))

(defun capture-magic-mode-p ()
  "Function for `magic-mode-alist': a *.md / *.txt file whose content is a capture."
  (and capture-detect-by-content
       buffer-file-name
       (string-match-p "\\.\\(md\\|txt\\)\\'" (downcase buffer-file-name))
       (capture-buffer-p)))

;;;; Font lock for the header

(defface capture-title-face '((t :inherit font-lock-function-name-face :weight bold))
  "Face for the article title in the header.")

(defvar capture-font-lock-keywords
  '(("\\`\\(?:\uFEFF\\)?---[ \t]*$" . font-lock-preprocessor-face)
    ("^\\(<!--\\)\\([0-9]+\\)\\(-->\\)[ \t]*$"
     (1 font-lock-comment-delimiter-face t)
     (2 font-lock-constant-face t)
     (3 font-lock-comment-delimiter-face t))
    ("^\\(\\[\\)\\(.*\\)\\(\\](\\)\\([^ \t\n]*\\)\\()\\)[ \t]*$"
     (2 'capture-title-face t)
     (4 'link t))
    ("^------[ \t]*$" 0 font-lock-keyword-face t)
    ("^\\(日期\\)[：:]\\(.*\\)$"
     (1 font-lock-keyword-face t)
     (2 font-lock-string-face t)))
  "Highlighting for the capture header lines, on top of `html-mode's.")

;;;; The mode

;;;###autoload
(define-derived-mode capture-mode html-mode "Capture"
  "Major mode for capture files (archived web articles).
The header lines are highlighted, the body is HTML.  Start the capture-lsp
server with `eglot' (or `eglot-ensure' in `capture-mode-hook')."
  (setq-local comment-start "<!-- ")
  (setq-local comment-end " -->")
  ;; The body is one very long line.
  (setq-local truncate-lines nil)
  (setq-local word-wrap t)
  (font-lock-add-keywords nil capture-font-lock-keywords 'append))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.capture\\'" . capture-mode))
;;;###autoload
(add-to-list 'magic-mode-alist '(capture-magic-mode-p . capture-mode))

;;;; eglot

(defun capture--json-settings ()
  "The server settings object (initializationOptions)."
  (let ((s capture-server-settings)
        (empty (lambda () (make-hash-table :test #'equal))))
    (list :rules (or (plist-get s :rules) (funcall empty))
          :credits (list :markers (or (plist-get (plist-get s :credits) :markers) [])
                         :agencies (or (plist-get (plist-get s :credits) :agencies) (funcall empty)))
          :hover (list :imagePreview (or (plist-get (plist-get s :hover) :imagePreview) :json-false))
          :largeFileThreshold (or (plist-get s :largeFileThreshold) 2000000))))

(defun capture-eglot-contact (&optional _interactive)
  "Contact for `eglot-server-programs'.
That is `capture-server-command' plus the initializationOptions."
  (let ((program (car capture-server-command)))
    (unless (and program
                 (or (and (file-name-absolute-p program) (file-executable-p program))
                     (executable-find program)))
      (user-error "capture-lsp: server `%s' not found; install it on PATH or set `capture-server-command'"
                  program))
    (append capture-server-command
            (list :initializationOptions (lambda (_server) (capture--json-settings))))))

(with-eval-after-load 'eglot
  (defvar eglot-server-programs)
  (add-to-list 'eglot-server-programs
               '((capture-mode :language-id "capture") . capture-eglot-contact)))

(provide 'capture-mode)
;;; capture-mode.el ends here
