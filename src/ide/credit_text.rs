//! Image-credit recognition in caption text: markers (`图像来源，`, `Photo:`, `©`, …), bracketed agency credits (`（法新社）`, `(美国之音/Name)`), `REUTERS/Name`, suffix credits (`记者李宗翰摄`), agency normalisation and placeholder detection, all driven by data tables.
//!
//! Pure string work over one text node (or the text of one caption element); no IO. All
//! scans are linear in the text length (times the constant size of the tables) and never
//! panic. Ranges are byte ranges into the text passed in.
//!
//! The tables ([`MARKERS`], [`AGENCIES`], [`SOURCES`], [`PLACEHOLDERS`]) are the built-in
//! defaults of [`CreditRules`]; configuration can add more with [`CreditRules::extend`] or
//! the `with_*` builders.
//!
//! Recognition order in [`find_credit`] (first that applies wins):
//! 1. a prefix marker or `REUTERS/`, whichever occurs first (ties: the longer marker);
//!    the name runs to the end of the text, stopping at a line break, `|`, a sentence end
//!    (`。！？`) or a closing bracket that closes a bracket opened before the marker;
//! 2. a bracketed group at the very end (`…（法新社）`) whose content starts with an agency,
//!    is a known source (`网络图片`, `百度百科`, …) or ends in a credit word
//!    (`摄`, `提供`, `截图`, `资料图片`, …);
//! 3. a suffix credit at the end (`新华社记者李响摄`, `汪忠一提供`);
//! 4. a short text that as a whole is a credit (`Getty Images`, `KREMLIN POOL/SPUTNIK/EPA`,
//!    `Twitter截图`): it names an agency or a known source, or ends in a screenshot/credit word.
//!
//! `视频截图` (video screenshot) and `资料图片` (file photo) are treated as self-describing
//! credits (the whole text is the name), not as markers with an empty name, so they do not
//! trigger the "empty credit" rule; a bare `资料图片` is a placeholder credit.

use crate::text::TextRange;

/// How a credit was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CreditStyle {
    /// A marker followed by the name: `图像来源，Getty`, `图片来源：微博`, `图/网络`, `Photo: RFA`.
    MarkerPrefix,
    /// `© Getty`, `©Reuters`, `(c) AFP`, `Copyright AP`.
    Copyright,
    /// Reuters wire style anywhere in a caption: `… REUTERS/Thomas Peter`.
    ReutersSlash,
    /// A bracketed credit at the end of a caption: `（AFP）`, `(美国之音/李逸华)`, `（记者李宗翰摄）`.
    Parenthesised,
    /// A name followed by a credit word at the end: `新华社记者李响摄`, `汪忠一提供`.
    Suffix,
    /// The whole (short) text is the credit: `Getty Images`, `KREMLIN POOL/SPUTNIK/EPA`.
    Bare,
}

/// A credit marker. `style` is [`CreditStyle::MarkerPrefix`], [`CreditStyle::Copyright`]
/// (the name follows the marker) or [`CreditStyle::Suffix`] (the name precedes it).
///
/// Matching rules derived from the text: ASCII letters match case-insensitively; a marker
/// that starts with a letter and is ASCII or at most three characters long (`摄影`, `图/`,
/// `摄影师`, `Photo:`) must not follow a letter or digit; a prefix marker that ends with a letter
/// (`图片来源`, `Photo by`) must be followed by a separator (space, `：`, `，`, `/`, …) or the
/// end of the text, unless `glued` says the name may follow directly (`取自台湾国防部推特`,
/// `图片来源微博`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub text: String,
    pub style: CreditStyle,
    pub glued: bool,
}

impl Marker {
    pub fn new(text: impl Into<String>, style: CreditStyle) -> Self {
        Self {
            text: text.into(),
            style,
            glued: false,
        }
    }

    /// A marker the name may follow without a separator.
    pub fn glued(text: impl Into<String>, style: CreditStyle) -> Self {
        Self {
            glued: true,
            ..Self::new(text, style)
        }
    }

    fn needs_left_boundary(&self) -> bool {
        let mut chars = self.text.chars();
        match chars.next() {
            Some(first) if first.is_alphanumeric() => {
                self.text.is_ascii() || self.text.chars().count() <= 3
            }
            _ => false,
        }
    }

    fn needs_separator_after(&self) -> bool {
        !self.glued
            && self
                .text
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
    }
}

/// Built-in markers: (text, style). Those in [`GLUED_MARKERS`] may be followed by the name
/// without a separator.
pub const MARKERS: &[(&str, CreditStyle)] = {
    use CreditStyle::{Copyright as C, MarkerPrefix as P, Suffix as S};
    &[
        // Simplified Chinese.
        ("图像来源", P),
        ("图片来源", P),
        ("图片來源", P),
        ("图片版权", P),
        ("图片提供", P),
        ("照片来源", P),
        ("资料来源", P),
        ("图源", P),
        ("来源", P),
        ("图/", P),
        ("图／", P),
        ("摄影", P),
        ("摄影师", P),
        ("取自", P),
        ("版权所有", C),
        ("图片版权所有", C),
        // Traditional Chinese.
        ("圖像來源", P),
        ("圖片來源", P),
        ("圖片来源", P),
        ("圖片版權", P),
        ("圖片提供", P),
        ("照片來源", P),
        ("相片來源", P),
        ("資料來源", P),
        ("圖源", P),
        ("來源", P),
        ("圖/", P),
        ("圖／", P),
        ("攝影", P),
        ("攝影師", P),
        ("版權所有", C),
        ("圖片版權所有", C),
        // English.
        ("Image source", P),
        ("Image:", P),
        ("Images:", P),
        ("Image credit", P),
        ("Photo:", P),
        ("Photos:", P),
        ("Photo by", P),
        ("Photos by", P),
        ("Photo credit", P),
        ("Photo courtesy of", P),
        ("Photograph:", P),
        ("Photograph by", P),
        ("Picture:", P),
        ("Illustration:", P),
        ("Illustration by", P),
        ("Credit:", P),
        ("Credits:", P),
        ("Credit…", P),
        ("Credit...", P),
        ("Source:", P),
        ("Courtesy of", P),
        ("Courtesy:", P),
        // Copyright.
        ("©", C),
        ("&copy;", C),
        ("(c)", C),
        ("Copyright", C),
        // Suffix credits: the name comes before.
        ("摄", S),
        ("攝", S),
        ("摄影", S),
        ("攝影", S),
        ("提供", S),
        ("供图", S),
        ("供圖", S),
    ]
};

/// Built-in markers that need no separator before the name (unambiguous words).
pub const GLUED_MARKERS: &[&str] = &[
    "图像来源",
    "图片来源",
    "图片來源",
    "图片版权",
    "图片提供",
    "照片来源",
    "圖像來源",
    "圖片來源",
    "圖片来源",
    "圖片版權",
    "圖片提供",
    "照片來源",
    "相片來源",
    "取自",
];

