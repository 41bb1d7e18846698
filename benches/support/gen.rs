//! Deterministic generator of realistic capture files for benchmarks, fuzz seed corpora
//! and tests: BBC-style header, one-line HTML body with CJK paragraphs (emoji, NBSP,
//! zero-width characters), h2/h3 sections, figures with `图像来源` credits behind the
//! `images.weserv.nl` proxy, social-embed placeholders, media players, ads and links.
//! Variants: CRLF header line breaks, and a pretty-printed multi-line body.
//!
//! Included with `#[path]` from benches, fuzz targets and tests (it is not part of the
//! library); it has no dependencies.

#![allow(dead_code)]

/// Line-break style and body layout of a generated capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `\n` line breaks, the body on one physical line (the common real case).
    OneLine,
    /// `\r\n` line breaks (header and the body's trailing break), body on one line.
    Crlf,
    /// The body pretty-printed: one tag per line, indented by depth.
    Pretty,
}

/// A small xorshift PRNG: deterministic for a seed, no dependencies.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PHRASES: &[&str] = &[
    "习近平与普京在星期二的会谈上还提出强化双边关系的系列计划",
    "北大西洋公约组织（NATO）秘书长斯托尔滕贝格再次警告北京",
    "澳大利亞智庫洛伊研究所（The Lowy Institute）研究員對BBC指出",
    "双方强调，负责任的对话是稳步解决问题的最佳途径",
    "“两国关系远远超出双边范畴，对世界格局和人类前途、命运至关重要。”",
    "普京称愿意协助中资企业到俄国投资",
    "这是俄罗斯入侵乌克兰一年来，中国元首首次访问莫斯科",
    "英国皇家国际事务研究所（Chatham House）中国事务高级研究员对BBC评论说",
    "The summit ended without a joint plan for a ceasefire",
    "据路透社报道，会谈持续了四个小时",
    "🇨🇳🇷🇺 两国元首举杯 🥂",
    "目前,\u{a0}中国并不承认ICC权力",
    "俄方\u{200b}欢迎中方愿为通过政治外交途径解决危机发挥积极作用",
    "28 分钟前",
    "文件中阐述的建设性主张 😀",
];

const HEADINGS: &[&str] = &[
    "强调密切关系",
    "和平计划",
    "西方的反应",
    "能源合作与“西伯利亚力量二号”",
    "分析：北京的算盘 🧮",
    "What happens next",
];

const AGENCIES: &[&str] = &[
    "KREMLIN POOL/SPUTNIK/EPA",
    "Getty Images",
    "REUTERS/Evgenia Novozhenina",
    "AFP",
    "EPA-EFE/REX/Shutterstock",
    "新华社",
];

const CAPTIONS: &[&str] = &[
    "习近平（左）与普京（右）在莫斯科克里姆林宫宴会上祝酒（21/3/2023）",
    "莫斯科克里姆林宫内俄中两国元首与官员出席欢迎仪式",
    "普京在克里姆林宫以盛大排场迎接习近平。",
    "A view of the Kremlin at dusk",
];

/// Generate a capture of about `target` bytes (never less; overshoot is one block).
pub fn capture(target: usize, seed: u64, layout: Layout) -> String {
    let mut rng = Rng::new(seed);
    let nl = if layout == Layout::Crlf { "\r\n" } else { "\n" };
    let id = 65_000_000 + rng.below(999_999);
    let mut out = String::with_capacity(target + 4096);
    out.push_str(&format!(
        "<!--{}-->{nl}",
        1_679_425_984_000u64 + rng.below(1_000_000) as u64 * 1000
    ));
    out.push_str(&format!(
        "[习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机” #{seed}](https://www.bbc.com/zhongwen/simp/chinese-news-{id}){nl}"
    ));
    out.push_str(&format!("------{nl}{nl}"));
    let header_len = out.len();
    let mut body = String::with_capacity(target + 4096);
    body.push_str(
        "<main role=\"main\"><div></div><div><time dateTime=\"2023-03-21\">28 分钟前</time></div>",
    );
    let mut n = 0usize;
    while header_len + body.len() + 16 < target {
        block(&mut body, &mut rng, n);
        n += 1;
    }
    body.push_str("<div><p><a href=\"https://feeds.bbci.co.uk/zhongwen/simp/rss.xml\">获取更多RSS</a></p></div></main>");
    match layout {
        Layout::Pretty => out.push_str(&pretty(&body)),
        _ => out.push_str(&body),
    }
    out.push_str(nl);
    out
}

fn paragraph_text(out: &mut String, rng: &mut Rng) {
    let n = 1 + rng.below(4);
    for i in 0..n {
        if i > 0 {
            out.push('，');
        }
        out.push_str(rng.pick(PHRASES));
    }
    out.push('。');
}

