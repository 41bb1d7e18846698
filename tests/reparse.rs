//! Incremental reparsing equals a full parse: random edits (text, tags, quotes, comments,
//! entities, CJK, emoji) applied one after another, each spliced into the previous tree when
//! the parser accepts the region, and compared with a parse of the whole new text.

mod common;

use capture_lsp::syntax::{Capture, Edit};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INSERTS: &[&str] = &[
    "x",
    "字",
    " ",
    "😀",
    "<",
    ">",
    "\"",
    "'",
    "/",
    "=",
    "&",
    "&amp;",
    "-",
    "\n",
    "\r\n",
    "<b>",
    "</b>",
    "<p>",
    "</p>",
    "</div>",
    "<div>",
    "<!--",
    "-->",
    "<li>",
    "<a href=x>",
    "</a>",
    "<table>",
    "<td>",
    "<svg>",
    "<script>",
    "<form>",
    "<br/>",
    "<img src=y>",
];

/// Panic with the first lines where `got` and `want` differ (their `Debug` dumps).
fn assert_same(got: &Capture, want: &Capture, context: impl std::fmt::Display) {
    let (got, want) = (format!("{got:#?}"), format!("{want:#?}"));
    if got == want {
        return;
    }
    let (g, w): (Vec<&str>, Vec<&str>) = (got.lines().collect(), want.lines().collect());
    let at = g
        .iter()
        .zip(&w)
        .position(|(a, b)| a != b)
        .unwrap_or(g.len().min(w.len()));
    let lo = at.saturating_sub(12);
    panic!(
        "{context}\n--- incremental\n{}\n--- full\n{}",
        g[lo..(at + 6).min(g.len())].join("\n"),
        w[lo..(at + 6).min(w.len())].join("\n")
    );
}

/// Apply `steps` random edits to `text` and check every incremental result. Returns how
/// many edits were spliced incrementally.
fn run(original: &str, seed: u64, steps: usize) -> usize {
    run_episodes(original, seed, steps, 6)
}

/// [`run`] with `episode` edits between restarts from `original`.
fn run_episodes(original: &str, seed: u64, steps: usize, episode: usize) -> usize {
    let mut rng = Rng(seed | 1);
    let mut text = original.to_string();
    let mut cap = Capture::parse(&text);
    let body = cap.body.start;
    let mut spliced = 0;
    for step in 0..steps {
        // Episodes of a few edits each, so that damage does not pile up.
        if step % episode == 0 {
            text = original.to_string();
            cap = Capture::parse(&text);
        }
        if text.len() <= body + 1 {
            break;
        }
        let at = body + 1 + rng.below(text.len() - body - 1);
        let (del, ins) = match rng.below(4) {
            0 => (0, INSERTS[rng.below(INSERTS.len())]),
            1 => (0, INSERTS[rng.below(4)]),
            2 => (1 + rng.below(4), ""),
            _ => (1 + rng.below(2), INSERTS[rng.below(6)]),
        };
        if edit_and_check(&mut text, &mut cap, at, del, ins, step) {
            spliced += 1;
        }
    }
    spliced
}

/// Replace `del` bytes at `at` (both moved out to char boundaries) by `ins`; splice into
/// `cap` and compare with a full parse, or take the full parse when refused. Returns
/// whether it spliced.
fn edit_and_check(
    text: &mut String,
    cap: &mut Capture,
    at: usize,
    del: usize,
    ins: &str,
    step: usize,
) -> bool {
    let at = text.floor_char_boundary(at);
    let end = text.ceil_char_boundary((at + del).min(text.len()));
    let edit = Edit::new(at, end, ins.len());
    let before = text.clone();
    text.replace_range(at..end, ins);
    let full = Capture::parse(text);
    if cap.reparse(&before, text, edit) {
        assert_same(
            cap,
            &full,
            format_args!(
                "step {step}: {edit:?} inserting {ins:?}\nbefore: {before}\nafter: {text}"
            ),
        );
        true
    } else {
        *cap = full;
        false
    }
}

