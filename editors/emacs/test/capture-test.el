;;; capture-test.el --- Batch end-to-end test of capture-mode + eglot  -*- lexical-binding: t; -*-

;; Run by editors/emacs/test/run.sh:
;;   emacs --batch -Q -l editors/emacs/test/capture-test.el
;; Env: CAPTURE_LSP (server binary), CAPTURE_SEED (seed capture), CAPTURE_TMP (scratch dir).
;; Prints `ok N - step' / `not ok N - step' per step and a closing
;; `emacs: N passed, N failed' line; exits non-zero when any step failed.

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'subr-x)

(defconst capture-test-dir (file-name-directory (or load-file-name buffer-file-name)))
(defconst capture-test-timeout
  (/ (string-to-number (or (getenv "CAPTURE_LSP_TEST_TIMEOUT_MS") "15000")) 1000.0))
(defconst capture-test-title "习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机”")
(defconst capture-test-tweet "https://twitter.com/bbcchinese/status/1638167790505930759")
(defconst capture-test-relative "28 分钟前")

;; Debian's Emacs 28 + elpa-eglot: eglot and its newer project/xref live here; -Q does not
;; add them to load-path.  Emacs 29+ has eglot built in.
(dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
  (when (file-directory-p dir)
    (add-to-list 'load-path dir)))
(add-to-list 'load-path (expand-file-name ".." capture-test-dir))

(defvar capture-test--passed 0)
(defvar capture-test--failed 0)
(defvar capture-test--n 0)

(defun capture-test--say (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defmacro capture-test-step (name &rest body)
  (declare (indent 1))
  `(progn
     (setq capture-test--n (1+ capture-test--n))
     (condition-case err
         (progn ,@body
                (setq capture-test--passed (1+ capture-test--passed))
                (capture-test--say "ok %d - %s" capture-test--n ,name))
       ((debug error)
        (setq capture-test--failed (1+ capture-test--failed))
        (capture-test--say "not ok %d - %s" capture-test--n ,name)
        (capture-test--say "  # %s" (replace-regexp-in-string
                                     "\n" "\n  # " (error-message-string err)))))))