/// Built-in agency aliases: (alias, canonical). ASCII aliases of up to three letters
/// (`AP`, `EPA`, `DW`) match case-sensitively, longer ASCII aliases case-insensitively; all
/// ASCII aliases need a non-alphanumeric ASCII character (or a CJK character, or the
/// edge) on both sides. CJK aliases match anywhere.
pub const AGENCIES: &[(&str, &str)] = &[
    ("路透社", "Reuters"),
    ("路透", "Reuters"),
    ("Reuters", "Reuters"),
    ("法新社", "AFP"),
    ("AFP", "AFP"),
    ("Agence France-Presse", "AFP"),
    ("美联社", "AP"),
    ("美聯社", "AP"),
    ("AP", "AP"),
    ("Associated Press", "AP"),
    ("盖蒂图片社", "Getty Images"),
    ("蓋蒂圖片社", "Getty Images"),
    ("盖帝图像", "Getty Images"),
    ("Getty Images", "Getty Images"),
    ("Getty", "Getty Images"),
    ("新华社", "Xinhua"),
    ("新華社", "Xinhua"),
    ("新华网", "Xinhua"),
    ("Xinhua", "Xinhua"),
    ("中新社", "China News Service"),
    ("中国新闻社", "China News Service"),
    ("中央社", "CNA"),
    ("中央通讯社", "CNA"),
    ("中央通訊社", "CNA"),
    ("CNA", "CNA"),
    ("EPA", "EPA"),
    ("EPA-EFE", "EPA"),
    ("欧新社", "EPA"),
    ("歐新社", "EPA"),
    ("欧洲新闻图片社", "EPA"),
    ("EFE", "EFE"),
    ("美国之音", "VOA"),
    ("美國之音", "VOA"),
    ("VOA", "VOA"),
    ("自由亚洲电台", "RFA"),
    ("自由亞洲電台", "RFA"),
    ("RFA", "RFA"),
    ("彭博社", "Bloomberg"),
    ("彭博", "Bloomberg"),
    ("Bloomberg", "Bloomberg"),
    ("Shutterstock", "Shutterstock"),
    ("美国国务院", "US State Department"),
    ("美國國務院", "US State Department"),
    ("State Department", "US State Department"),
    ("法广", "RFI"),
    ("法廣", "RFI"),
    ("法国国际广播电台", "RFI"),
    ("法國國際廣播電台", "RFI"),
    ("RFI", "RFI"),
    ("BBC", "BBC"),
    ("英国广播公司", "BBC"),
    ("德国之声", "DW"),
    ("德國之聲", "DW"),
    ("Deutsche Welle", "DW"),
    ("DW", "DW"),
    ("Sputnik", "Sputnik"),
    ("卫星通讯社", "Sputnik"),
    ("衛星通訊社", "Sputnik"),
    ("TASS", "TASS"),
    ("塔斯社", "TASS"),
    ("共同社", "Kyodo"),
    ("Kyodo", "Kyodo"),
    ("韩联社", "Yonhap"),
    ("韓聯社", "Yonhap"),
    ("Yonhap", "Yonhap"),
    ("Anadolu", "Anadolu Agency"),
    ("阿纳多卢", "Anadolu Agency"),
    ("PA Media", "PA Media"),
    ("PA Wire", "PA Media"),
    ("Press Association", "PA Media"),
    ("SOPA Images", "SOPA Images"),
    ("NurPhoto", "NurPhoto"),
    ("Alamy", "Alamy"),
    ("SPL", "Science Photo Library"),
    ("Science Photo Library", "Science Photo Library"),
    ("Imaginechina", "Imaginechina"),
    ("The New York Times", "The New York Times"),
    ("纽约时报", "The New York Times"),
    ("紐約時報", "The New York Times"),
    ("NASA", "NASA"),
    ("Wikimedia Commons", "Wikimedia Commons"),
];

/// Sources that are not agencies but are commonly credited, alone or in brackets:
/// `（百度百科）`, `（网络图片）`, `(视频截图)`.
pub const SOURCES: &[&str] = &[
    "网络",
    "網絡",
    "网路",
    "網路",
    "网络图片",
    "網絡圖片",
    "网路图片",
    "網路圖片",
    "网络截图",
    "视频截图",
    "影片截圖",
    "视频截屏",
    "资料图片",
    "資料圖片",
    "资料图",
    "資料圖",
    "资料照",
    "資料照",
    "资料照片",
    "資料照片",
    "百度百科",
    "维基百科",
    "維基百科",
    "Wikipedia",
    "推特",
    "Twitter",
    "脸书",
    "臉書",
    "Facebook",
    "微博",
    "微信",
    "YouTube",
    "Instagram",
    "Handout",
    "Pool",
];

/// Credit words that end a bracketed credit (`（记者李宗翰摄）`, `（汪忠一提供）`,
/// `（法新社资料图片）`). The `Bare` rule uses only the first group (attributions), not
/// the "file photo" words, which also end ordinary captions.
const BRACKET_SUFFIXES_STRONG: &[&str] = &[
    "摄", "攝", "摄影", "攝影", "提供", "供图", "供圖", "截图", "截圖", "截屏",
];
const BRACKET_SUFFIXES_WEAK: &[&str] = &[
    "图片",
    "圖片",
    "照片",
    "资料图",
    "資料圖",
    "资料照",
    "資料照",
    "档案照",
    "檔案照",
];

/// Credits that name nobody.
pub const PLACEHOLDERS: &[&str] = &[
    "网络",
    "網絡",
    "网路",
    "網路",
    "网络图片",
    "網絡圖片",
    "网路图片",
    "網路圖片",
    "网络照片",
    "网络截图",
    "网图",
    "網圖",
    "互联网",
    "互聯網",
    "网上",
    "網上",
    "图片来源",
    "圖片來源",
    "图像来源",
    "圖像來源",
    "来源",
    "來源",
    "资料图",
    "資料圖",
    "资料图片",
    "資料圖片",
    "资料照",
    "資料照",
    "资料照片",
    "資料照片",
    "档案照片",
    "檔案照片",
    "佚名",
    "不详",
    "不詳",
    "未知",
    "无",
    "無",
    "暂无",
    "暫無",
    "待定",
    "待补充",
    "图片",
    "圖片",
    "图",
    "圖",
    "照片",
    "配图",
    "配圖",
    "unknown",
    "unknown source",
    "tbd",
    "tba",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "credit",
    "credits",
    "image credit",
    "photo credit",
    "source",
    "image source",
    "photo",
    "image",
    "picture",
    "internet",
    "web",
    "online",
    "google",
    "google images",
    "file photo",
    "stock photo",
    "placeholder",
    "test",
    "todo",
    "fixme",
    "lorem ipsum",
];

/// The recognition tables. `Default` holds the built-in tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditRules {
    pub markers: Vec<Marker>,
    /// (alias, canonical agency name).
    pub agencies: Vec<(String, String)>,
    /// Known non-agency sources (see [`SOURCES`]).
    pub sources: Vec<String>,
    /// Placeholder credits (see [`PLACEHOLDERS`]); compared after trimming and ASCII lowercasing.
    pub placeholders: Vec<String>,
    /// The agency aliases compiled for searching, on first use.
    alias_index: Cache<Option<AliasAutomata>>,
    /// The prefix markers compiled for searching, on first use.
    prefix_markers: Cache<PrefixMarkers>,
}

/// Two Aho-Corasick automata over the agency aliases: short ASCII ones (`AP`, `AFP`) match
/// exactly, the others ignoring ASCII case, as [`CreditRules::agencies_in`] specifies. One
/// pass over a caption finds every alias; searching alias by alias cost a substring search
/// per alias per caption.
struct AliasAutomata {
    exact: aho_corasick::AhoCorasick,
    exact_ids: Vec<usize>,
    folded: aho_corasick::AhoCorasick,
    folded_ids: Vec<usize>,
}

impl AliasAutomata {
    fn build(agencies: &[(String, String)]) -> Option<AliasAutomata> {
        let (mut exact, mut folded) = (Vec::new(), Vec::new());
        for (i, (alias, _)) in agencies.iter().enumerate() {
            if alias.is_empty() {
                continue;
            }
            if alias.is_ascii() && alias.len() <= 3 {
                exact.push(i);
            } else {
                folded.push(i);
            }
        }
        let build = |ids: &[usize], fold: bool| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .ascii_case_insensitive(fold)
                .build(ids.iter().map(|&i| agencies[i].0.as_str()))
                .ok()
        };
        Some(AliasAutomata {
            exact: build(&exact, false)?,
            exact_ids: exact,
            folded: build(&folded, true)?,
            folded_ids: folded,
        })
    }
}

/// The prefix markers (every style but `Suffix`), ASCII-lowercased once, and one automaton
/// over them: one pass over a caption or alt text finds every marker in it (most hold none),
/// where searching marker by marker cost a substring search per marker per text.
struct PrefixMarkers {
    /// The distinct lowercased needles, and per needle the markers (indices into
    /// [`CreditRules::markers`], in order) that have it.
    needles: Vec<(String, Vec<usize>)>,
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl PrefixMarkers {
    fn build(markers: &[Marker]) -> PrefixMarkers {
        let mut needles: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, m) in markers.iter().enumerate() {
            let n = m.text.to_ascii_lowercase();
            if m.style == CreditStyle::Suffix || n.is_empty() {
                continue;
            }
            match needles.iter_mut().find(|(have, _)| *have == n) {
                Some((_, ids)) => ids.push(i),
                None => needles.push((n, vec![i])),
            }
        }
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(needles.iter().map(|(n, _)| n))
            .ok();
        PrefixMarkers { needles, automaton }
    }