/// Seeds per document; `REPARSE_SEEDS` raises it for a long local run.
fn seeds(default: u64) -> u64 {
    std::env::var("REPARSE_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const DOCS: &[&str] = &[
    "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n<main><div><p>One <b>two</b> three.</p><p>Four &amp; five</p></div><section><h2 id=\"s\">Head</h2><ul><li>a</li><li>b</li></ul></section><div><figure><img src=\"a.jpg\" alt=\"A\"><figcaption>Cap <i>it</i></figcaption></figure></div></main>",
    "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n<div><div><p>x<p>y</div><div><table><tr><td>c</td></tr></table></div><!-- note --><div><svg><path d=\"M0\"/></svg></div><div><noscript><img src=z></noscript></div></div>",
    "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n<article><div><blockquote><p>q</p></blockquote><script>var a = '<div>';</script><div>\u{5b57}\u{1f600}\r\n<span>s</span> tail</div><dl><dt>t<dd>d</dl></div><div><a href=\"/x\">link</a> <em>e</em></div></article>",
];

/// Blocks of nested `div`s, as in news captures, with unknown and non-special elements: a
/// broken tag leaves elements open and the blocks after it move into them.
const NESTED: &str = "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n<main><div><p>Lead <span>one</span> text.</p></div><div><div><div data-e2e=\"image\"><div><div></div></div><img src=\"a.jpg\" alt=\"\"><p role=\"text\"><span>Credit</span></p></div></div></div><div><h2 id=\"h\">Head</h2></div><x-card><div><p>Card <time>now</time></p></div></x-card><div><div data-e2e=\"twitter-embed\"><div><div></div></div></div></div><section><div id=\"ad\"></div></section><div><ul><li><a href=\"/x\">x</a></li></ul></div><div><p>Tail.</p></div></main>";

/// Damage piles up over long episodes: many edits leave elements open, and later edits land
/// inside the re-nested tree.
#[test]
fn random_edits_piling_up_in_nested_blocks_equal_a_full_parse() {
    let (mut spliced, n) = (0, seeds(12));
    for seed in 0..n {
        spliced += run_episodes(NESTED, 0x00c0_ffee ^ seed, 240, 60);
    }
    // About 95 of 240 per seed (1,100 of 2,880 at the 12 seeds CI runs).
    assert!(
        spliced as u64 * 12 > 1100 * n,
        "only {spliced} edits were spliced"
    );
}

#[test]
fn random_edits_on_small_documents_equal_a_full_parse() {
    let mut spliced = 0;
    for (i, doc) in DOCS.iter().enumerate() {
        for seed in 0..seeds(8) {
            spliced += run(doc, 0x9e37_79b9 ^ (seed * 1_000 + i as u64), 150);
        }
    }
    // The fast path must actually be taken, or this test proves nothing.
    assert!(spliced > 1200, "only {spliced} edits were spliced");
}

#[test]
fn random_edits_on_the_seed_like_fixture_equal_a_full_parse() {
    let doc = include_str!("fixtures/seed_like.capture");
    let mut spliced = 0;
    for seed in 0..seeds(6) {
        spliced += run(doc, 0xdead_beef ^ seed, 200);
    }
    assert!(spliced > 700, "only {spliced} edits were spliced");
}

#[test]
fn a_text_edit_reparses_only_its_paragraph() {
    let text = DOCS[0];
    let mut cap = Capture::parse(text);
    let at = text.find("three").unwrap();
    let new = format!("{}3{}", &text[..at], &text[at..]);
    assert!(cap.reparse(text, &new, Edit::new(at, at, 1)));
    let p = cap
        .dom
        .nodes
        .iter()
        .find_map(|n| match &n.data {
            capture_lsp::syntax::html::NodeData::Text(t) if t.text(&new).contains("3three") => {
                t.range()
            }
            _ => None,
        })
        .expect("edited text node");
    assert_eq!(p.slice(&new), Some(" 3three."));
}

#[test]
fn edits_that_reach_the_header_are_refused() {
    let text = DOCS[0];
    let mut cap = Capture::parse(text);
    let new = text.replacen("[t]", "[tt]", 1);
    assert!(!cap.reparse(text, &new, Edit::new(22, 22, 1)));
}

#[test]
fn random_edits_on_corpus_captures_equal_a_full_parse() {
    let Some(files) = common::corpus_files("the corpus reparse test", false) else {
        return;
    };
    let mut spliced = 0;
    let step = if seeds(0) > 0 { 1 } else { 9 };
    for (i, path) in files.iter().step_by(step).enumerate() {
        let text = std::fs::read_to_string(path).expect("read");
        for seed in 0..seeds(1) {
            spliced += run(&text, 0x5eed ^ (i as u64 * 7919 + seed), 40);
        }
    }
    assert!(spliced > 200, "only {spliced} edits were spliced");
}

/// Found by the `reparse` fuzz target (`tests/fuzz_crashes/reparse-bom-region`): a region
/// starting with U+FEFF lost it, as html5ever drops a leading byte order mark by default.
#[test]
fn fuzz_a_region_starting_with_a_byte_order_mark() {
    let before = "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n<div>\u{feff}iviv?[4/di<div>uuuuuuuuuuuuuuuuuuuuuuu\0\0\0\0\0\0\0\0\0\0\0\0uuuuuuuuuuuuuuuuuuuu\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0>uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuucr&ipt>uuuuuuuuuuuuuuuuu</div>scrcol";
    let mut after = before.to_string();
    after.replace_range(65..70, "->>");
    let mut cap = Capture::parse(before);
    assert!(cap.reparse(before, &after, Edit::new(65, 70, 3)));
    assert_same(&cap, &Capture::parse(&after), "the U+FEFF region");
}

/// Splice `before` → `after` (one replacement at `at`), asserting it splices and equals a
/// full parse.
fn assert_splices(before: &str, at: usize, removed: usize, inserted: &str) {
    assert!(
        splice_if_right(before, at, removed, inserted),
        "not spliced: {}",
        &before[before.floor_char_boundary(at.saturating_sub(40))..]
    );
}

/// Splice if the parser allows, and then equal a full parse. Returns whether it spliced.
fn splice_if_right(before: &str, at: usize, removed: usize, inserted: &str) -> bool {
    let mut text = before.to_string();
    let mut cap = Capture::parse(before);
    edit_and_check(&mut text, &mut cap, at, removed, inserted, 0)
}

/// The capture header the tests use, then `body`.
fn capture(body: &str) -> String {
    format!("<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n{body}")
}

/// The first match of `pattern` past the middle of `doc`: an edit point among the repeated
/// blocks of a large test body.
fn past_middle(doc: &str, pattern: &str) -> usize {
    let mid = doc.floor_char_boundary(doc.len() / 2);
    mid + doc[mid..].find(pattern).expect("pattern past the middle")
}

/// A broken `</div>` leaves its `div` open: the blocks after it become its children, which
/// moves them without parsing them again.
#[test]
fn a_broken_end_tag_moves_the_following_blocks_into_the_open_element() {
    let at = NESTED.find("</h2></div><x-card>").unwrap() + 8;
    assert_splices(NESTED, at, 1, "");
    // The same in a block inside an unknown element, which is a region root too.
    let at = NESTED.find("Card").unwrap();
    assert_splices(NESTED, at, 0, "</di");
    let at = NESTED.find("<div><p>Tail").unwrap() + 2;
    assert_splices(NESTED, at, 1, "");
}

/// A lost `<` turns a child's start tag into text: its end tags are then one too many, and
/// the last closes the container itself. The container ends there, and what followed in
/// it moves up to its parent, without being parsed again.
#[test]
fn a_lost_start_tag_closes_its_container_early() {
    let at = NESTED.find("<div data-e2e=\"twitter").unwrap();
    assert_splices(NESTED, at, 1, "");
    // With more of the container after it, which moves up to `<main>`.
    let doc = NESTED.replace(
        "<div><div data-e2e=\"twitter-embed\"><div><div></div></div></div></div>",
        "<div><div data-e2e=\"twitter-embed\"><div><div></div></div></div><p>After</p><div>More</div></div>",
    );
    let at = doc.find("<div data-e2e=\"twitter").unwrap();
    assert_splices(&doc, at, 1, "");
}

/// The same where the container is most of a large body: the region around it would be too
/// large, so moving the rest up is what makes it splice.
#[test]
fn a_lost_start_tag_in_a_large_container_splices() {
    let block = "<div><p>Block text <span>here</span>.</p></div>";
    let doc = capture(&format!("<main><div>{}</div></main>", block.repeat(2000)));
    assert_splices(&doc, past_middle(&doc, "<div><p>"), 1, "");
}

/// Where the container ends early, what moves up must parse as it did: not when text
/// would merge with text after the container, an end tag in the rest now reaches an
/// ancestor (`</span>` was ignored inside the `div`, and now closes the `span`), or the
/// region's own later end tags do.
#[test]
fn moves_are_refused_where_they_would_change_the_rest() {
    let doc = capture("<main><div><div><p>x</p></div>tail text</div>after text</main>");
    splice_if_right(&doc, doc.find("<div><p>").unwrap(), 1, "");
    let doc = capture(
        "<main><span><div><q>0</q><div><p>x</p></div><i>t</i></span><i>u</i></div>z</span></main>",
    );
    splice_if_right(&doc, doc.find("<div><p>").unwrap(), 1, "");
    // Down: an element left open bearing the container's own name would take the
    // container's end tag, and the container what follows it.
    let doc =
        capture("<main><div id=\"e\"><div><p>x</p></div><p>rest</p></div><p>after</p></main>");
    let at = doc.find("</p></div><p>rest").unwrap() + "</p></d".len();
    splice_if_right(&doc, at, 1, "");
    let doc = capture("<main><span><div><em>a</em><p>x</p></div></span></main>");
    splice_if_right(&doc, doc.find("<p>").unwrap(), 0, "</div></span>");
}

/// A misspelt `<div>` (an unknown element, here without its end tag) holding most of a
/// large body is a region root itself: an edit in one of its blocks re-parses that block,
/// not all of `<main>` (which is past the size limit and would be refused).
#[test]
fn an_unknown_element_is_a_region_root() {
    let block = "<div><div><p>Block text <span>here</span>.</p></div></div>";
    let doc = capture(&format!("<main><dvi>{}</main>", block.repeat(2000)));
    assert_splices(&doc, past_middle(&doc, "<div><div><p>") + 4, 0, " x");
}

/// A broken `</div>` inside nested `div`s: every later `</div>` closes one level lower, up
/// to `<main>`, so the edited block's outer `div` stays open and takes in the blocks after
/// it. The block is re-parsed in `<main>` and the rest moved, not parsed again.
#[test]
fn a_broken_end_tag_in_nested_divs_moves_the_later_blocks() {
    let block = "<div><div><div><p>Block <span>text</span>.</p></div></div></div>";
    let nested = |n: usize| {
        capture(&format!(
            "<main>{}<section><p>End</p></section></main>",
            block.repeat(n)
        ))
    };
    let doc = nested(1500);
    assert_splices(
        &doc,
        past_middle(&doc, "</p></div>") + "</p></d".len(),
        1,
        "",
    );
    // A small document: the same.
    let small = nested(4);
    let at = small.find("</p></div>").unwrap() + "</p></d".len();
    assert_splices(&small, at, 1, "");
}

/// A stray `</div>` after the broken tag would close the element left open: the move is
/// refused (and the full parse is right).
#[test]
fn a_stray_end_tag_after_an_open_element_stops_the_move() {
    let doc = NESTED.replace("<div><p>Tail.</p></div>", "</div><div><p>Tail.</p></div>");
    let at = doc.find("</h2></div><x-card>").unwrap() + 8;
    splice_if_right(&doc, at, 1, "");
}

#[test]
fn a_region_may_start_with_u_feff() {
    let before =
        "<!--1700000000000-->\n[t](https://example.com/a)\n------\n\n<div><p>x</p>\u{feff}yy</div>";
    let at = before.find("yy").unwrap() + 1;
    let mut after = before.to_string();
    after.insert(at, 'z');
    let mut cap = Capture::parse(before);
    assert!(cap.reparse(before, &after, Edit::new(at, at, 1)));
    assert_eq!(format!("{cap:?}"), format!("{:?}", Capture::parse(&after)));
}

/// The `reparse` fuzz target's loop: `(at, delete, insert)` byte edits on a capture with
/// `body`, each spliced result compared with a full parse.
fn fuzz_ops(body: &str, ops: &[(u16, u8, &str)]) {
    let mut text = capture(body);
    let mut cap = Capture::parse(&text);
    for (step, &(at, delete, insert)) in ops.iter().enumerate() {
        let at = at as usize % (text.len() + 1);
        edit_and_check(&mut text, &mut cap, at, delete as usize % 8, insert, step);
    }
}

/// Found by the `reparse` fuzz target (`tests/fuzz_crashes/reparse-lift-in-table`) once
/// unknown elements became region roots: a region inside elements foster-parented before a
/// table. The parser is "in table" there (`</table>` closes the table, `<td>` pops back to
/// it), which a fragment parse cannot reproduce; such regions are refused now.
#[test]
fn fuzz_a_move_near_a_table() {
    fuzz_ops(
        "</>[<<table>-&d--<i<>/[v\u{a0}di<di<>/[v\u{a0}di<di/d[</di<div></table/>&",
        &[
            (25600, 45, "-\0\0<s&d--<table>-&d--\0\0<script\n>;\u{1}"),
            (29283, 105, "pt\n>;\u{1}"),
            (8202, 105, "d<=\0\0\0\0\""),
            (1084, 0, ""),
            (15974, 10, ""),
            (20817, 81, ""),
            (48928, 0, "\u{b}i/d[</di<div></table/>&"),
            (25600, 45, "-\0\0<s&d--<"),
        ],
    );
}

/// Found by the `reparse` fuzz target (`tests/fuzz_crashes/reparse-text-before-table`):
/// text inside a table is moved before it and merges into the text there, so a run of
/// children ending at that text cannot be re-parsed alone. Beside a table child only all of
/// the container's content is.
#[test]
fn fuzz_text_merged_before_a_table() {
    fuzz_ops(
        "<<table>-&d--<table>-&d--\0\0<s&d--<t",
        &[
            (27746, 101, ">-&d--\0\0<QQQ"),
            (65535, 81, ""),
            (65535, 45, ""),
        ],
    );
}