fn block(out: &mut String, rng: &mut Rng, n: usize) {
    let kind = rng.below(100);
    match kind {
        0..=49 => {
            out.push_str("<div><p>");
            paragraph_text(out, rng);
            if rng.chance(40) {
                let target = rng.below(99_999_999);
                if rng.chance(70) {
                    out.push_str(&format!("<a href=\"/zhongwen/simp/world-{target}\">"));
                } else {
                    out.push_str(&format!(
                        "<a href=\"http://www.news.cn/politics/2023-03/21/c_{target}.htm\" aria-label=\"新华社, 外部\">"
                    ));
                }
                out.push_str(rng.pick(PHRASES));
                out.push_str("</a>");
                paragraph_text(out, rng);
            }
            out.push_str("</p></div>");
        }
        50..=54 => {
            out.push_str("<div><p><b>");
            out.push_str(rng.pick(HEADINGS));
            out.push_str("</b></p></div>");
        }
        55..=61 => {
            let h = rng.pick(HEADINGS);
            let level = if rng.chance(70) { 2 } else { 3 };
            out.push_str(&format!(
                "<div><h{level} id=\"{h}-{n}\" tabindex=\"-1\">{h}</h{level}></div>"
            ));
        }
        62..=77 => figure(out, rng, n),
        78..=81 => {
            let status = 1_638_167_790_505_930_759u64 + rng.below(1_000_000) as u64;
            out.push_str(&format!(
                "<div><div data-e2e=\"twitter-embed-https://twitter.com/bbcchinese/status/{status}\"><div><div></div></div></div></div>"
            ));
        }
        82..=84 => {
            out.push_str(&format!(
                "<div><div data-e2e=\"instagram-embed-https://www.instagram.com/p/Cq{n:06}/\"><div><div></div></div></div></div>"
            ));
        }
        85..=89 => {
            let pid = format!("p0f{:05x}", rng.below(0xfffff));
            out.push_str(&format!(
                "<div><div><div data-e2e=\"media-player\"><iframe src=\"https://www.bbc.com/ws/av-embeds/cps/zhongwen/simp/chinese-news-{n}/{pid}/zh-hans\" title=\"多媒体播放器\" allow=\"autoplay\" scrolling=\"no\" loading=\"lazy\" allowfullscreen=\"\" width=\"645.25\" height=\"362.953125\"></iframe><noscript><div><img alt=\"\" src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/images/ic/512xn/{pid}.jpg\" aria-hidden=\"true\"/><div><strong>你的器材不支持播放多媒体材料</strong></div></div></noscript></div><p>"
            ));
            paragraph_text(out, rng);
            out.push_str("</p></div></div>");
        }
        90..=92 => {
            out.push_str(&format!(
                "<section aria-label=\"广告 {n}\" aria-hidden=\"true\" role=\"region\" data-e2e=\"advertisement\"><div id=\"dotcom-mpu-{n}\"></div></section>"
            ));
        }
        _ => {
            out.push_str("<div><ul role=\"list\">");
            for _ in 0..(2 + rng.below(4)) {
                out.push_str(&format!(
                    "<li role=\"listitem\"><a href=\"/zhongwen/simp/world-{}\">",
                    64_000_000 + rng.below(999_999)
                ));
                out.push_str(rng.pick(PHRASES));
                out.push_str("</a></li>");
            }
            out.push_str("</ul></div>");
        }
    }
}

fn figure(out: &mut String, rng: &mut Rng, n: usize) {
    let hex = format!("{:04X}", rng.below(0xffff));
    let file = format!(
        "_{}_{n}-shutterstock_editorial_{}.jpg",
        129_071_000 + rng.below(999),
        rng.below(99_999)
    );
    let caption = rng.pick(CAPTIONS);
    out.push_str("<div><div><div><div data-e2e=\"image-placeholder\">");
    if rng.chance(50) {
        out.push_str("<img sizes=\"(min-width: 1008px) 645px, 100vw\" srcSet=\"");
        for (i, w) in [240, 320, 480, 624, 800].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!(
                "https://ichef.bbci.co.uk/news/{w}/cpsprodpb/{hex}/production/{file} {w}w"
            ));
        }
        out.push_str("\" ");
    } else {
        out.push_str("<div><div></div></div><img ");
    }
    let alt = if rng.chance(85) { caption } else { "" };
    out.push_str(&format!(
        "src=\"https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/{hex}/production/{file}\" alt=\"{alt}\" width=\"976\" height=\"549\"/>"
    ));
    if rng.chance(80) {
        out.push_str("<p role=\"text\"><span>图像来源，</span><span>");
        out.push_str(rng.pick(AGENCIES));
        out.push_str("</span></p>");
    }
    out.push_str("</div>");
    if rng.chance(70) {
        out.push_str("<div><p>");
        out.push_str(caption);
        out.push_str("</p></div>");
    }
    out.push_str("</div></div></div>");
}

/// Break the body after every tag that is followed by another tag, indenting by depth.
fn pretty(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    let bytes = body.as_bytes();
    let mut depth = 0usize;
    let mut i = 0usize;
    let mut last = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'>' && bytes.get(i + 1) == Some(&b'<') {
            // the tag that just ended starts at the last '<' before i
            let tag_start = body[..i].rfind('<').unwrap_or(0);
            let tag = &body[tag_start..=i];
            if !tag.starts_with("</") && !tag.ends_with("/>") && !tag.starts_with("<!") {
                depth += 1;
            }
            out.push_str(&body[last..=i]);
            out.push('\n');
            if bytes.get(i + 2) == Some(&b'/') {
                depth = depth.saturating_sub(1);
            }
            for _ in 0..depth.min(40) {
                out.push_str("  ");
            }
            last = i + 1;
        }
        i += 1;
    }
    out.push_str(&body[last..]);
    out
}

/// `../shared` beside the repository, or `$CAPTURE_SHARED`.
pub fn shared_dir() -> std::path::PathBuf {
    std::env::var_os("CAPTURE_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The largest capture (`*.txt`) in a corpus directory, if there is one.
pub fn largest_corpus_file(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".txt"))
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .map(|e| e.path())
}