    /// Every occurrence of a needle in `lowered` that `str::match_indices` would report
    /// (non-overlapping per needle, left to right) as (needle index, start), in no
    /// particular order across needles.
    fn hits(&self, lowered: &str) -> Vec<(usize, usize)> {
        let mut hits = Vec::new();
        match &self.automaton {
            Some(ac) => {
                let mut yielded_to: Vec<usize> = Vec::new();
                // Overlapping matches of one needle come in increasing start order.
                for m in ac.find_overlapping_iter(lowered) {
                    let u = m.pattern().as_usize();
                    if yielded_to.len() <= u {
                        yielded_to.resize(self.needles.len(), 0);
                    }
                    if m.start() >= yielded_to[u] {
                        yielded_to[u] = m.end();
                        hits.push((u, m.start()));
                    }
                }
            }
            None => {
                for (u, (needle, _)) in self.needles.iter().enumerate() {
                    hits.extend(
                        lowered
                            .match_indices(needle.as_str())
                            .map(|(pos, _)| (u, pos)),
                    );
                }
            }
        }
        hits
    }
}

/// A value derived from the tables on first use. The tables do not change once in use
/// ([`CreditRules::extend`] starts new caches), so a cache compares equal whatever it
/// holds and a clone starts empty.
struct Cache<T>(std::sync::OnceLock<T>);

impl<T> Cache<T> {
    fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(f)
    }
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache(std::sync::OnceLock::new())
    }
}

impl<T> Clone for Cache<T> {
    fn clone(&self) -> Self {
        Cache::default()
    }
}

impl<T> PartialEq for Cache<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for Cache<T> {}

impl<T> std::fmt::Debug for Cache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cache")
    }
}

impl Default for CreditRules {
    fn default() -> Self {
        Self {
            markers: MARKERS
                .iter()
                .map(|&(t, s)| Marker {
                    glued: GLUED_MARKERS.contains(&t),
                    ..Marker::new(t, s)
                })
                .collect(),
            agencies: AGENCIES
                .iter()
                .map(|&(a, c)| (a.to_string(), c.to_string()))
                .collect(),
            sources: SOURCES.iter().map(|s| s.to_string()).collect(),
            placeholders: PLACEHOLDERS.iter().map(|s| s.to_string()).collect(),
            alias_index: Cache::default(),
            prefix_markers: Cache::default(),
        }
    }
}

impl CreditRules {
    /// The built-in tables, shared by every analysis that uses no settings, so that their
    /// search automata are compiled once per process rather than once per document.
    pub fn builtin() -> &'static CreditRules {
        static BUILTIN: std::sync::OnceLock<CreditRules> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(CreditRules::default)
    }

    /// Adds markers and agency aliases (e.g. from configuration). Empty strings are ignored.
    pub fn extend(
        &mut self,
        markers: impl IntoIterator<Item = Marker>,
        agencies: impl IntoIterator<Item = (String, String)>,
    ) {
        self.markers
            .extend(markers.into_iter().filter(|m| !m.text.is_empty()));
        self.agencies.extend(
            agencies
                .into_iter()
                .filter(|(a, c)| !a.is_empty() && !c.is_empty()),
        );
        self.alias_index = Cache::default();
        self.prefix_markers = Cache::default();
    }

    pub fn with_marker(mut self, text: impl Into<String>, style: CreditStyle) -> Self {
        self.extend([Marker::new(text, style)], []);
        self
    }

    pub fn with_agency(mut self, alias: impl Into<String>, canonical: impl Into<String>) -> Self {
        self.extend([], [(alias.into(), canonical.into())]);
        self
    }

    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        let source = source.into();
        if !source.is_empty() {
            self.sources.push(source);
        }
        self
    }

    pub fn with_placeholder(mut self, placeholder: impl Into<String>) -> Self {
        let placeholder = placeholder.into();
        if !placeholder.is_empty() {
            self.placeholders.push(placeholder);
        }
        self
    }

    /// Canonical agencies named in `text`, in order of first appearance, without duplicates.
    pub fn agencies_in(&self, text: &str) -> Vec<String> {
        let Some(index) = self
            .alias_index
            .get_or_init(|| AliasAutomata::build(&self.agencies))
            .as_ref()
        else {
            return Vec::new();
        };
        // Every hit of every alias: (start, end, canonical).
        let mut hits: Vec<(usize, usize, &str)> = Vec::new();
        for (automaton, ids) in [
            (&index.exact, &index.exact_ids),
            (&index.folded, &index.folded_ids),
        ] {
            for m in automaton.find_overlapping_iter(text) {
                let Some((alias, canonical)) = ids
                    .get(m.pattern().as_usize())
                    .and_then(|&i| self.agencies.get(i))
                else {
                    continue;
                };
                let (pos, end) = (m.start(), m.end());
                if !alias.is_ascii() || ascii_word_boundary(text, pos, end) {
                    hits.push((pos, end, canonical));
                }
            }
        }
        // Earlier first, longer first; drop hits inside a longer one (`EFE` in `EPA-EFE`).
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out: Vec<String> = Vec::new();
        let mut covered_to = 0;
        for (start, end, canonical) in hits {
            if start < covered_to && end <= covered_to {
                continue;
            }
            covered_to = covered_to.max(end);
            if !out.iter().any(|c| c == canonical) {
                out.push(canonical.to_string());
            }
        }
        out
    }

    /// Whether `name` names nobody (see [`is_placeholder_credit`]), using these rules' list.
    pub fn is_placeholder(&self, name: &str) -> bool {
        placeholder_with(name, self.placeholders.iter().map(String::as_str))
    }

    /// `text` starts with an agency alias that stands as a credit of its own: followed by
    /// nothing, a separator (`美国之音/汤惠芸`, `AP Photo`) or `记者` (`新华社记者李响`), not
    /// by running text (`路透调查预估…`, `法新社布鲁塞尔18日电`).
    fn starts_with_agency(&self, text: &str) -> bool {
        let lowered = text.to_ascii_lowercase();
        self.agencies.iter().any(|(alias, _)| {
            let ascii = alias.is_ascii();
            let matches = if ascii && alias.len() <= 3 {
                text.starts_with(alias.as_str())
            } else {
                lowered.starts_with(&alias.to_ascii_lowercase())
            };
            if !matches || alias.is_empty() {
                return false;
            }
            let rest = text.get(alias.len()..).unwrap_or("");
            (!ascii || ascii_word_boundary(text, 0, alias.len()))
                && (rest.is_empty()
                    || rest.starts_with(is_separator)
                    || rest.starts_with(['记', '記'])
                    || rest.starts_with(|c: char| c.is_ascii_alphanumeric() && ascii))
        })
    }

    fn is_source(&self, text: &str) -> bool {
        self.sources.iter().any(|s| s.eq_ignore_ascii_case(text))
    }
}

/// A credit found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditMatch {
    /// The marker as found in the text (`"图像来源"`, `"©"`, `"摄"`); `None` for the
    /// `ReutersSlash`, `Parenthesised` and `Bare` styles.
    pub marker: Option<String>,
    /// The credit as written, trimmed (`"KREMLIN POOL/SPUTNIK/EPA"`); may be empty.
    pub name: String,
    /// Byte range of `name` in the text (empty, right after the marker, when `name` is empty).
    pub name_range: TextRange,
    /// Byte range of marker and name together; for `Parenthesised` the brackets included.
    pub range: TextRange,
    /// Canonical agencies named in `name`, in order of appearance.
    pub agencies: Vec<String>,
    pub style: CreditStyle,
}

/// Finds the image credit in a caption or credit text. See the module docs for the order
/// of recognition. `None` when the text carries no credit.
pub fn find_credit(text: &str, rules: &CreditRules) -> Option<CreditMatch> {
    let found = find_prefix(text, rules)
        .or_else(|| find_via_agency(text, rules))
        .or_else(|| find_trailing_bracket(text, rules))
        .or_else(|| find_suffix(text, rules))
        .or_else(|| find_bare(text, rules))?;
    let name = text.get(found.name.start..found.name.end)?.to_string();
    Some(CreditMatch {
        marker: found
            .marker
            .and_then(|m| text.get(m.start..m.end))
            .map(str::to_string),
        agencies: rules.agencies_in(&name),
        name,
        name_range: found.name,
        range: found.range,
        style: found.style,
    })
}

