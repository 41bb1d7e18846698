//! URL handling for captures: resolving hrefs against the source URL, undoing image/link proxies, normalising URLs into "same article" keys, host/file-name helpers and `srcset` parsing.
//!
//! Everything here is pure string work: no IO, no clock. Every function accepts arbitrary
//! input (attribute values straight out of real-world HTML) and never panics. All scans are
//! linear in the input length.
//!
//! Conventions:
//! * Inputs are cleaned first: surrounding whitespace (ASCII, NBSP, ideographic space),
//!   zero-width characters and embedded line breaks/tabs are removed, and the few HTML
//!   entities that occur in raw attribute values (`&amp;`, `&#38;`, `&quot;`, …) are decoded.
//! * URLs returned as [`Resolved::Absolute`] and by [`deproxy`] are in the canonical,
//!   percent-encoded form produced by the `url` crate (suitable as a link target);
//!   [`display`] turns one back into readable text.
//! * [`normalize_for_index`] produces a *key*, not a URL to visit: https, lowercase host,
//!   decoded UTF-8, no fragment, no trailing slash, no tracking parameters.

use std::borrow::Cow;

use url::Url;

use crate::text::TextRange;

/// The result of resolving an `href`/`src` value against the capture's source URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// An absolute URL (canonical, percent-encoded form). A value that has a scheme but
    /// that the URL parser rejects is returned here as cleaned text.
    Absolute(String),
    /// A link into the same document: the fragment id, percent-decoded (`"#sec"` → `"sec"`).
    /// Also returned for a link whose resolved URL is the base URL plus a fragment.
    Fragment(String),
    /// A relative reference that could not be resolved because there is no usable base.
    Relative { href: String },
    /// A non-navigational scheme: `mailto:`, `javascript:`, `data:`, `tel:`, … (cleaned text).
    Special(String),
    /// Nothing left after cleaning.
    Empty,
}

/// Schemes that do not name a fetchable document.
const SPECIAL_SCHEMES: &[&str] = &[
    "mailto",
    "javascript",
    "data",
    "tel",
    "sms",
    "about",
    "blob",
    "callto",
    "geo",
    "fax",
    "vbscript",
];

/// Resolves `href` against `base` (the capture's source URL). Never panics.
///
/// * `#sec` → [`Resolved::Fragment`]`("sec")`
/// * `https://…`, `http://…` → [`Resolved::Absolute`]
/// * `//host/x` → absolute with the base's scheme, or `https` without a base
/// * `/path`, `../x`, `x.html`, `?q` → absolute against `base`, else [`Resolved::Relative`]
/// * `mailto:`, `javascript:`, `data:`, `tel:` … → [`Resolved::Special`]
///
/// The base may be messy: doubled slashes in its path (`http://www.rfi.fr//cn/…`) are
/// collapsed, embedded line breaks are dropped, percent-encoded and raw UTF-8 paths both work.
pub fn resolve(base: Option<&str>, href: &str) -> Resolved {
    let href = clean(href);
    if href.is_empty() {
        return Resolved::Empty;
    }
    if let Some(fragment) = href.strip_prefix('#') {
        return Resolved::Fragment(decode_fragment(fragment));
    }
    if let Some(scheme) = scheme_of(&href) {
        let scheme = scheme.to_ascii_lowercase();
        if SPECIAL_SCHEMES.contains(&scheme.as_str()) {
            return Resolved::Special(href);
        }
        return match Url::parse(&href) {
            Ok(url) => same_document(base, url),
            Err(_) => Resolved::Absolute(href),
        };
    }
    let base_url = base.and_then(parse_base);
    if href.starts_with("//") {
        let scheme = base_url.as_ref().map_or("https", |b| b.scheme());
        return match Url::parse(&format!("{scheme}:{href}")) {
            Ok(url) => Resolved::Absolute(url.into()),
            Err(_) => Resolved::Relative { href },
        };
    }
    match base_url {
        Some(b) => match b.join(&href) {
            Ok(url) => same_document(base, url),
            Err(_) => Resolved::Relative { href },
        },
        None => Resolved::Relative { href },
    }
}

/// Turns an absolute URL that only adds a fragment to the base into [`Resolved::Fragment`].
fn same_document(base: Option<&str>, url: Url) -> Resolved {
    if let (Some(fragment), Some(base)) = (url.fragment(), base.and_then(parse_base)) {
        let mut without = url.clone();
        without.set_fragment(None);
        let mut base = base;
        base.set_fragment(None);
        if without == base {
            return Resolved::Fragment(decode_fragment(fragment));
        }
    }
    Resolved::Absolute(url.into())
}

fn decode_fragment(fragment: &str) -> String {
    match percent_decode_utf8(fragment) {
        Some(decoded) => decoded,
        None => fragment.to_string(),
    }
}

/// Parses a capture's source URL for use as a base: cleans it, collapses doubled slashes in
/// the path, and adds `https://` to a scheme-less `host.tld/…`. Only hierarchical URLs
/// (http, https, …) can serve as a base.
fn parse_base(base: &str) -> Option<Url> {
    let base = clean(base);
    if base.is_empty() {
        return None;
    }
    let with_scheme: Cow<'_, str> = if scheme_of(&base).is_some() {
        Cow::Borrowed(&base)
    } else if let Some(rest) = base.strip_prefix("//") {
        Cow::Owned(format!("https://{rest}"))
    } else if looks_like_host_path(&base) {
        Cow::Owned(format!("https://{base}"))
    } else {
        return None;
    };
    let url = Url::parse(&collapse_path_slashes(&with_scheme)).ok()?;
    if url.cannot_be_a_base() {
        return None;
    }
    Some(url)
}