(defun capture-test-check (cond fmt &rest args)
  (unless cond (error "%s" (apply #'format fmt args))))

(defun capture-test-wait (what pred)
  "Run timers and process output until PRED is non-nil, or fail naming WHAT."
  (let ((deadline (+ (float-time) capture-test-timeout))
        result)
    (while (and (not (setq result (funcall pred)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; Batch mode has no idle loop: do what eglot's and flymake's idle timers would do.
      (when (buffer-live-p capture-test--buf)
        (with-current-buffer capture-test--buf
          (when (bound-and-true-p eglot--managed-mode)
            (ignore-errors (eglot--signal-textDocument/didChange)))
          (when (bound-and-true-p flymake-mode)
            (ignore-errors (flymake-start))))))
    (capture-test-check result "timed out after %ss waiting for %s" capture-test-timeout what)
    result))

(defun capture-test--diag-text (d)
  (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))

(defun capture-test--diags () (flymake-diagnostics (point-min) (point-max)))

(defun capture-test--hover-text (contents)
  (cond ((stringp contents) contents)
        ((vectorp contents) (mapconcat #'capture-test--hover-text contents "\n"))
        ((plist-get contents :value))
        (t (format "%S" contents))))

(defvar capture-test--server nil)
(defvar capture-test--buf nil)
(defvar capture-test--relative-code nil)

(defun capture-test-main ()
  (let* ((server (getenv "CAPTURE_LSP"))
         (seed (getenv "CAPTURE_SEED"))
         (tmp (file-name-as-directory (or (getenv "CAPTURE_TMP") (make-temp-file "capture-emacs" t)))))
    (make-directory tmp t)

    (capture-test-step "environment: eglot loads, server binary and seed exist"
      (require 'capture-mode)
      (require 'eglot)
      (require 'flymake)
      (capture-test-check (and server (file-executable-p server)) "server binary not executable: %s" server)
      (capture-test-check (and seed (file-readable-p seed)) "seed not readable: %s" seed)
      (capture-test-check (assoc '(capture-mode :language-id "capture") eglot-server-programs)
                          "capture-mode not in eglot-server-programs")
      (capture-test--say "  # %s, eglot from %s" (replace-regexp-in-string "\n" " " (emacs-version))
                        (locate-library "eglot")))

    (capture-test-step "detection: the shared samples (editors/test-data/detect-samples.json)"
      (let* ((json-array-type 'list) (json-object-type 'plist)
             (data (json-read-file (getenv "CAPTURE_SAMPLES")))
             (wrong (cl-loop for s in (plist-get data :samples)
                             unless (eq (and (capture-lines-p (plist-get s :lines)) t)
                                        (not (eq (plist-get s :capture) :json-false)))
                             collect (plist-get s :name))))
        (capture-test-check (> (length (plist-get data :samples)) 10) "samples loaded")
        (capture-test-check (null wrong) "wrong answers for: %s" (string-join wrong ", "))))

    ;; How a user points capture-mode at a binary not on PATH.
    (setq capture-server-command (list server "--stdio"))
    (setenv "CAPTURE_LSP_LOG" "debug")

    (capture-test-step "mode: a copy of the seed named article.md opens in capture-mode by content"
      (let ((file (expand-file-name "article.md" tmp)))
        (copy-file seed file t)
        ;; The seed beside the checkout is read-only; the copy must be editable.
        (set-file-modes file #o644)
        (setq capture-test--buf (find-file-noselect file))
        (set-buffer capture-test--buf)
        (capture-test-check (eq major-mode 'capture-mode) "major mode %s" major-mode)
        (capture-test-check (equal comment-start "<!-- ") "comment-start %S" comment-start)))

    (capture-test-step "mode: a plain .md stays out of capture-mode, *.capture is capture-mode"
      (let ((md (expand-file-name "notes.md" tmp))
            (cap (expand-file-name "other.capture" tmp)))
        (with-temp-file md (insert "# Notes\n\n[a link](https://example.com)\n\n------\n"))
        (with-temp-file cap (insert "anything\n"))
        (with-current-buffer (find-file-noselect md)
          (capture-test-check (not (eq major-mode 'capture-mode)) "notes.md in %s" major-mode)
          (kill-buffer))
        (with-current-buffer (find-file-noselect cap)
          (capture-test-check (eq major-mode 'capture-mode) "other.capture in %s" major-mode)
          (kill-buffer))
        (let ((capture-detect-by-content nil))
          (with-current-buffer (find-file-noselect (expand-file-name "article.md" tmp) nil nil)
            ;; Same buffer as before: check the predicate instead of re-visiting.
            (capture-test-check (not (capture-magic-mode-p)) "detection not turned off")))))

    (capture-test-step "eglot: the server attaches"
      (set-buffer capture-test--buf)
      (apply #'eglot--connect (eglot--guess-contact))
      (setq capture-test--server
            (capture-test-wait "eglot to connect" (lambda () (with-current-buffer capture-test--buf (eglot-current-server)))))
      (capture-test-wait "eglot to manage the buffer" (lambda () (with-current-buffer capture-test--buf eglot--managed-mode)))
      (capture-test-check (equal (eglot--language-id capture-test--server) "capture") "language id %s"
                          (eglot--language-id capture-test--server))
      (capture-test--say "  # server info: %S" (plist-get (eglot--server-info capture-test--server) :name)))

    (capture-test-step "diagnostics: arrive in flymake, flagging the empty embeds and the relative time"
      (set-buffer capture-test--buf)
      (capture-test-check capture-test--server "no server")
      (capture-test-wait "flymake diagnostics" (lambda () (with-current-buffer capture-test--buf (capture-test--diags))))
      (let ((twitter nil) (instagram nil) (relative nil))
        (dolist (d (capture-test--diags))
          (let ((text (capture-test--diag-text d)) (msg (flymake-diagnostic-text d)))
            (when (or (string-match-p "twitter-embed" text) (string-match-p "[Tt]witter\\|[Tt]weet" msg)) (setq twitter t))
            (when (or (string-match-p "instagram-embed" text) (string-match-p "[Ii]nstagram" msg)) (setq instagram t))
            (when (or (string-match-p capture-test-relative text) (string-match-p capture-test-relative msg))
              (setq relative t capture-test--relative-code msg))))
        (capture-test--say "  # %d diagnostics" (length (capture-test--diags)))
        (capture-test-check twitter "empty Twitter placeholder flagged")
        (capture-test-check instagram "empty Instagram placeholder flagged")
        (capture-test-check relative "relative time flagged")))

    (capture-test-step "outline: documentSymbol's root is the title; imenu (via eglot) lists it"
      (set-buffer capture-test--buf)
      (capture-test-check capture-test--server "no server")
      (let* ((symbols (jsonrpc-request capture-test--server :textDocument/documentSymbol
                                      `(:textDocument ,(eglot--TextDocumentIdentifier))))
             (root (and (> (length symbols) 0) (aref symbols 0))))
        (capture-test-check root "no symbols")
        (capture-test-check (equal (plist-get root :name) capture-test-title) "root symbol %s" (plist-get root :name))
        (let ((index (funcall imenu-create-index-function)))
          (capture-test-check (string-match-p (regexp-quote capture-test-title) (format "%S" index))
                              "title not in imenu index: %S" index))))

    (capture-test-step "hover: on the first <img> shows the credit"
      (set-buffer capture-test--buf)
      (capture-test-check capture-test--server "no server")
      (goto-char (point-min))
      (capture-test-check (search-forward "<img" nil t) "<img not found")
      (backward-char 3)
      (let* ((hover (jsonrpc-request capture-test--server :textDocument/hover (eglot--TextDocumentPositionParams)))
             (text (and hover (capture-test--hover-text (plist-get hover :contents)))))
        (capture-test-check text "no hover")
        (capture-test-check (string-match-p "KREMLIN POOL/SPUTNIK/EPA" text) "credit not in hover: %s" text))
      ;; The same through eldoc, as a user sees it.
      (when (fboundp 'eglot-hover-eldoc-function)
        (let ((got nil))
          (set-window-buffer (selected-window) capture-test--buf) ; eglot answers only shown buffers
          (eglot-hover-eldoc-function (lambda (doc &rest _) (setq got (or doc ""))))
          (capture-test-wait "eldoc hover" (lambda () got))
          (capture-test-check (string-match-p "KREMLIN POOL/SPUTNIK/EPA" got) "eldoc shows: %s" got))))

    (capture-test-step "codeAction: the quick fix links the empty Twitter placeholder"
      (set-buffer capture-test--buf)
      (capture-test-check capture-test--server "no server")
      (goto-char (point-min))
      (capture-test-check (search-forward "data-e2e=\"twitter-embed-" nil t) "placeholder not found")
      ;; What M-x eglot-code-actions does (with the flymake diagnostics at point), minus the menu.
      (let* ((actions (eglot-code-actions (point) (point)))
             (fix (cl-find-if (lambda (a) (and (equal (plist-get a :kind) "quickfix")
                                               (string-match-p (regexp-quote capture-test-tweet)
                                                               (format "%S" (plist-get a :edit)))))
                              actions)))
        (capture-test--say "  # actions offered: %s"
                          (mapconcat (lambda (a) (format "%s [%s]" (plist-get a :title) (plist-get a :kind))) actions " | "))
        (capture-test-check fix "no action whose edit links the tweet")
        (eglot--apply-workspace-edit (plist-get fix :edit))
        (goto-char (point-min))
        (capture-test-check (search-forward (concat "href=\"" capture-test-tweet) nil t) "edit not applied")))

    (capture-test-step "edit: replacing the relative time updates the diagnostics"
      (set-buffer capture-test--buf)
      (capture-test-check capture-test--relative-code "no relative-time diagnostic was seen before the edit")
      (goto-char (point-min))
      (capture-test-check (search-forward capture-test-relative nil t) "relative time not found")
      (replace-match "2023年3月21日" t t)
      (capture-test-wait "diagnostics without the relative time (Instagram still flagged)"
                         (lambda ()
                           (with-current-buffer capture-test--buf
                             (let ((ds (capture-test--diags)))
                               (and (cl-some (lambda (d) (or (string-match-p "instagram-embed" (capture-test--diag-text d))
                                                             (string-match-p "[Ii]nstagram" (flymake-diagnostic-text d))))
                                             ds)
                                    (not (cl-some (lambda (d) (equal (flymake-diagnostic-text d) capture-test--relative-code)) ds))))))))

    (capture-test-step "shutdown: the server stops"
      (capture-test-check capture-test--server "no server")
      (let ((proc (jsonrpc--process capture-test--server)))
        (eglot-shutdown capture-test--server nil 5)
        (capture-test-wait "the server process to exit" (lambda () (not (process-live-p proc))))))))

(condition-case err
    (capture-test-main)
  (error
   (setq capture-test--failed (1+ capture-test--failed))
   (capture-test--say "not ok - test script error: %s" (error-message-string err))))

(when (and (> capture-test--failed 0) capture-test--server)
  (ignore-errors
    (with-current-buffer (jsonrpc-stderr-buffer capture-test--server)
      (capture-test--say "# server stderr (tail):")
      (let ((lines (last (split-string (buffer-string) "\n") 20)))
        (dolist (l lines) (capture-test--say "#   %s" (truncate-string-to-width l 300)))))))

(capture-test--say "emacs: %d passed, %d failed" capture-test--passed capture-test--failed)
(kill-emacs (if (> capture-test--failed 0) 1 0))

;;; capture-test.el ends here