struct Found {
    marker: Option<TextRange>,
    name: TextRange,
    range: TextRange,
    style: CreditStyle,
}

fn find_prefix(text: &str, rules: &CreditRules) -> Option<Found> {
    let lowered = text.to_ascii_lowercase();
    let prefix = rules
        .prefix_markers
        .get_or_init(|| PrefixMarkers::build(&rules.markers));
    // The earliest valid marker, the longest at one place, the first in the table among
    // equals: (start, len, marker index).
    let mut best: Option<(usize, usize, usize)> = None;
    for (u, pos) in prefix.hits(&lowered) {
        let (needle, ids) = &prefix.needles[u];
        let end = pos + needle.len();
        let next = text.get(end..).and_then(|rest| rest.chars().next());
        for &i in ids {
            let marker = &rules.markers[i];
            if marker.needs_left_boundary()
                && prev_char(text, pos).is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            if marker.needs_separator_after() && next.is_some_and(|c| !is_separator(c)) {
                continue;
            }
            // `(c)` only before something that looks like a name, not in `(a) (b) (c)` lists.
            if needle == "(c)"
                && !text
                    .get(end..)
                    .unwrap_or("")
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || !c.is_ascii())
            {
                continue;
            }
            let better = best.is_none_or(|(s, l, j)| {
                (pos, std::cmp::Reverse(needle.len()), i) < (s, std::cmp::Reverse(l), j)
            });
            if better {
                best = Some((pos, needle.len(), i));
            }
        }
    }
    let best = best.map(|(start, len, i)| (start, len, rules.markers[i].style));
    // `REUTERS/Name` (any case), not after a letter, followed by a name.
    let reuters = lowered.match_indices("reuters/").find(|&(pos, m)| {
        !prev_char(text, pos).is_some_and(|c| c.is_ascii_alphanumeric())
            && text
                .get(pos + m.len()..)
                .and_then(|r| r.chars().next())
                .is_some_and(|c| !c.is_whitespace())
    });
    if let Some((pos, _)) = reuters {
        let better = best.is_none_or(|(s, _, _)| pos < s);
        if better {
            let name_end = name_end(text, pos);
            return Some(Found {
                marker: None,
                name: TextRange::new(pos, name_end),
                range: TextRange::new(pos, name_end),
                style: CreditStyle::ReutersSlash,
            });
        }
    }
    let (start, len, style) = best?;
    let marker_end = start + len;
    let name_start = skip_separators(text, marker_end);
    let end = name_end(text, name_start).max(name_start);
    Some(Found {
        marker: Some(TextRange::new(start, marker_end)),
        name: TextRange::new(name_start, end),
        range: TextRange::new(start, end.max(marker_end)),
        style,
    })
}

/// Wire style `Name/Pool via Reuters` at the end of a caption: the credit is the last
/// sentence, when what follows `via` names an agency.
fn find_via_agency(text: &str, rules: &CreditRules) -> Option<Found> {
    let end = text.trim_end().len();
    let lowered = text.to_ascii_lowercase();
    let via = lowered.get(..end)?.rfind(" via ")?;
    let agency = text.get(via + 5..end)?;
    if rules.agencies_in(agency).is_empty() || agency.chars().count() > 40 {
        return None;
    }
    let start = text
        .get(..via)?
        .char_indices()
        .rev()
        .find(|&(_, c)| is_sentence_delimiter(c) || is_close_bracket(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    // A whole text that is just the credit is the `Bare` style's business.
    if start == 0 {
        return None;
    }
    let start = skip_separators(text, start);
    (start < via).then(|| Found {
        marker: None,
        name: TextRange::new(start, end),
        range: TextRange::new(start, end),
        style: CreditStyle::ReutersSlash,
    })
}

fn find_trailing_bracket(text: &str, rules: &CreditRules) -> Option<Found> {
    let trimmed_end = text
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '。' | '.'))
        .len();
    let body = &text[..trimmed_end];
    let close = body.chars().next_back()?;
    if !is_close_bracket(close) {
        return None;
    }
    let close_start = trimmed_end - close.len_utf8();
    // Find the matching open bracket backwards (mixed ASCII/full-width brackets allowed).
    let mut depth = 0usize;
    let mut open_start = None;
    for (i, c) in body[..close_start].char_indices().rev() {
        if is_close_bracket(c) {
            depth += 1;
        } else if is_open_bracket(c) {
            if depth == 0 {
                open_start = Some(i);
                break;
            }
            depth -= 1;
        }
    }
    let open_start = open_start?;
    let open_len = body[open_start..].chars().next()?.len_utf8();
    let inner_start = open_start + open_len;
    let inner = &body[inner_start..close_start];
    let content = inner.trim();
    if content.is_empty() || !qualifies_as_bracket_credit(content, rules) {
        return None;
    }
    let lead = inner.len() - inner.trim_start().len();
    let name_start = inner_start + lead;
    Some(Found {
        marker: None,
        name: TextRange::new(name_start, name_start + content.len()),
        range: TextRange::new(open_start, trimmed_end),
        style: CreditStyle::Parenthesised,
    })
}

fn qualifies_as_bracket_credit(content: &str, rules: &CreditRules) -> bool {
    let chars = content.chars().count();
    if chars > 60 {
        return false;
    }
    if rules.starts_with_agency(content) || rules.is_source(content) {
        return true;
    }
    chars <= 30
        && BRACKET_SUFFIXES_STRONG
            .iter()
            .chain(BRACKET_SUFFIXES_WEAK)
            .any(|s| content.ends_with(s) && !ends_with_shooting_verb(content, s))
}

/// `拍摄`, `航拍摄` … describe how a photo was taken, not by whom.
fn ends_with_shooting_verb(text: &str, suffix: &str) -> bool {
    if !matches!(suffix, "摄" | "攝") {
        return false;
    }
    let before = &text[..text.len() - suffix.len()];
    before.chars().next_back().is_some_and(|c| {
        matches!(
            c,
            '拍' | '航' | '所' | '偷' | '抓' | '被' | '自' | '于' | '於'
        )
    })
}

fn find_suffix(text: &str, rules: &CreditRules) -> Option<Found> {
    let end = text
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '。' | '.'))
        .len();
    let body = &text[..end];
    // The longest suffix marker that ends the text.
    let marker = rules
        .markers
        .iter()
        .filter(|m| m.style == CreditStyle::Suffix && !m.text.is_empty())
        .filter(|m| body.ends_with(m.text.as_str()))
        .max_by_key(|m| m.text.len())?;
    let marker_start = end - marker.text.len();
    if ends_with_shooting_verb(body, &marker.text)
        || (marker.text == "摄影" || marker.text == "攝影")
            && body[..marker_start].ends_with(['拍', '航'])
    {
        return None;
    }
    let before = &body[..marker_start];
    let segment_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| is_sentence_delimiter(c) || is_open_bracket(c) || is_close_bracket(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let mut segment = &before[segment_start..];
    // A long segment is more caption than credit: keep the part after the last space.
    if segment.trim().chars().count() > 20 {
        // After the last whitespace char, which may be wider than a byte (NBSP).
        let cut = segment
            .trim_end()
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        segment = &segment[cut..];
    }
    let name = segment.trim();
    if name.is_empty() || name.chars().count() > 30 {
        return None;
    }
    let name_start = before.len() - segment.len() + (segment.len() - segment.trim_start().len());
    let name_range = TextRange::new(name_start, name_start + name.len());
    Some(Found {
        marker: Some(TextRange::new(marker_start, end)),
        name: name_range,
        range: TextRange::new(name_start, end),
        style: CreditStyle::Suffix,
    })
}