/// Returns the original URL behind an image or link proxy, or `None` when `url` is not a
/// (recognised) proxy URL or the inner URL cannot be recovered.
///
/// Recognised (see `PROXIES`):
/// * `images.weserv.nl/?url=…`, `images.weserv.nl?url=…`, `wsrv.nl/?url=…` (inner URL
///   usually without scheme → `https://`; `ssl:` prefix; percent-encoded inner; other
///   parameters such as `&w=` dropped) — the proxy used by the feed pipeline
/// * Thumbor `…/unsafe/[options/]<url>` (e.g. `thumbor.ftacademy.cn/unsafe/1200x754/https://…`)
/// * WordPress Photon `i0.wp.com/host/path` (`i0`–`i3`), `cdn.statically.io/img/host/path`
/// * Google `www.google.com/url?q=…`, `/imgres?imgurl=…`, `…googleusercontent.com/gadgets/proxy?url=…`
/// * Facebook link shim `l.facebook.com/l.php?u=…`, DuckDuckGo `external-content.duckduckgo.com/iu/?u=…`
/// * Embedly `cdn.embedly.com/widgets/media.html?url=…` (the embedded page)
/// * GitHub camo `camo.githubusercontent.com/<digest>/<hex url>`
///
/// Nested proxies are unwrapped (a few levels). Share buttons (`del.icio.us/post?url=`,
/// `addtoany.com/…?linkurl=`), shorteners (`t.co`) and archives (`web.archive.org`) are
/// not proxies and return `None`.
///
/// Results are memoised (see [`DeproxyMemo`]): the outline and the diagnostics of every
/// version look up the same image URLs again.
pub fn deproxy(url: &str) -> Option<String> {
    DeproxyMemo::get(url, deproxy_uncached)
}

/// A bounded memo of [`deproxy`], a pure function of its input: up to [`DeproxyMemo::CAP`]
/// URLs of at most [`DeproxyMemo::MAX_LEN`] bytes (a `data:` URI is not worth keeping),
/// forgotten all at once when full.
struct DeproxyMemo;

impl DeproxyMemo {
    const CAP: usize = 4096;
    const MAX_LEN: usize = 1024;

    fn get(url: &str, compute: fn(&str) -> Option<String>) -> Option<String> {
        type Map = std::collections::HashMap<Box<str>, Option<String>>;
        static MEMO: std::sync::Mutex<Option<Map>> = std::sync::Mutex::new(None);
        if url.len() > Self::MAX_LEN {
            return compute(url);
        }
        let lock = || MEMO.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = lock().as_ref().and_then(|m| m.get(url)) {
            return hit.clone();
        }
        let out = compute(url);
        let mut memo = lock();
        let map = memo.get_or_insert_with(Map::default);
        if map.len() >= Self::CAP {
            map.clear();
        }
        map.insert(url.into(), out.clone());
        out
    }
}

fn deproxy_uncached(url: &str) -> Option<String> {
    let mut current = deproxy_once(url)?;
    for _ in 0..3 {
        match deproxy_once(&current) {
            Some(inner) if inner != current => current = inner,
            _ => break,
        }
    }
    Some(current)
}

/// How a proxy carries the original URL.
#[derive(Clone, Copy, Debug)]
enum ProxyKind {
    /// In a query parameter (first listed name that is present wins).
    Query(&'static [&'static str]),
    /// The path (after a fixed prefix) is `host/path`.
    HostInPath(&'static str),
    /// GitHub camo: `/<digest>/<hex-encoded url>` or `?url=`.
    Camo,
}

/// Host matcher: `"*.example.com"` matches subdomains (and `example.com` itself), otherwise exact.
/// The path prefix must match the start of the path (`""` matches any path).
const PROXIES: &[(&str, &str, ProxyKind)] = &[
    ("*.weserv.nl", "", ProxyKind::Query(&["url"])),
    ("wsrv.nl", "", ProxyKind::Query(&["url"])),
    ("i0.wp.com", "/", ProxyKind::HostInPath("/")),
    ("i1.wp.com", "/", ProxyKind::HostInPath("/")),
    ("i2.wp.com", "/", ProxyKind::HostInPath("/")),
    ("i3.wp.com", "/", ProxyKind::HostInPath("/")),
    ("cdn.statically.io", "/img/", ProxyKind::HostInPath("/img/")),
    ("www.google.com", "/url", ProxyKind::Query(&["q", "url"])),
    ("google.com", "/url", ProxyKind::Query(&["q", "url"])),
    ("www.google.com", "/imgres", ProxyKind::Query(&["imgurl"])),
    (
        "*.googleusercontent.com",
        "/gadgets/proxy",
        ProxyKind::Query(&["url"]),
    ),
    ("l.facebook.com", "/l.php", ProxyKind::Query(&["u"])),
    ("lm.facebook.com", "/l.php", ProxyKind::Query(&["u"])),
    (
        "external-content.duckduckgo.com",
        "/iu",
        ProxyKind::Query(&["u"]),
    ),
    ("proxy.duckduckgo.com", "/iu", ProxyKind::Query(&["u"])),
    (
        "cdn.embedly.com",
        "/widgets/media.html",
        ProxyKind::Query(&["url", "src"]),
    ),
    ("camo.githubusercontent.com", "/", ProxyKind::Camo),
];

fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            host == suffix
                || (host.len() > suffix.len()
                    && host.ends_with(suffix)
                    && host.as_bytes()[host.len() - suffix.len() - 1] == b'.')
        }
        None => host == pattern,
    }
}

