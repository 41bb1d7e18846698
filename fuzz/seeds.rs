//! Writes the fuzz seed corpora from the deterministic generator and hand-written header
//! variants. Run by `fuzz/seed.sh` (plain rustc, no dependencies).

#[path = "../benches/support/gen.rs"]
mod generator;

use generator::Layout;
use std::fs;

const HEADERS: &[&str] = &[
    "<!--1679425984000-->\n[习近平普京峰会：中俄元首同意“通过和谈解决乌克兰危机”](https://www.bbc.com/zhongwen/simp/chinese-news-65032731)\n------\n\n<main><p>x</p></main>",
    "[标题](http://www.rfi.fr//cn/%E4%B8%AD%E5%9B%BD/20200627?x=1)\n------\n日期：Sat, 27 Jun 2020 13:30:55 +0000\n\n<div>body</div>",
    "---\nlayout: post\ntitle: \"美国之音\"\ndate: 2020-11-30 12:00:00 +0800\nauthor: x\nfrom: https://www.voachinese.com/a/1.html\ntags: [ 美国之音 ]\n---\n<!--1606708800000-->\n[美国之音](https://www.voachinese.com/a/1.html)\n------\n\n<div>\n<p>one line</p>\n</div>\n",
    "<!--1679425984-->\n[[视频]“嵌套”&quot;标题&quot;\u{200b}](https://example.com/a)\n------\n\n<p>",
    "\u{feff}<!--1679425984000-->\r\n[a title that runs\r\nover lines](https://example.com/x)\r\n------\r\n\r\n<p>crlf</p>\r\n",
    "<!--abc-->\n[](/relative/url)\n-----\n\n",
    "<!--1679425984000-->\n[t](https://x.y/z)\n------\n\n<svg><![CDATA[ > <p> ]]></svg><noscript><img src=a></noscript><divclass=\"m-block-ad \"data-tms-ad-type=x></div></span><table><tr><td>x</table><script>var a='</div>';</script><!-- capture-lsp: ignore CAP101 reason -->",
];

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "fuzz/corpus".into());
    for target in ["header", "body", "analysis"] {
        let d = format!("{dir}/{target}");
        fs::create_dir_all(&d).unwrap();
        for (i, h) in HEADERS.iter().enumerate() {
            fs::write(format!("{d}/hand-{i}"), h).unwrap();
        }
        if target != "header" {
            for (i, layout) in [Layout::OneLine, Layout::Crlf, Layout::Pretty].into_iter().enumerate() {
                for seed in 0..3u64 {
                    let size = [1500, 4000, 12000][seed as usize];
                    let text = generator::capture(size, seed * 10 + i as u64, layout);
                    let text = if target == "body" {
                        text.split_once("\n\n").map(|(_, b)| b.to_string()).unwrap_or(text)
                    } else {
                        text
                    };
                    fs::write(format!("{d}/gen-{i}-{seed}"), text).unwrap();
                }
            }
        }
    }
}