fn find_bare(text: &str, rules: &CreditRules) -> Option<Found> {
    let name = text.trim();
    if name.is_empty()
        || name.chars().count() > 60
        || name.contains([
            '。', '！', '？', '，', '（', '）', ':', '：', '|', '｜', '“', '”', '"', '《',
        ])
    {
        return None;
    }
    let credit_word_end = BRACKET_SUFFIXES_STRONG
        .iter()
        .any(|s| name.ends_with(s) && !ends_with_shooting_verb(name, s));
    // In CJK text an agency name anywhere is usually prose ("法新社布鲁塞尔18日电");
    // English credit lines name the agency anywhere ("… via Getty Images").
    let has_cjk = name.chars().any(|c| c >= '\u{2E80}');
    if has_cjk && name.chars().count() > 16 {
        return None;
    }
    let agency =
        rules.starts_with_agency(name) || (!has_cjk && !rules.agencies_in(name).is_empty());
    if !(rules.is_source(name) || credit_word_end || agency) {
        return None;
    }
    let start = text.len() - text.trim_start().len();
    let range = TextRange::new(start, start + name.len());
    Some(Found {
        marker: None,
        name: range,
        range,
        style: CreditStyle::Bare,
    })
}

/// Where a name that starts at `start` ends: at a line break, `|`, a sentence end, a
/// closing bracket closing a bracket opened before `start`, or the end; trailing spaces and
/// punctuation are trimmed off.
fn name_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let mut depth = 0usize;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        if matches!(c, '\n' | '\r' | '|' | '。' | '！' | '？') {
            end = i;
            break;
        }
        if is_open_bracket(c) {
            depth += 1;
        } else if is_close_bracket(c) {
            if depth == 0 {
                end = i;
                break;
            }
            depth -= 1;
        }
    }
    let trimmed = rest[..end].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | '，' | ';' | '；' | ':' | '：' | '、')
    });
    start + trimmed.len()
}

fn skip_separators(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    let skipped = rest.len() - rest.trim_start_matches(is_separator).len();
    from + skipped
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{FE0E}' | '\u{FE0F}' | '\u{200B}' | '\u{200D}' | '\u{FEFF}'
        )
        || matches!(
            c,
            ':' | '：' | ',' | '，' | '/' | '／' | '|' | '、' | '-' | '–' | '—' | '.' | '…'
        )
}

fn is_sentence_delimiter(c: char) -> bool {
    matches!(
        c,
        '。' | '，' | ',' | '；' | ';' | '：' | ':' | '！' | '!' | '？' | '?' | '|' | '\n' | '、'
    )
}

fn is_open_bracket(c: char) -> bool {
    matches!(c, '(' | '（' | '[' | '【' | '［')
}

fn is_close_bracket(c: char) -> bool {
    matches!(c, ')' | '）' | ']' | '】' | '］')
}

fn prev_char(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// ASCII word boundary on both sides of `text[start..end]`: the neighbours are not ASCII
/// letters or digits (CJK neighbours are fine: `AFP资料图片`).
fn ascii_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before_ok = start == 0 || !bytes.get(start - 1).is_some_and(u8::is_ascii_alphanumeric);
    let after_ok = !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric);
    before_ok && after_ok
}

/// Whether a credit names nobody: `网络`, `網絡`, `网络图片`, `图片来源`, `Unknown`, `TBD`,
/// `佚名`, `资料图`, `来源`, `Credit`, `XXX`, `placeholder`, …; also a credit made only of
/// punctuation (`"?"`, `"—"`) or of repeated `x`. Surrounding brackets, punctuation and
/// case are ignored. An empty (or whitespace-only) name is *not* a placeholder: that is the
/// separate "empty credit" case.
pub fn is_placeholder_credit(name: &str) -> bool {
    placeholder_with(name, PLACEHOLDERS.iter().copied())
}

fn placeholder_with<'a>(name: &str, list: impl IntoIterator<Item = &'a str>) -> bool {
    let name = name.trim();
    if name.is_empty() {
        return false;
    }
    let core = name
        .trim_matches(|c: char| c.is_whitespace() || !c.is_alphanumeric())
        .to_ascii_lowercase();
    if core.is_empty() {
        return true;
    }
    if core.len() >= 2 && core.bytes().all(|b| b == b'x') {
        return true;
    }
    // `core` is lowercased, so comparing ignoring ASCII case is comparing lowercased.
    list.into_iter()
        .any(|p| p.eq_ignore_ascii_case(&core) || p.eq_ignore_ascii_case(name))
}

/// Guesses the agency from an image URL or file name (`…_gettyimages-123.jpg`,
/// `_976_reuters_hi.jpg`, `…_afp.jpg`, `ap20201234.jpg`, `shutterstock_editorial_…`,
/// `s4.reutersmedia.net/…`). Proxies are looked through. The file name is tried first,
/// then the rest of the path, then the host. `None` when nothing is recognised.
pub fn agency_from_url(url: &str) -> Option<&'static str> {
    let target = super::url::deproxy(url).unwrap_or_else(|| url.to_string());
    let lowered = target.to_ascii_lowercase();
    let without_query = lowered.split(['?', '#']).next().unwrap_or("");
    let (host, path) = match without_query.split_once("://") {
        Some((_, rest)) => rest.split_once('/').unwrap_or((rest, "")),
        None => match without_query.strip_prefix("//") {
            Some(rest) => rest.split_once('/').unwrap_or((rest, "")),
            None => ("", without_query),
        },
    };
    let file = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    agency_in_path_text(file)
        .or_else(|| agency_in_path_text(path))
        .or_else(|| agency_from_host(host))
        .or_else(|| {
            // Reuters picture ids travel in the query (`…/resources/r/?…&r=LYNXMPEG…`).
            let query = lowered.split_once('?').map_or("", |(_, q)| q);
            (query.contains("lynx") && query.contains("r=")).then_some("Reuters")
        })
}

/// Substrings distinctive enough to match anywhere in a lowercased path.
const URL_SUBSTRINGS: &[(&str, &str)] = &[
    ("gettyimages", "Getty Images"),
    ("getty", "Getty Images"),
    ("reuters", "Reuters"),
    ("rtrmadp", "Reuters"),
    ("shutterstock", "Shutterstock"),
    ("xinhua", "Xinhua"),
    ("sputnik", "Sputnik"),
    ("bloomberg", "Bloomberg"),
    ("anadolu", "Anadolu Agency"),
    ("epa-efe", "EPA"),
    ("epaefe", "EPA"),
    ("imaginechina", "Imaginechina"),
    ("nurphoto", "NurPhoto"),
    ("alamy", "Alamy"),
];

/// Short tokens that must stand alone (between non-alphanumerics), optionally followed by
/// digits: `_afp.jpg`, `ap20201234.jpg`, `epa08512345`.
const URL_TOKENS: &[(&str, &str)] = &[("afp", "AFP"), ("ap", "AP"), ("epa", "EPA")];

fn agency_in_path_text(path: &str) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for &(needle, agency) in URL_SUBSTRINGS {
        if let Some(pos) = path.find(needle)
            && best.is_none_or(|(p, _)| pos < p)
        {
            best = Some((pos, agency));
        }
    }
    let mut offset = 0;
    for token in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        for &(prefix, agency) in URL_TOKENS {
            if let Some(rest) = token.strip_prefix(prefix)
                && rest.bytes().all(|b| b.is_ascii_digit())
                && best.is_none_or(|(p, _)| offset < p)
            {
                best = Some((offset, agency));
            }
        }
        offset += token.len() + 1;
    }
    best.map(|(_, agency)| agency)
}

