//! Diagnostics and code actions over the protocol: lint results and fixes from
//! [`crate::ide::diagnostics`] and [`crate::ide::fixes`] converted to LSP types, pull
//! diagnostic reports, and reading the `capture-lsp` settings section from the client.

use std::collections::HashMap;

use serde_json::Value;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types as lsp;

use crate::ide::Analysis;
use crate::ide::config::{Config, SECTION};
use crate::ide::diagnostics;
use crate::ide::fixes::{self, Fix, FixKind};
use crate::lsp::convert;
use crate::text::{Encoding, LineIndex, TextRange};

/// The `source.fixAll` kind of this server.
pub const FIX_ALL_KIND: &str = "source.fixAll.capture-lsp";

/// LSP diagnostics for a document under `config`.
pub fn lsp_diagnostics(
    index: &LineIndex,
    analysis: &Analysis,
    config: &Config,
    enc: Encoding,
) -> Vec<lsp::Diagnostic> {
    diagnostics::check(analysis, config)
        .iter()
        .map(|d| convert::diagnostic(index, d, enc))
        .collect()
}

/// A full pull-diagnostics report; `Unchanged` when the client already has `result_id`.
pub fn pull_report(
    index: &LineIndex,
    analysis: &Analysis,
    config: &Config,
    enc: Encoding,
    result_id: String,
    previous: Option<&str>,
) -> lsp::DocumentDiagnosticReportResult {
    let report = if previous == Some(result_id.as_str()) {
        lsp::DocumentDiagnosticReport::Unchanged(lsp::RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: lsp::UnchangedDocumentDiagnosticReport {
                result_id,
            },
        })
    } else {
        lsp::DocumentDiagnosticReport::Full(lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items: lsp_diagnostics(index, analysis, config, enc),
            },
        })
    };
    lsp::DocumentDiagnosticReportResult::Report(report)
}

fn workspace_edit(
    uri: &lsp::Uri,
    index: &LineIndex,
    edits: &[(TextRange, String)],
    enc: Encoding,
) -> lsp::WorkspaceEdit {
    let text_edits = edits
        .iter()
        .map(|(r, new)| lsp::TextEdit {
            range: convert::range(index, *r, enc),
            new_text: new.clone(),
        })
        .collect();
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), text_edits)])),
        ..Default::default()
    }
}

fn wants(only: Option<&[lsp::CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        })
    })
}

/// Code actions for a range, recomputed from the analysed snapshot: the fixes of the
/// findings there, "suppress" fixes, and `source.fixAll.capture-lsp` for the safe ones.
pub fn code_actions(
    uri: &lsp::Uri,
    index: &LineIndex,
    analysis: &Analysis,
    config: &Config,
    range: lsp::Range,
    only: Option<&[lsp::CodeActionKind]>,
    enc: Encoding,
) -> Vec<lsp::CodeActionOrCommand> {
    let diags = diagnostics::check(analysis, config);
    let mut out = Vec::new();
    if wants(only, "quickfix") {
        let at = convert::text_range(index, range, enc);
        let fixes = fixes::fixes_at(&diags, analysis, at);
        let mut preferred_given = false;
        for fix in fixes {
            let related: Vec<lsp::Diagnostic> = diags
                .iter()
                .filter(|d| {
                    d.code == fix.code && d.range.start <= at.end && at.start <= d.range.end
                })
                .filter(|d| d.fixes.contains(&fix) || fix.title.starts_with("Suppress"))
                .take(1)
                .map(|d| convert::diagnostic(index, d, enc))
                .collect();
            let preferred = fix.safe && !preferred_given;
            preferred_given |= preferred;
            out.push(action(uri, index, &fix, related, preferred, enc));
        }
    }
    if wants(only, FIX_ALL_KIND)
        && let Some(all) = fixes::fix_all(&diags)
    {
        out.push(action(uri, index, &all, Vec::new(), false, enc));
    }
    out
}

pub(crate) fn action(
    uri: &lsp::Uri,
    index: &LineIndex,
    fix: &Fix,
    diagnostics: Vec<lsp::Diagnostic>,
    preferred: bool,
    enc: Encoding,
) -> lsp::CodeActionOrCommand {
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: fix.title.clone(),
        kind: Some(match fix.kind {
            FixKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
            FixKind::FixAll => lsp::CodeActionKind::new(FIX_ALL_KIND),
        }),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(workspace_edit(uri, index, &fix.edits, enc)),
        is_preferred: preferred.then_some(true),
        ..Default::default()
    })
}

/// Ask the client for the `capture-lsp` section. `Null` when it cannot answer.
pub async fn fetch_section(client: &Client) -> Value {
    let items = vec![lsp::ConfigurationItem {
        scope_uri: None,
        section: Some(SECTION.to_string()),
    }];
    match client.configuration(items).await {
        Ok(mut values) if !values.is_empty() => values.swap_remove(0),
        Ok(_) => Value::Null,
        Err(e) => {
            tracing::warn!("workspace/configuration failed: {e}");
            Value::Null
        }
    }
}

/// Report settings problems to the user (once per distinct set).
pub async fn report_problems(client: &Client, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    for p in problems {
        tracing::warn!("settings: {p}");
    }
    client
        .show_message(
            lsp::MessageType::WARNING,
            format!("capture-lsp settings: {}", problems.join("; ")),
        )
        .await;
}