fn deproxy_once(url: &str) -> Option<String> {
    let mut cleaned = clean(url);
    if cleaned.starts_with("//") {
        cleaned.insert_str(0, "https:");
    }
    let parts = RawParts::split(&cleaned)?;
    let host = parts.host.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    for &(pattern, prefix, kind) in PROXIES {
        if !host_matches(pattern, host) || !parts.path.starts_with(prefix) {
            continue;
        }
        let inner = match kind {
            ProxyKind::Query(names) => names
                .iter()
                .find_map(|name| query_param(parts.query, name))
                .and_then(|v| percent_decode_utf8(&v).or(Some(v))),
            ProxyKind::HostInPath(prefix) => parts
                .path
                .strip_prefix(prefix)
                .filter(|rest| looks_like_host_path(rest))
                .map(str::to_string),
            ProxyKind::Camo => camo_inner(parts.path, parts.query),
        };
        if let Some(absolute) = inner.as_deref().and_then(absolutize_inner) {
            return Some(absolute);
        }
    }
    // Thumbor (`/unsafe/<options>/<url>` or `/<signature>/<options>/<url>`) is recognised
    // by shape, on any host.
    let thumbor_host = host.contains("thumbor");
    if thumbor_host || parts.path.starts_with("/unsafe/") {
        let rest = &cleaned[parts.path_start..];
        return thumbor_inner(rest, thumbor_host).and_then(|s| absolutize_inner(&s));
    }
    None
}

/// The inner image of a Thumbor URL; `path_and_more` starts at the path's `/`.
fn thumbor_inner(path_and_more: &str, signed_allowed: bool) -> Option<String> {
    let mut rest = path_and_more.strip_prefix('/')?;
    let (first, after) = rest.split_once('/')?;
    let is_signature = signed_allowed
        && first.len() >= 27
        && first
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=');
    if first != "unsafe" && !is_signature {
        return None;
    }
    rest = after;
    let mut skipped_option = false;
    while let Some((segment, after)) = rest.split_once('/') {
        if !is_thumbor_option(segment) {
            break;
        }
        skipped_option = true;
        rest = after;
    }
    // `/unsafe/picture/…` on the thumbor host itself is the origin store, not a proxy.
    if scheme_of(rest).is_none() && !skipped_option && !looks_like_host_path(rest) {
        return None;
    }
    Some(rest.to_string())
}

fn is_thumbor_option(segment: &str) -> bool {
    const WORDS: &[&str] = &[
        "trim",
        "meta",
        "fit-in",
        "full-fit-in",
        "adaptive-fit-in",
        "adaptive-full-fit-in",
        "left",
        "right",
        "center",
        "top",
        "middle",
        "bottom",
        "smart",
    ];
    if WORDS.contains(&segment) || segment.starts_with("trim:") || segment.starts_with("filters:") {
        return true;
    }
    // `300x200`, `-300x`, `x754`, crop `10x20:300x400`.
    let is_size = |s: &str| -> bool {
        let Some((w, h)) = s.split_once('x') else {
            return false;
        };
        let num = |n: &str| {
            let n = n.strip_prefix('-').unwrap_or(n);
            n.bytes().all(|b| b.is_ascii_digit())
        };
        !(w.is_empty() && h.is_empty()) && num(w) && num(h)
    };
    match segment.split_once(':') {
        Some((a, b)) => is_size(a) && is_size(b),
        None => is_size(segment),
    }
}

fn camo_inner(path: &str, query: Option<&str>) -> Option<String> {
    if let Some(v) = query_param(query, "url") {
        return percent_decode_utf8(&v).or(Some(v));
    }
    let mut segments = path.trim_start_matches('/').split('/');
    let _digest = segments.next()?;
    let hex = segments.next()?;
    if hex.is_empty() || hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> = hex
        .as_bytes()
        .chunks(2)
        .map(|pair| Some(hex_val(pair[0])? * 16 + hex_val(pair[1])?))
        .collect();
    String::from_utf8(bytes?).ok()
}

/// Makes a proxy's inner URL absolute: `ssl:` prefix and `//` → https, a bare
/// `host.tld/path` → `https://host.tld/path`; `http:/x` (slash collapsed by a proxy) is
/// repaired. Only http(s) results are accepted.
fn absolutize_inner(inner: &str) -> Option<String> {
    let inner = clean(inner);
    let candidate = if let Some(rest) = inner.strip_prefix("ssl:") {
        format!("https://{}", rest.trim_start_matches('/'))
    } else if let Some(rest) = inner.strip_prefix("//") {
        format!("https://{rest}")
    } else if let Some(scheme) = scheme_of(&inner) {
        let lower = scheme.to_ascii_lowercase();
        if lower != "http" && lower != "https" {
            return None;
        }
        let rest = inner[scheme.len() + 1..].trim_start_matches('/');
        format!("{lower}://{rest}")
    } else if looks_like_host_path(&inner) {
        format!("https://{inner}")
    } else {
        return None;
    };
    let url = Url::parse(&candidate).ok()?;
    url.host_str()?;
    Some(url.into())
}

/// A key under which two URLs of the same article compare equal. `None` when `url` is not
/// an http(s) URL.
///
/// Applied: `https` for `http`; lowercase host (a `www.` stays); default port and user info
/// dropped; doubled slashes in the path collapsed; trailing slash stripped; percent-encoding
/// decoded where it spells unreserved ASCII or UTF-8 text (reserved characters, controls,
/// spaces and non-UTF-8 byte runs stay encoded, with uppercase hex); fragment dropped;
/// tracking parameters (`utm_*`, `fbclid`, `gclid`, BBC `at_*`/`ns_*`, Medium
/// `source=rss…`, …) dropped, other query parameters kept in order.
pub fn normalize_for_index(url: &str) -> Option<String> {
    let cleaned = clean(url);
    let cleaned: Cow<'_, str> = match cleaned.strip_prefix("//") {
        Some(rest) => Cow::Owned(format!("https://{rest}")),
        None => Cow::Owned(cleaned),
    };
    let scheme = scheme_of(&cleaned)?.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let parsed = Url::parse(&collapse_path_slashes(&cleaned)).ok()?;
    let host = parsed
        .host_str()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let mut key = format!("https://{host}");
    if let Some(port) = parsed.port()
        && port != 443
        && port != 80
    {
        key.push(':');
        key.push_str(&port.to_string());
    }
    let path = collapse_slashes(&normalize_percent(parsed.path(), PATH_KEEP));
    key.push_str(path.trim_end_matches('/'));
    if let Some(query) = parsed.query() {
        let kept: Vec<String> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !is_tracking_param(pair))
            .map(|pair| normalize_percent(pair, QUERY_KEEP))
            .collect();
        if !kept.is_empty() {
            key.push('?');
            key.push_str(&kept.join("&"));
        }
    }
    Some(key)
}

