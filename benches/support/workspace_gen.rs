//! Generator of a realistic workspace of N captures for the workspace benchmark and tests.
//!
//! Bodies come from templates: the real captures of `../shared/corpus` when present (each
//! keeps its size, markup and CJK text), else a built-in BBC-style template. Each generated
//! capture gets its own timestamp, title and BBC source URL, and a related-links block with
//! root-relative links to other generated captures (so backlinks exist), plus a proxied
//! image drawn from a shared pool (so images recur across captures, some credited). Files
//! are spread over folders of 1,000, with `.md`, `.txt` and `.capture` extensions.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Words mixed into titles so that Latin and CJK queries find varied numbers of hits.
pub const LATIN_WORDS: &[&str] = &[
    "Summit",
    "Election",
    "Protest",
    "Economy",
    "Climate",
    "Diplomacy",
    "Sanctions",
    "Technology",
    "Pandemic",
    "Border",
    "Trade",
    "Energy",
    "Military",
    "Court",
    "Media",
];
pub const CJK_WORDS: &[&str] = &[
    "峰会", "选举", "抗议", "经济", "气候", "外交", "制裁", "科技", "疫情", "边境", "贸易", "能源",
    "军事", "法院", "媒体",
];

/// A template: a title and a body (HTML, one line).
pub struct Template {
    pub title: String,
    pub body: String,
}

/// Templates from a corpus folder of captures (bodies only); the built-in one when the
/// folder is missing or empty.
pub fn templates(corpus: &Path) -> Vec<Template> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(corpus) {
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            let h = capture_lsp::syntax::header::parse_header(&text);
            if !h.is_capture {
                continue;
            }
            let body = text
                .get(h.body_content.start..h.body_content.end)
                .unwrap_or_default()
                .replace('\n', " ");
            if body.trim().is_empty() {
                continue;
            }
            let title = h.title.map(|t| t.text).unwrap_or_default();
            out.push(Template { title, body });
        }
    }
    if out.is_empty() {
        out.push(Template {
            title: "习近平普京峰会：中俄元首同意通过和谈解决乌克兰危机".into(),
            body: builtin_body(),
        });
    }
    out
}

fn builtin_body() -> String {
    let mut b = String::from(
        "<main role=\"main\"><div><time dateTime=\"2023-03-21\">2023年3月21日</time></div>",
    );
    for i in 0..12 {
        b.push_str(&format!(
            "<p>中国国家主席习近平与俄罗斯总统普京在莫斯科举行会谈，双方讨论了乌克兰危机与双边关系（第{i}段）。</p>"
        ));
        if i % 4 == 1 {
            b.push_str("<h2>国际社会的反应</h2>");
        }
    }
    b.push_str("</main>");
    b
}

/// A small deterministic PRNG (xorshift), so that runs are reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The article id of generated capture `i`.
pub fn article_id(i: usize) -> usize {
    60_000_000 + i
}

/// The text of generated capture `i` of `n`.
pub fn capture(i: usize, n: usize, templates: &[Template], rng: &mut Rng) -> String {
    let t = &templates[i % templates.len()];
    let latin = LATIN_WORDS[rng.below(LATIN_WORDS.len())];
    let cjk = CJK_WORDS[rng.below(CJK_WORDS.len())];
    let ts = 1_577_836_800_000u64 + (i as u64) * 3_600_000;
    let mut s = String::with_capacity(t.body.len() + 1024);
    s.push_str(&format!("<!--{ts}-->\n"));
    s.push_str(&format!(
        "[{cjk}：{} {latin} Report {i}](https://www.bbc.com/zhongwen/simp/world-{})\n------\n\n",
        t.title.replace(['[', ']'], ""),
        article_id(i)
    ));
    // Shared image pool: 1 in 4 uses of an image carries a credit.
    let img = rng.below(n / 4 + 1);
    let fig = format!(
        "<figure><img src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/{img:x}/production/_{img}_pool.jpg\" alt=\"{cjk}\" width=\"976\" height=\"549\"/>{}</figure>",
        if rng.below(4) == 0 {
            format!(
                "<p role=\"text\"><span>图像来源，</span><span>Agency {}</span></p>",
                img % 97
            )
        } else {
            String::new()
        }
    );
    let mut related = String::from("<section><h2>相关内容 Related</h2><ul>");
    for _ in 0..3 {
        let j = rng.below(n);
        related.push_str(&format!(
            "<li><a href=\"/zhongwen/simp/world-{}\">{} {j}</a></li>",
            article_id(j),
            LATIN_WORDS[j % LATIN_WORDS.len()]
        ));
    }
    related.push_str("</ul></section>");
    s.push_str(&fig);
    s.push_str(&t.body);
    s.push_str(&related);
    s.push('\n');
    s
}

/// Write `n` captures under `dir` (folders of 1,000); returns the paths.
pub fn generate(dir: &Path, n: usize, templates: &[Template]) -> std::io::Result<Vec<PathBuf>> {
    let mut rng = Rng::new(0x5eed);
    let mut paths = Vec::with_capacity(n);
    for i in 0..n {
        let folder = dir.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let ext = ["md", "md", "txt", "capture"][i % 4];
        let p = folder.join(format!("world-{}.{ext}", article_id(i)));
        std::fs::write(&p, capture(i, n, templates, &mut rng))?;
        paths.push(p);
    }
    Ok(paths)
}