fn agency_from_host(host: &str) -> Option<&'static str> {
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    const HOSTS: &[(&str, &str)] = &[
        ("reutersmedia.net", "Reuters"),
        ("reuters.com", "Reuters"),
        ("gettyimages.com", "Getty Images"),
        ("gettyimages.co.uk", "Getty Images"),
        ("afp.com", "AFP"),
        ("apnews.com", "AP"),
        ("shutterstock.com", "Shutterstock"),
        ("xinhuanet.com", "Xinhua"),
        ("epa.eu", "EPA"),
    ];
    HOSTS.iter().find_map(|&(suffix, agency)| {
        let matches = host == suffix || host.strip_suffix(suffix).is_some_and(|h| h.ends_with('.'));
        matches.then_some(agency)
    })
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    /// A long suffix-credit segment is cut after its last whitespace, which may be a
    /// two-byte NBSP (the analysis fuzzer's crash: the cut landed inside it).
    #[test]
    fn long_suffix_segment_cut_after_a_wide_space() {
        let text = "这是一段很长很长很长很长的图片说明文字\u{a0}新华社记者张三摄";
        let found = find_suffix(text, CreditRules::builtin()).expect("a suffix credit");
        assert_eq!(found.name.slice(text), Some("新华社记者张三"));
    }

    /// The prefix-marker search as first written, marker by marker with `match_indices`:
    /// the reference for the automaton-driven search.
    fn reference_prefix(text: &str, rules: &CreditRules) -> Option<(usize, usize, CreditStyle)> {
        let lowered = text.to_ascii_lowercase();
        let mut best: Option<(usize, usize, CreditStyle)> = None;
        for marker in &rules.markers {
            let needle = marker.text.to_ascii_lowercase();
            if marker.style == CreditStyle::Suffix || needle.is_empty() {
                continue;
            }
            let hit = lowered.match_indices(needle.as_str()).find(|&(pos, _)| {
                let end = pos + needle.len();
                if marker.needs_left_boundary()
                    && prev_char(text, pos).is_some_and(char::is_alphanumeric)
                {
                    return false;
                }
                let next = text.get(end..).and_then(|rest| rest.chars().next());
                if marker.needs_separator_after() && next.is_some_and(|c| !is_separator(c)) {
                    return false;
                }
                if needle == "(c)" {
                    let after = text.get(end..).unwrap_or("").trim_start();
                    return after.chars().next().is_some_and(|c| {
                        c.is_ascii_uppercase() || c.is_ascii_digit() || !c.is_ascii()
                    });
                }
                true
            });
            if let Some((pos, _)) = hit {
                let better = best.is_none_or(|(s, l, _)| pos < s || (pos == s && needle.len() > l));
                if better {
                    best = Some((pos, needle.len(), marker.style));
                }
            }
        }
        best
    }

    #[test]
    fn prefix_markers_found_as_marker_by_marker_search_finds_them() {
        let mut rules = CreditRules::default();
        // Custom markers, one repeating the start of another and one self-overlapping.
        rules.extend(
            [
                Marker::new("Photo", CreditStyle::MarkerPrefix),
                Marker::new("aa", CreditStyle::MarkerPrefix),
                Marker::new("图图图图", CreditStyle::MarkerPrefix),
                Marker::new("图像", CreditStyle::Copyright),
            ],
            [],
        );
        let mut pieces: Vec<String> = rules.markers.iter().map(|m| m.text.clone()).collect();
        pieces.extend(
            [
                "a", "A", " ", ":", "：", "/", "x", "中", "图", "(", ")", "c", "C", "1", "Reuters",
                "\u{a0}",
            ]
            .map(String::from),
        );
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut found = 0;
        for _ in 0..20_000 {
            let n = 1 + next(8);
            let text: String = (0..n)
                .map(|_| pieces[next(pieces.len())].as_str())
                .collect();
            let got = find_prefix(&text, &rules)
                .and_then(|f| f.marker.map(|m| (m.start, m.len(), f.style)));
            let want = reference_prefix(&text, &rules);
            // A `REUTERS/` credit before the marker wins in both.
            let reuters = find_prefix(&text, &rules).is_some_and(|f| f.marker.is_none());
            if !reuters {
                assert_eq!(got, want, "{text:?}");
                found += usize::from(got.is_some());
            }
        }
        assert!(found > 5_000, "only {found} texts with a marker");
    }

    fn render(text: &str) -> String {
        let rules = CreditRules::default();
        let got = find_credit(text, &rules);
        if let Some(m) = &got {
            assert_eq!(&text[m.name_range.start..m.name_range.end], m.name);
            assert!(m.range.start <= m.name_range.start && m.name_range.end <= m.range.end);
            assert!(text.get(m.range.start..m.range.end).is_some());
        }
        let rendered = match got {
            None => "None".to_string(),
            Some(m) => format!(
                "{:?} marker={:?} name={:?} agencies={:?} range={}..{} name_range={}..{}",
                m.style,
                m.marker,
                m.name,
                m.agencies,
                m.range.start,
                m.range.end,
                m.name_range.start,
                m.name_range.end
            ),
        };
        format!("{text:?}\n    => {rendered}\n")
    }

    fn check(texts: &[&str], expect: Expect) {
        let out: String = texts.iter().map(|t| render(t)).collect();
        expect.assert_eq(&out);
    }

    #[test]
    fn brief_examples() {
        check(
            &[
                "图像来源，KREMLIN POOL/SPUTNIK/EPA",
                "习近平在北京（法新社）",
                "A man walks. REUTERS/Thomas Peter",
                "图/网络",
                "图片来源：微博",
                "(美国之音/李逸华)",
                "© Getty",
                "习近平与普京在克里姆林宫会谈",
                "图片来源：",
                "图片来源",
            ],
            expect![[r#"
                "图像来源，KREMLIN POOL/SPUTNIK/EPA"
                    => MarkerPrefix marker=Some("图像来源") name="KREMLIN POOL/SPUTNIK/EPA" agencies=["Sputnik", "EPA"] range=0..39 name_range=15..39
                "习近平在北京（法新社）"
                    => Parenthesised marker=None name="法新社" agencies=["AFP"] range=18..33 name_range=21..30
                "A man walks. REUTERS/Thomas Peter"
                    => ReutersSlash marker=None name="REUTERS/Thomas Peter" agencies=["Reuters"] range=13..33 name_range=13..33
                "图/网络"
                    => MarkerPrefix marker=Some("图/") name="网络" agencies=[] range=0..10 name_range=4..10
                "图片来源：微博"
                    => MarkerPrefix marker=Some("图片来源") name="微博" agencies=[] range=0..21 name_range=15..21
                "(美国之音/李逸华)"
                    => Parenthesised marker=None name="美国之音/李逸华" agencies=["VOA"] range=0..24 name_range=1..23
                "© Getty"
                    => Copyright marker=Some("©") name="Getty" agencies=["Getty Images"] range=0..8 name_range=3..8
                "习近平与普京在克里姆林宫会谈"
                    => None
                "图片来源："
                    => MarkerPrefix marker=Some("图片来源") name="" agencies=[] range=0..15 name_range=15..15
                "图片来源"
                    => MarkerPrefix marker=Some("图片来源") name="" agencies=[] range=0..12 name_range=12..12
            "#]],
        );
    }

    #[test]
    fn corpus_styles() {
        check(
            &[
                "图片版权 marvelstudios",
                "Getty Images",
                "AFP / Getty",
                "Anadolu Agency via Getty Images",
                "State Border Guard Service of Ukraine / PA Media",
                "吸烟对健康的危害大于任何潜在性的益处（Credit: Getty Images）",
                "查德维克·博斯曼从未公开谈论其抗癌经历。 ©Reuters",
                "© 2020 AFP",
                "&copy; 大号冲塔 for China Digital Times",
                "资料图片：2014年6月，中国广州，南沙港集装箱码头。REUTERS/Aly Song",
                "2020年7月20日，第七届立法会选举已经开始接受提名。（AP）",
                "图片： 在2010年12月10日举行的诺贝尔和平奖颁奖仪式上，颁奖台摆放着留给刘晓波的空椅子。 （法新社资料图片）",
                "达赖喇嘛驻台代表达瓦才仁。（记者李宗翰摄）",
                "美国军控特使比林斯利亚（Marshall Billingslea）（美联社）",
                "中国外交部军控司司长傅聪（百度百科）",
                "台湾外长吴钊燮(中)与美国在台协会台北办事处处长合影(视频截图)",
                "出席台湾建筑师谢英俊建筑展开展。（汪忠一提供）",
                "Photo: RFA",
                "2020年7月3日，德国总理默克尔在联邦参议院发表讲话。（路透社）",
                "前香港众志秘书长黄之锋7月20日正式报名参选立法会选举。 (美国之音/汤惠芸)",
                "台湾汉光36号演习第2天(2020年7月14日, 取自台湾国防部推特)",
                "2011年，李泽厚在美国科罗拉多州小镇博尔德家中  图/本刊记者 卫毅",
                "记者 刘少风 摄影 张展豪",
                "乌鲁木齐本周出现新冠病例，当地采取严格防疫措施（资料图片）",
                "Twitter截图",
                "资料来源：Wind, ICBC International",
                "新华社记者李响摄",
                "图片来源微博",
                "© \u{FE0F}Kerekes Gábor",
                "（中央社檔案照片）",
                "（路透社/法新社）",
                "图片版权所有：路透社",
                "Ng Han Guan/Associated Press",
                "图为2020年的北京。新华社记者 李响 摄",
            ],
            expect![[r#"
                "图片版权 marvelstudios"
                    => MarkerPrefix marker=Some("图片版权") name="marvelstudios" agencies=[] range=0..26 name_range=13..26
                "Getty Images"
                    => Bare marker=None name="Getty Images" agencies=["Getty Images"] range=0..12 name_range=0..12
                "AFP / Getty"
                    => Bare marker=None name="AFP / Getty" agencies=["AFP", "Getty Images"] range=0..11 name_range=0..11
                "Anadolu Agency via Getty Images"
                    => Bare marker=None name="Anadolu Agency via Getty Images" agencies=["Anadolu Agency", "Getty Images"] range=0..31 name_range=0..31
                "State Border Guard Service of Ukraine / PA Media"
                    => Bare marker=None name="State Border Guard Service of Ukraine / PA Media" agencies=["PA Media"] range=0..48 name_range=0..48
                "吸烟对健康的危害大于任何潜在性的益处（Credit: Getty Images）"
                    => MarkerPrefix marker=Some("Credit:") name="Getty Images" agencies=["Getty Images"] range=57..77 name_range=65..77
                "查德维克·博斯曼从未公开谈论其抗癌经历。 ©Reuters"
                    => Copyright marker=Some("©") name="Reuters" agencies=["Reuters"] range=60..69 name_range=62..69
                "© 2020 AFP"
                    => Copyright marker=Some("©") name="2020 AFP" agencies=["AFP"] range=0..11 name_range=3..11
                "&copy; 大号冲塔 for China Digital Times"
                    => Copyright marker=Some("&copy;") name="大号冲塔 for China Digital Times" agencies=[] range=0..43 name_range=7..43
                "资料图片：2014年6月，中国广州，南沙港集装箱码头。REUTERS/Aly Song"
                    => ReutersSlash marker=None name="REUTERS/Aly Song" agencies=["Reuters"] range=71..87 name_range=71..87
                "2020年7月20日，第七届立法会选举已经开始接受提名。（AP）"
                    => Parenthesised marker=None name="AP" agencies=["AP"] range=70..78 name_range=73..75
                "图片： 在2010年12月10日举行的诺贝尔和平奖颁奖仪式上，颁奖台摆放着留给刘晓波的空椅子。 （法新社资料图片）"
                    => Parenthesised marker=None name="法新社资料图片" agencies=["AFP"] range=124..151 name_range=127..148
                "达赖喇嘛驻台代表达瓦才仁。（记者李宗翰摄）"
                    => Parenthesised marker=None name="记者李宗翰摄" agencies=[] range=39..63 name_range=42..60
                "美国军控特使比林斯利亚（Marshall Billingslea）（美联社）"
                    => Parenthesised marker=None name="美联社" agencies=["AP"] range=59..74 name_range=62..71
                "中国外交部军控司司长傅聪（百度百科）"
                    => Parenthesised marker=None name="百度百科" agencies=[] range=36..54 name_range=39..51
                "台湾外长吴钊燮(中)与美国在台协会台北办事处处长合影(视频截图)"
                    => Parenthesised marker=None name="视频截图" agencies=[] range=74..88 name_range=75..87
                "出席台湾建筑师谢英俊建筑展开展。（汪忠一提供）"
                    => Parenthesised marker=None name="汪忠一提供" agencies=[] range=48..69 name_range=51..66
                "Photo: RFA"
                    => MarkerPrefix marker=Some("Photo:") name="RFA" agencies=["RFA"] range=0..10 name_range=7..10
                "2020年7月3日，德国总理默克尔在联邦参议院发表讲话。（路透社）"
                    => Parenthesised marker=None name="路透社" agencies=["Reuters"] range=72..87 name_range=75..84
                "前香港众志秘书长黄之锋7月20日正式报名参选立法会选举。 (美国之音/汤惠芸)"
                    => Parenthesised marker=None name="美国之音/汤惠芸" agencies=["VOA"] range=79..103 name_range=80..102
                "台湾汉光36号演习第2天(2020年7月14日, 取自台湾国防部推特)"
                    => MarkerPrefix marker=Some("取自") name="台湾国防部推特" agencies=[] range=49..76 name_range=55..76
                "2011年，李泽厚在美国科罗拉多州小镇博尔德家中  图/本刊记者 卫毅"
                    => MarkerPrefix marker=Some("图/") name="本刊记者 卫毅" agencies=[] range=66..89 name_range=70..89
                "记者 刘少风 摄影 张展豪"
                    => MarkerPrefix marker=Some("摄影") name="张展豪" agencies=[] range=17..33 name_range=24..33
                "乌鲁木齐本周出现新冠病例，当地采取严格防疫措施（资料图片）"
                    => Parenthesised marker=None name="资料图片" agencies=[] range=69..87 name_range=72..84
                "Twitter截图"
                    => Bare marker=None name="Twitter截图" agencies=[] range=0..13 name_range=0..13
                "资料来源：Wind, ICBC International"
                    => MarkerPrefix marker=Some("资料来源") name="Wind, ICBC International" agencies=[] range=0..39 name_range=15..39
                "新华社记者李响摄"
                    => Suffix marker=Some("摄") name="新华社记者李响" agencies=["Xinhua"] range=0..24 name_range=0..21
                "图片来源微博"
                    => MarkerPrefix marker=Some("图片来源") name="微博" agencies=[] range=0..18 name_range=12..18
                "© \u{fe0f}Kerekes Gábor"
                    => Copyright marker=Some("©") name="Kerekes Gábor" agencies=[] range=0..20 name_range=6..20
                "（中央社檔案照片）"
                    => Parenthesised marker=None name="中央社檔案照片" agencies=["CNA"] range=0..27 name_range=3..24
                "（路透社/法新社）"
                    => Parenthesised marker=None name="路透社/法新社" agencies=["Reuters", "AFP"] range=0..25 name_range=3..22
                "图片版权所有：路透社"
                    => Copyright marker=Some("图片版权所有") name="路透社" agencies=["Reuters"] range=0..30 name_range=21..30
                "Ng Han Guan/Associated Press"
                    => Bare marker=None name="Ng Han Guan/Associated Press" agencies=["AP"] range=0..28 name_range=0..28
                "图为2020年的北京。新华社记者 李响 摄"
                    => Suffix marker=Some("摄") name="新华社记者 李响" agencies=["Xinhua"] range=25..51 name_range=25..47
            "#]],
        );
    }

    #[test]
    fn not_credits() {
        for text in [
            "",
            "   ",
            "美国司法部长在福特总统博物馆就中国问题发表讲话。(2020年7月16日)",
            "美军驻普天间基地资料照片",
            "她在面对摄影机时，更愿意展示她的猫和狗",
            "瑞信(Credit Suisse)领导的一个团体最近提起诉讼",
            "俄罗斯组织APT29锁定了数间美国丶加拿大与英国参与新冠疫苗研发的机构",
            "（法新社布鲁塞尔18日电）欧洲联盟各国对疫情经济振兴方案陷入僵局",
            "由无人机航拍摄",
            "消息来源称",
            "地图/卫星",
            "Options (a) (b) (c) of the plan",
            "台湾外长吴钊燮(中)与美国在台协会台北办事处处长郦英杰(Brent Christensen, 左)",
            "Image caption英国的新冠疫情损失估计约1900亿英镑",
            "是一名澳大利亚摄影师，2003年以来在意大利定居",
            "（路透调查预估中值为-1.5%）",
            "德国之声：今天印度宣布禁用",
            "法广：方方",
            "新华社｜香港国安法全文来了：危害国安最高判无期",
            "自由亚洲电台记者 夏小华、李宗翰 台北报导 责编 胡力汉 申铧  网编 瑞哲",
            "（德国之声中文网）",
        ] {
            assert_eq!(find_credit(text, &CreditRules::default()), None, "{text}");
        }
    }

    #[test]
    fn english_markers() {
        check(
            &[
                "Photo by John Smith",
                "PHOTO: AP Photo/Evan Vucci",
                "Image source, Getty Images",
                "(c) Shutterstock",
                "Credit...Doug Mills/The New York Times",
                "A protester in Hong Kong. (AP Photo/Kin Cheung)",
                "Crowds gather. Reuters/Tyrone Siu",
            ],
            expect![[r#"
                "Photo by John Smith"
                    => MarkerPrefix marker=Some("Photo by") name="John Smith" agencies=[] range=0..19 name_range=9..19
                "PHOTO: AP Photo/Evan Vucci"
                    => MarkerPrefix marker=Some("PHOTO:") name="AP Photo/Evan Vucci" agencies=["AP"] range=0..26 name_range=7..26
                "Image source, Getty Images"
                    => MarkerPrefix marker=Some("Image source") name="Getty Images" agencies=["Getty Images"] range=0..26 name_range=14..26
                "(c) Shutterstock"
                    => Copyright marker=Some("(c)") name="Shutterstock" agencies=["Shutterstock"] range=0..16 name_range=4..16
                "Credit...Doug Mills/The New York Times"
                    => MarkerPrefix marker=Some("Credit...") name="Doug Mills/The New York Times" agencies=["The New York Times"] range=0..38 name_range=9..38
                "A protester in Hong Kong. (AP Photo/Kin Cheung)"
                    => Parenthesised marker=None name="AP Photo/Kin Cheung" agencies=["AP"] range=26..47 name_range=27..46
                "Crowds gather. Reuters/Tyrone Siu"
                    => ReutersSlash marker=None name="Reuters/Tyrone Siu" agencies=["Reuters"] range=15..33 name_range=15..33
            "#]],
        );
    }

    #[test]
    fn traditional_chinese() {
        check(
            &["圖片來源：中央社", "圖/路透社", "影片截圖", "（美聯社）"],
            expect![[r#"
                "圖片來源：中央社"
                    => MarkerPrefix marker=Some("圖片來源") name="中央社" agencies=["CNA"] range=0..24 name_range=15..24
                "圖/路透社"
                    => MarkerPrefix marker=Some("圖/") name="路透社" agencies=["Reuters"] range=0..13 name_range=4..13
                "影片截圖"
                    => Bare marker=None name="影片截圖" agencies=[] range=0..12 name_range=0..12
                "（美聯社）"
                    => Parenthesised marker=None name="美聯社" agencies=["AP"] range=0..15 name_range=3..12
            "#]],
        );
    }

    #[test]
    fn configurable_rules() {
        let rules = CreditRules::default()
            .with_marker("Bildquelle", CreditStyle::MarkerPrefix)
            .with_agency("dpa", "dpa")
            .with_placeholder("Archiv");
        let m = find_credit("Bildquelle: dpa/Kay Nietfeld", &rules).unwrap();
        assert_eq!(m.name, "dpa/Kay Nietfeld");
        assert_eq!(m.agencies, ["dpa"]);
        assert!(rules.is_placeholder("archiv"));
        assert!(!is_placeholder_credit("archiv"));
        let mut rules = CreditRules::default();
        rules.extend([Marker::new("", CreditStyle::MarkerPrefix)], []);
        assert_eq!(find_credit("x", &rules), None);
    }

    #[test]
    fn agencies() {
        let rules = CreditRules::default();
        let cases = [
            ("KREMLIN POOL/SPUTNIK/EPA", vec!["Sputnik", "EPA"]),
            ("AFP/Getty Images", vec!["AFP", "Getty Images"]),
            ("EPA-EFE/Getty", vec!["EPA", "Getty Images"]),
            ("新华社记者李响", vec!["Xinhua"]),
            ("美国之音/李逸华", vec!["VOA"]),
            ("法新社资料图片", vec!["AFP"]),
            ("AP Photo/Evan Vucci", vec!["AP"]),
            ("APT29", vec![]),
            ("Reutersville", vec![]),
            ("reuters", vec!["Reuters"]),
            ("ap", vec![]),
            ("彭博社", vec!["Bloomberg"]),
            ("中央社", vec!["CNA"]),
            ("德国之声中文网", vec!["DW"]),
            ("美国国务院", vec!["US State Department"]),
        ];
        for (text, want) in cases {
            assert_eq!(rules.agencies_in(text), want, "{text}");
        }
    }

    #[test]
    fn placeholders() {
        for yes in [
            "网络",
            "網絡",
            "网络图片",
            "图片来源",
            "Unknown",
            "TBD",
            "佚名",
            "资料图",
            "来源",
            "Credit",
            "XXX",
            "xx",
            "placeholder",
            "（网络图片）",
            " n/a ",
            "?",
            "—",
            "资料图片",
        ] {
            assert!(is_placeholder_credit(yes), "{yes}");
        }
        for no in [
            "",
            "  ",
            "Getty Images",
            "微博",
            "网络安全中心",
            "记者李宗翰",
            "Xinhua",
            "x",
        ] {
            assert!(!is_placeholder_credit(no), "{no}");
        }
    }

    #[test]
    fn agency_urls() {
        let cases = [
            (
                "https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/0683/production/_113224614_gettyimages-1228018781.jpg",
                Some("Getty Images"),
            ),
            (
                "https://ichef.bbci.co.uk/news/640/cpsprodpb/0DA1/production/_113_976_reuters_hi062.jpg",
                Some("Reuters"),
            ),
            (
                "https://ichef.bbci.co.uk/news/640/amz/worldservice/live/assets/images/2014/09/25/140925_pham_binh_minh_624x351_afp.jpg",
                Some("AFP"),
            ),
            (
                "https://www.rfa.org/mandarin/yataibaodao/zhengzhi/tj-07202020.html/ap20202.jpg/@@images/ecff28d4.jpeg",
                Some("AP"),
            ),
            ("AP_20123456789.jpg", Some("AP")),
            ("epa08512345_a.jpg", Some("EPA")),
            ("shutterstock_editorial_10712345a.jpg", Some("Shutterstock")),
            (
                "https://www.xinhuanet.com/photo/2020-07/20/x.jpg",
                Some("Xinhua"),
            ),
            (
                "//s4.reutersmedia.net/resources/r/?m=02&amp;d=20200720&amp;t=2&amp;i=1&amp;r=LYNXMPEG680B8&amp;w=600",
                Some("Reuters"),
            ),
            (
                "https://static.reuters.com/resources/r/?m=02&d=2&t=2&i=1&r=LYNXNPEH4H011",
                Some("Reuters"),
            ),
            (
                "https://ichef.bbci.co.uk/news/640/x/_1_sunburngetty.jpg",
                Some("Getty Images"),
            ),
            ("https://api.dw.com/image/16372068_303.jpg", None),
            ("https://www.example.com/app/apple_map.jpg", None),
            ("https://www.example.com/separate/depart.jpg", None),
            ("", None),
            ("%%", None),
        ];
        for (url, want) in cases {
            assert_eq!(agency_from_url(url), want, "{url}");
        }
    }

    #[test]
    fn never_panics() {
        let rules = CreditRules::default();
        let samples = [
            "",
            "(",
            ")",
            "（",
            "）",
            "()",
            "（）",
            "©",
            "(c)",
            "图/",
            "摄",
            "REUTERS/",
            "REUTERS/ x",
            "😀摄",
            "a\u{301}）",
            "))))",
            "((((x",
            "图像来源，\n",
            "|©|",
            "图片来源：（",
            "x（y）z）",
        ];
        for s in samples {
            let _ = find_credit(s, &rules);
            let _ = is_placeholder_credit(s);
            let _ = agency_from_url(s);
        }
    }
}

#[cfg(test)]
mod via_tests {
    use super::*;

    #[test]
    fn pool_via_agency_is_a_credit() {
        let text = "2020年6月30日，英国首相约翰逊发表讲话。Paul Ellis/Pool via Reuters ";
        let m = find_credit(text, &CreditRules::default()).unwrap();
        assert_eq!(m.name, "Paul Ellis/Pool via Reuters");
        assert_eq!(m.agencies, ["Reuters"]);
        assert_eq!(&text[m.name_range.start..m.name_range.end], m.name);
        // Prose that merely mentions "via" is not a credit.
        assert!(
            find_credit("He travelled via Paris to Berlin.", &CreditRules::default()).is_none()
        );
    }
}