fn is_tracking_param(pair: &str) -> bool {
    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
    let name = name.to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "ocid",
        "cmpid",
        "_ga",
        "yclid",
        "spm",
        "share_token",
    ];
    const PREFIXES: &[&str] = &["utm_", "at_", "ns_"];
    EXACT.contains(&name.as_str())
        || PREFIXES.iter().any(|p| name.starts_with(p))
        || (name == "source" && value.to_ascii_lowercase().starts_with("rss"))
}

/// The lowercase host of an absolute (or protocol-relative) URL.
pub fn host(url: &str) -> Option<String> {
    let cleaned = clean(url);
    let parsed = match cleaned.strip_prefix("//") {
        Some(rest) => Url::parse(&format!("https://{rest}")).ok()?,
        None => Url::parse(&cleaned).ok()?,
    };
    let host = parsed.host_str()?.trim_end_matches('.');
    if host.is_empty() {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

/// The last non-empty path segment, percent-decoded (`…/%E6%9D%8E.jpg` → `李.jpg`). Works on
/// absolute and relative URLs; query and fragment are ignored. Returns `None` for a bare
/// host. For a proxied URL call [`deproxy`] first.
pub fn file_name(url: &str) -> Option<String> {
    let cleaned = clean(url);
    let without_fragment = cleaned.split('#').next().unwrap_or("");
    let path = without_fragment.split('?').next().unwrap_or("");
    let path = match RawParts::split(path) {
        Some(parts) => parts.path,
        None if path.starts_with("//") => path[2..].split_once('/').map_or("", |(_, p)| p),
        None => path,
    };
    let segment = path.rsplit('/').find(|s| !s.is_empty())?;
    Some(percent_decode_utf8(segment).unwrap_or_else(|| segment.to_string()))
}

/// One candidate of a `srcset` attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SrcsetCandidate {
    /// The URL exactly as written.
    pub url: String,
    /// The descriptor (`"640w"`, `"2x"`), trimmed; `None` when absent.
    pub descriptor: Option<String>,
    /// Byte range of `url` within the `srcset` value.
    pub range: TextRange,
}

/// Parses a `srcset` value following the HTML algorithm: a URL is a run of non-whitespace
/// (commas inside it are kept, trailing commas end the candidate); descriptors run to the
/// next comma outside parentheses.
pub fn parse_srcset(value: &str) -> Vec<SrcsetCandidate> {
    let bytes = value.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        while i < bytes.len() && !is_space(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        let mut ended_by_comma = false;
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
            ended_by_comma = true;
        }
        let mut descriptor = None;
        if !ended_by_comma {
            let d_start = i;
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'(' => depth += 1,
                    b')' => depth = depth.saturating_sub(1),
                    b',' if depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
            let d = value.get(d_start..i).unwrap_or("").trim();
            if !d.is_empty() {
                descriptor = Some(d.to_string());
            }
        }
        if end > start {
            out.push(SrcsetCandidate {
                url: value.get(start..end).unwrap_or("").to_string(),
                descriptor,
                range: TextRange::new(start, end),
            });
        }
    }
    out
}

/// A readable form of a URL for hovers: percent-encoded UTF-8 in path, query and fragment
/// decoded (reserved characters stay encoded), punctuation untouched.
pub fn display(url: &str) -> String {
    normalize_percent(&clean(url), QUERY_KEEP)
}

// ---------------------------------------------------------------------------------------
// helpers

/// Trims whitespace (incl. NBSP, ideographic space), removes zero-width characters and
/// embedded tabs/line breaks, and decodes the common HTML entities.
fn clean(s: &str) -> String {
    let decoded = decode_entities(s);
    let trimmed = decoded.trim_matches(|c: char| c.is_whitespace() || is_invisible(c));
    trimmed
        .chars()
        .filter(|&c| !matches!(c, '\t' | '\n' | '\r') && !is_invisible(c))
        .collect()
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Decodes `&amp; &lt; &gt; &quot; &apos; &nbsp;` and numeric references; anything else is
/// kept verbatim. Linear.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        // Entities are short: look at most 12 bytes ahead for the `;`.
        let window_end = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = window_end.and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse::<u32>().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The scheme of `s` if it starts with `scheme:` (RFC 3986 syntax, at least 2 chars so a
/// Windows drive letter is not a scheme).
fn scheme_of(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut bytes = scheme.bytes();
    let first = bytes.next()?;
    if scheme.len() < 2
        || !first.is_ascii_alphabetic()
        || !bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return None;
    }
    Some(scheme)
}

/// `host.tld/…` or `host.tld`: the part before the first `/` has a dot, no spaces and only
/// host characters.
fn looks_like_host_path(s: &str) -> bool {
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host_no_port = host.split(':').next().unwrap_or(host);
    host_no_port.contains('.')
        && !host_no_port.starts_with('.')
        && !host_no_port.ends_with('.')
        && host_no_port
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

/// Raw split of `scheme://authority/path?query#fragment` without normalisation.
struct RawParts<'a> {
    host: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    /// Byte offset of `path` in the input.
    path_start: usize,
}

impl<'a> RawParts<'a> {
    fn split(s: &'a str) -> Option<Self> {
        let scheme = scheme_of(s)?;
        let after_scheme = scheme.len() + 1;
        let rest = s.get(after_scheme..)?.strip_prefix("//")?;
        let authority_start = after_scheme + 2;
        let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let host = if host_port.starts_with('[') {
            host_port.split(']').next().map_or(host_port, |h| &h[1..])
        } else {
            host_port.split(':').next().unwrap_or(host_port)
        };
        let path_start = authority_start + authority_len;
        let tail = &s[path_start..];
        let tail = tail.split('#').next().unwrap_or(tail);
        let (path, query) = match tail.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (tail, None),
        };
        Some(RawParts {
            host,
            path,
            query,
            path_start,
        })
    }
}

/// The raw (still percent-encoded) value of the first `name=` parameter; `&amp;` separators
/// were already decoded by [`clean`]. A parameter named without `=` has an empty value.
fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name && !v.is_empty()).then(|| v.to_string())
    })
}

/// Collapses runs of `/` in the path of an absolute URL string (the `//` after the scheme
/// is left alone). Only the path is touched, not query or fragment.
fn collapse_path_slashes(s: &str) -> String {
    let Some(parts) = RawParts::split(s) else {
        return s.to_string();
    };
    let start = parts.path_start;
    let end = start + parts.path.len();
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..start]);
    out.push_str(&collapse_slashes(&s[start..end]));
    out.push_str(&s[end..]);
    out
}

fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut prev_slash = false;
    for c in path.chars() {
        if c == '/' {
            if !prev_slash {
                out.push(c);
            }
            prev_slash = true;
        } else {
            out.push(c);
            prev_slash = false;
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes every `%XX`; `None` if the result is not valid UTF-8 (or nothing was encoded
/// and the input is returned as is, which is always valid).
fn percent_decode_utf8(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex_val(bytes[i + 1]), hex_val(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Characters that must stay percent-encoded in a normalised path: reserved delimiters
/// whose meaning would change if decoded.
const PATH_KEEP: &[u8] = b"/?#[]@%";
/// In a query component `&`, `=`, `+` and `;` also keep their encoding.
const QUERY_KEEP: &[u8] = b"/?#[]@%&=+;";

/// Decodes runs of `%XX` that spell valid UTF-8, except ASCII controls, space and the bytes
/// in `keep`, which are re-emitted encoded with uppercase hex. Runs that are not valid
/// UTF-8 (e.g. GBK) are kept encoded with uppercase hex. Linear.
fn normalize_percent(s: &str, keep: &[u8]) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut plain_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        // Collect a maximal run of %XX escapes.
        let run_start = i;
        let mut run = Vec::new();
        while i < bytes.len() && bytes[i] == b'%' {
            match (
                bytes.get(i + 1).copied().and_then(hex_val),
                bytes.get(i + 2).copied().and_then(hex_val),
            ) {
                (Some(h), Some(l)) => {
                    run.push(h * 16 + l);
                    i += 3;
                }
                _ => break,
            }
        }
        if run.is_empty() {
            // A lone `%` not followed by two hex digits: keep it as is.
            i += 1;
            continue;
        }
        out.push_str(&s[plain_start..run_start]);
        plain_start = i;
        push_decoded_run(&mut out, &run, keep);
    }
    out.push_str(&s[plain_start..]);
    out
}

fn push_decoded_run(out: &mut String, run: &[u8], keep: &[u8]) {
    let encode = |out: &mut String, b: u8| {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        out.push('%');
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    };
    let mut rest = run;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                push_text(out, text, keep, &encode);
                break;
            }
            Err(err) => {
                let (valid, after) = rest.split_at(err.valid_up_to());
                if let Ok(text) = std::str::from_utf8(valid) {
                    push_text(out, text, keep, &encode);
                }
                let bad = err.error_len().unwrap_or(after.len()).min(after.len());
                for &b in &after[..bad] {
                    encode(out, b);
                }
                rest = &after[bad..];
            }
        }
    }
}

fn push_text(out: &mut String, text: &str, keep: &[u8], encode: &dyn Fn(&mut String, u8)) {
    for c in text.chars() {
        if c.is_ascii() && (c.is_ascii_control() || c == ' ' || keep.contains(&(c as u8))) {
            encode(out, c as u8);
        } else if c.is_control() || c.is_whitespace() || is_invisible(c) {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                encode(out, b);
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    const BBC: &str = "https://www.bbc.com/zhongwen/simp/chinese-news-65032731";

    fn check_resolve(base: Option<&str>, href: &str, expect: Expect) {
        expect.assert_eq(&format!("{:?}", resolve(base, href)));
    }

    #[test]
    fn resolve_root_relative_against_bbc() {
        check_resolve(
            Some(BBC),
            "/zhongwen/simp/world-64998418",
            expect![[r#"Absolute("https://www.bbc.com/zhongwen/simp/world-64998418")"#]],
        );
    }

    #[test]
    fn resolve_forms() {
        check_resolve(
            Some(BBC),
            "https://example.com/a",
            expect![[r#"Absolute("https://example.com/a")"#]],
        );
        check_resolve(
            Some(BBC),
            "//ichef.bbci.co.uk/news/640/x.jpg",
            expect![[r#"Absolute("https://ichef.bbci.co.uk/news/640/x.jpg")"#]],
        );
        check_resolve(
            Some("http://www.bbc.com/zhongwen/simp/a/b"),
            "//host/x",
            expect![[r#"Absolute("http://host/x")"#]],
        );
        check_resolve(None, "//host/x", expect![[r#"Absolute("https://host/x")"#]]);
        check_resolve(
            Some(BBC),
            "../trad/x",
            expect![[r#"Absolute("https://www.bbc.com/zhongwen/trad/x")"#]],
        );
        check_resolve(
            Some(BBC),
            "other-1",
            expect![[r#"Absolute("https://www.bbc.com/zhongwen/simp/other-1")"#]],
        );
        check_resolve(
            Some(BBC),
            "?page=2",
            expect![[
                r#"Absolute("https://www.bbc.com/zhongwen/simp/chinese-news-65032731?page=2")"#
            ]],
        );
        check_resolve(Some(BBC), "#sec", expect![[r#"Fragment("sec")"#]]);
        check_resolve(None, "#sec", expect![[r#"Fragment("sec")"#]]);
        check_resolve(None, "#", expect![[r#"Fragment("")"#]]);
        check_resolve(
            None,
            "#%E7%AC%AC%E4%B8%80",
            expect![[r#"Fragment("第一")"#]],
        );
        check_resolve(
            Some(BBC),
            "chinese-news-65032731#top",
            expect![[r#"Fragment("top")"#]],
        );
        check_resolve(
            Some(BBC),
            "https://www.bbc.com/zhongwen/simp/chinese-news-65032731#top",
            expect![[r#"Fragment("top")"#]],
        );
        check_resolve(
            None,
            "/zhongwen/simp/world-64998418",
            expect![[r#"Relative { href: "/zhongwen/simp/world-64998418" }"#]],
        );
        check_resolve(
            Some("not a url"),
            "x.html",
            expect![[r#"Relative { href: "x.html" }"#]],
        );
        check_resolve(
            Some(BBC),
            "mailto:a@b.c",
            expect![[r#"Special("mailto:a@b.c")"#]],
        );
        check_resolve(
            Some(BBC),
            "JavaScript:void(0)",
            expect![[r#"Special("JavaScript:void(0)")"#]],
        );
        check_resolve(
            None,
            "data:image/gif;base64,R0lGOD",
            expect![[r#"Special("data:image/gif;base64,R0lGOD")"#]],
        );
        check_resolve(None, "tel:+44", expect![[r#"Special("tel:+44")"#]]);
        check_resolve(Some(BBC), "   ", expect!["Empty"]);
        check_resolve(Some(BBC), "\u{200B}&#32;", expect!["Empty"]);
        check_resolve(Some(BBC), "", expect!["Empty"]);
    }

    #[test]
    fn resolve_cleans_whitespace_and_entities() {
        check_resolve(
            Some(BBC),
            "  \n/x?a=1&amp;b=2\u{A0}",
            expect![[r#"Absolute("https://www.bbc.com/x?a=1&b=2")"#]],
        );
        check_resolve(
            None,
            "https://www.nytimes.com/a\r\n/b",
            expect![[r#"Absolute("https://www.nytimes.com/a/b")"#]],
        );
    }

    #[test]
    fn resolve_messy_bases() {
        // Doubled slashes in the base path (RFI).
        check_resolve(
            Some("http://www.rfi.fr//cn/中国/20200720-x"),
            "20200721-y",
            expect![[r#"Absolute("http://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20200721-y")"#]],
        );
        // Percent-encoded base (DW) and a line break inside it.
        check_resolve(
            Some("https://www.dw.com/zh/%E9%A9%BB%E5%86%B2\n%E7%BB%B3/a-54157512"),
            "/zh/a-1",
            expect![[r#"Absolute("https://www.dw.com/zh/a-1")"#]],
        );
        check_resolve(
            Some("https://www.dw.com/zh/%E9%A9%BB%E5%86%B2\n%E7%BB%B3/a-54157512"),
            "a-2",
            expect![[r#"Absolute("https://www.dw.com/zh/%E9%A9%BB%E5%86%B2%E7%BB%B3/a-2")"#]],
        );
        check_resolve(
            Some("www.bbc.com/zhongwen/simp/x"),
            "/y",
            expect![[r#"Absolute("https://www.bbc.com/y")"#]],
        );
        check_resolve(
            Some("mailto:x@y"),
            "/y",
            expect![[r#"Relative { href: "/y" }"#]],
        );
    }

    #[test]
    fn resolve_unparsable_absolute_is_kept() {
        check_resolve(
            Some(BBC),
            "http://exa mple.com:99999/",
            expect![[r#"Absolute("http://exa mple.com:99999/")"#]],
        );
    }

    fn check_deproxy(url: &str, expect: Expect) {
        expect.assert_eq(&format!("{:?}", deproxy(url)));
    }

    #[test]
    fn deproxy_weserv() {
        check_deproxy(
            "https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/x.jpg",
            expect![[r#"Some("https://ichef.bbci.co.uk/news/640/x.jpg")"#]],
        );
        check_deproxy(
            "https://images.weserv.nl?url=static01.nyt.com/images/2020/a-articleLarge.jpg",
            expect![[r#"Some("https://static01.nyt.com/images/2020/a-articleLarge.jpg")"#]],
        );
        check_deproxy(
            "https://images.weserv.nl/?url=https%3A%2F%2Fexample.com%2Fa%20b.jpg&w=600",
            expect![[r#"Some("https://example.com/a%20b.jpg")"#]],
        );
        check_deproxy(
            "https://images.weserv.nl/?w=300&amp;url=api.dw.com/image/1_303.jpg&amp;h=2",
            expect![[r#"Some("https://api.dw.com/image/1_303.jpg")"#]],
        );
        check_deproxy(
            "https://wsrv.nl/?url=ssl:example.com/x.png",
            expect![[r#"Some("https://example.com/x.png")"#]],
        );
        check_deproxy(
            "//images.weserv.nl/?url=http://example.com/x.png",
            expect![[r#"Some("http://example.com/x.png")"#]],
        );
        check_deproxy("https://images.weserv.nl/?url=", expect![[r#"None"#]]);
        check_deproxy(
            "https://images.weserv.nl/?url=not%20a%20host",
            expect![[r#"None"#]],
        );
    }

    #[test]
    fn deproxy_others() {
        check_deproxy(
            "https://thumbor.ftacademy.cn/unsafe/1200x754/https://thumbor.ftacademy.cn/unsafe/picture/9/000096228_piclink.jpg",
            expect![[
                r#"Some("https://thumbor.ftacademy.cn/unsafe/picture/9/000096228_piclink.jpg")"#
            ]],
        );
        check_deproxy(
            "https://thumbor.ftacademy.cn/unsafe/picture/9/000096228_piclink.jpg",
            expect![[r#"None"#]],
        );
        check_deproxy(
            "https://img.example.org/unsafe/fit-in/300x-200/smart/filters:quality(80)/cdn.example.com/a.jpg",
            expect![[r#"Some("https://cdn.example.com/a.jpg")"#]],
        );
        check_deproxy(
            "https://i0.wp.com/chinadigitaltimes.net/chinese/files/2020/07/a.jpg?resize=300%2C200&ssl=1",
            expect![[r#"Some("https://chinadigitaltimes.net/chinese/files/2020/07/a.jpg")"#]],
        );
        check_deproxy(
            "https://www.google.com/url?sa=t&q=https%3A%2F%2Fwww.rfa.org%2Fx&usg=1",
            expect![[r#"Some("https://www.rfa.org/x")"#]],
        );
        check_deproxy(
            "https://images1-focus-opensocial.googleusercontent.com/gadgets/proxy?container=focus&url=https%3A%2F%2Fa.com%2Fb.jpg",
            expect![[r#"Some("https://a.com/b.jpg")"#]],
        );
        check_deproxy(
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fa.com%2F&h=AT0",
            expect![[r#"Some("https://a.com/")"#]],
        );
        check_deproxy(
            "https://external-content.duckduckgo.com/iu/?u=https%3A%2F%2Fa.com%2Fb.png&f=1",
            expect![[r#"Some("https://a.com/b.png")"#]],
        );
        check_deproxy(
            "https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fbutton.like.co%2Fin%2Fembed%2Fx&amp;url=https%3A%2F%2Fbutton.like.co%2Fx&amp;type=text%2Fhtml",
            expect![[r#"Some("https://button.like.co/x")"#]],
        );
        check_deproxy(
            "https://camo.githubusercontent.com/abc123/68747470733a2f2f612e636f6d2f782e706e67",
            expect![[r#"Some("https://a.com/x.png")"#]],
        );
        check_deproxy(
            "https://cdn.statically.io/img/example.com/a/b.jpg",
            expect![[r#"Some("https://example.com/a/b.jpg")"#]],
        );
        // Nested: weserv around photon.
        check_deproxy(
            "https://images.weserv.nl/?url=i0.wp.com/example.com/a.jpg",
            expect![[r#"Some("https://example.com/a.jpg")"#]],
        );
    }

    #[test]
    fn deproxy_not_proxies() {
        for url in [
            "https://ichef.bbci.co.uk/news/640/x.jpg",
            "http://del.icio.us/post?url=https://chinadigitaltimes.net/x&amp;title=t",
            "https://www.addtoany.com/add_to/twitter?linkurl=https%3A%2F%2Fa.com",
            "https://t.co/abc",
            "https://web.archive.org/web/2020/https://a.com/",
            "https://www.google.com/search?q=https://a.com",
            "",
            "weserv",
            "https://",
            "/unsafe/300x200/a.com/x.jpg",
        ] {
            assert_eq!(deproxy(url), None, "{url}");
        }
    }

    #[test]
    fn deproxy_memo_answers_as_the_function_does() {
        let urls: Vec<String> = (0..DeproxyMemo::CAP + 50)
            .map(|i| format!("https://images.weserv.nl/?url=ssl:a.com/{i}.jpg"))
            .chain([
                "https://a.com/x.jpg".to_string(),
                "x".repeat(DeproxyMemo::MAX_LEN + 1),
            ])
            .collect();
        // Twice over, past the cap (the memo is emptied once on the way).
        for _ in 0..2 {
            for u in &urls {
                assert_eq!(deproxy(u), deproxy_uncached(u), "{u}");
            }
        }
        assert_eq!(deproxy(&urls[7]).as_deref(), Some("https://a.com/7.jpg"));
    }

    fn check_norm(url: &str, expect: Expect) {
        expect.assert_eq(&format!("{:?}", normalize_for_index(url)));
    }

    #[test]
    fn normalize() {
        check_norm(
            "HTTP://WWW.BBC.com/zhongwen/simp/chinese-news-65032731/#x",
            expect![[r#"Some("https://www.bbc.com/zhongwen/simp/chinese-news-65032731")"#]],
        );
        check_norm(
            "http://www.rfi.fr//cn/%e4%b8%ad%E5%9B%BD//20200720-x?utm_source=rss&amp;id=3&fbclid=z",
            expect![[r#"Some("https://www.rfi.fr/cn/中国/20200720-x?id=3")"#]],
        );
        check_norm(
            "https://www.rfi.fr/cn/中国/20200720-x?id=3",
            expect![[r#"Some("https://www.rfi.fr/cn/中国/20200720-x?id=3")"#]],
        );
        check_norm(
            "https://a.com/%7Euser/a%2Fb%20c?q=a%26b&x=%E4%B8%AD+1",
            expect![[r#"Some("https://a.com/~user/a%2Fb%20c?q=a%26b&x=中+1")"#]],
        );
        check_norm(
            "https://a.com/gbk/%D6%D0%CE%C4",
            expect![[r#"Some("https://a.com/gbk/%D6%D0%CE%C4")"#]],
        );
        check_norm("https://A.com/", expect![[r#"Some("https://a.com")"#]]);
        check_norm(
            "https://a.com:8443/x/",
            expect![[r#"Some("https://a.com:8443/x")"#]],
        );
        check_norm(
            "https://www.bbc.com/news?at_medium=RSS&at_campaign=KARANGA",
            expect![[r#"Some("https://www.bbc.com/news")"#]],
        );
        check_norm(
            "https://medium.com/p/x?source=rss-37ea7441b075------2",
            expect![[r#"Some("https://medium.com/p/x")"#]],
        );
        check_norm("//a.com/x", expect![[r#"Some("https://a.com/x")"#]]);
        check_norm("mailto:a@b", expect!["None"]);
        check_norm("/relative", expect!["None"]);
        check_norm("", expect!["None"]);
    }

    #[test]
    fn normalize_equates_variants() {
        let a = normalize_for_index("http://www.dw.com/zh/%E9%BB%8E%E6%99%BA%E8%8B%B1/a-54512585");
        let b = normalize_for_index("https://www.dw.com//zh/黎智英/a-54512585/");
        assert_eq!(a, b);
        assert!(a.is_some());
    }

    #[test]
    fn host_and_file_name() {
        assert_eq!(host(BBC).as_deref(), Some("www.bbc.com"));
        assert_eq!(
            host("//S4.ReutersMedia.net/x").as_deref(),
            Some("s4.reutersmedia.net")
        );
        assert_eq!(host(" https://a.com./x ").as_deref(), Some("a.com"));
        assert_eq!(host("/relative"), None);
        assert_eq!(host("mailto:a@b"), None);
        assert_eq!(host(""), None);

        assert_eq!(
            file_name("https://chinadigitaltimes.net/chinese/files/2020/07/%E6%9D%8E%E6%B3%BD%E5%8E%9A1-14.jpg?x=1#y")
                .as_deref(),
            Some("李泽厚1-14.jpg")
        );
        assert_eq!(
            file_name("https://ichef.bbci.co.uk/news/640/cpsprodpb/0DA1/production/_1_reuters.jpg")
                .as_deref(),
            Some("_1_reuters.jpg")
        );
        assert_eq!(
            file_name("/rfa_resources/graphics/icon.png").as_deref(),
            Some("icon.png")
        );
        assert_eq!(file_name("//host/a/b/").as_deref(), Some("b"));
        assert_eq!(file_name("x.jpg").as_deref(), Some("x.jpg"));
        assert_eq!(file_name("https://a.com/%D6%D0").as_deref(), Some("%D6%D0"));
        assert_eq!(file_name("https://a.com/"), None);
        assert_eq!(file_name("https://a.com"), None);
        assert_eq!(file_name("//a.com"), None);
        assert_eq!(file_name(""), None);
    }

    #[test]
    fn srcset() {
        let value = "https://chinadigitaltimes.net/a-289x300.jpg 289w, https://x/李泽厚1-14.jpg 947w,b.jpg,  c.jpg 2x , d,e.jpg (x, y) 1x,,";
        let got = parse_srcset(value);
        for c in &got {
            assert_eq!(&value[c.range.start..c.range.end], c.url);
        }
        expect![[r#"
            [
                SrcsetCandidate {
                    url: "https://chinadigitaltimes.net/a-289x300.jpg",
                    descriptor: Some(
                        "289w",
                    ),
                    range: TextRange {
                        start: 0,
                        end: 43,
                    },
                },
                SrcsetCandidate {
                    url: "https://x/李泽厚1-14.jpg",
                    descriptor: Some(
                        "947w",
                    ),
                    range: TextRange {
                        start: 50,
                        end: 77,
                    },
                },
                SrcsetCandidate {
                    url: "b.jpg",
                    descriptor: None,
                    range: TextRange {
                        start: 83,
                        end: 88,
                    },
                },
                SrcsetCandidate {
                    url: "c.jpg",
                    descriptor: Some(
                        "2x",
                    ),
                    range: TextRange {
                        start: 91,
                        end: 96,
                    },
                },
                SrcsetCandidate {
                    url: "d,e.jpg",
                    descriptor: Some(
                        "(x, y) 1x",
                    ),
                    range: TextRange {
                        start: 102,
                        end: 109,
                    },
                },
            ]
        "#]]
        .assert_debug_eq(&got);
        assert!(parse_srcset("").is_empty());
        assert!(parse_srcset(" , ,").is_empty());
    }

    #[test]
    fn display_decodes_utf8() {
        assert_eq!(
            display("https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD?a=%26"),
            "https://www.rfi.fr/cn/中国?a=%26"
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a&amp;b&#38;c&#x26;d&bogus;e&"),
            "a&b&c&d&bogus;e&"
        );
        assert_eq!(decode_entities("&#1114112;&#xZZ;"), "&#1114112;&#xZZ;");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let samples = [
            "%",
            "%%",
            "%E4",
            "%E4%B8",
            "%zz",
            "&",
            "&#",
            "&#x;",
            ":",
            "a:",
            "//",
            "///",
            "#",
            "?",
            "http:",
            "http://",
            "http://[::1",
            "https://[",
            "ssl:",
            "é:x",
            "\u{FEFF}",
            "https://images.weserv.nl/?url=%",
            "https://camo.githubusercontent.com/a/zz",
            "https://camo.githubusercontent.com/a/6",
            "https://x.thumbor.org/unsafe/",
            "https://x/unsafe/300x/",
            "https://i0.wp.com/",
            "中文",
            "😀://x",
        ];
        for s in samples {
            for base in [None, Some(BBC), Some(s)] {
                let _ = resolve(base, s);
            }
            let _ = deproxy(s);
            let _ = normalize_for_index(s);
            let _ = host(s);
            let _ = file_name(s);
            let _ = display(s);
            for c in parse_srcset(s) {
                assert!(s.get(c.range.start..c.range.end).is_some());
            }
        }
    }
}
