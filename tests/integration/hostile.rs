//! No script reaches a page: fifty cross-site-scripting vectors (after the OWASP filter
//! evasion cheat sheet) written into every kind of field — configuration, front-matter,
//! Markdown text, links and images, heading attributes, the targets table — are either
//! refused by `check` (a link scheme keikaku does not allow) or built into pages in which no
//! event handler, `javascript:`/`data:`/`vbscript:` address, script element or other
//! active element came from the content. Every page also carries a Content-Security-Policy
//! that forbids inline script.

use crate::harness::Fixture;

/// The vectors: raw HTML, attributes, addresses and template syntax.
const VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.rs/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=alert(1)//",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<SCRIPT/XSS SRC=\"http://xss.rs/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<STYLE>@import'http://xss.rs/xss.css';</style>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rs/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\">",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=\"alert(1)\">",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<xss onafterscriptexecute=alert(1)>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "{{ 7*7 }} {% if true %}x{% endif %}",
    "#set text(red) #eval(\"1\")",
    "javascript:alert(1)",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
];

/// Addresses a Markdown link or image may be given; `check` refuses them all.
const ADDRESSES: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
];

/// A YAML string holding `s` exactly (a JSON string is a YAML string).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A CSV field holding `s` exactly.
fn csv(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// What must never come from content into a page: (what, where in the page).
fn active_content(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = lower[at..].find('<') {
        let start = at + i;
        let Some(len) = lower[start..].find('>') else { break };
        let tag = &lower[start..start + len + 1];
        at = start + 1;
        let name: String = tag[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name.is_empty() {
            continue;
        }
        if name == "script" && !tag.contains("src=\"") {
            found.push(format!("inline script: {tag}"));
        }
        if name == "script" && !(tag.contains("assets/search.js") || tag.contains("/__keikaku/")) {
            found.push(format!("script element: {tag}"));
        }
        if matches!(
            name.as_str(),
            "iframe" | "object" | "embed" | "base" | "form" | "style" | "svg" | "math" | "video"
        ) && !(name == "form" && tag.contains("role=\"search\""))
            && !(name == "svg" && tag.contains("class=\"chart\""))
        {
            found.push(format!("active element: {tag}"));
        }
        // Attributes: a name after white space, before `=`.
        let mut in_quote: Option<char> = None;
        let mut word = String::new();
        for c in tag.chars() {
            match (in_quote, c) {
                (Some(q), c) if c == q => in_quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => in_quote = Some(c),
                (None, c) if c.is_whitespace() || c == '/' => word.clear(),
                (None, '=') => {
                    if word.starts_with("on") {
                        found.push(format!("event handler {word}: {tag}"));
                    }
                    word.clear();
                }
                (None, c) => word.push(c),
            }
        }
        for attr in ["href=\"", "src=\"", "action=\"", "background=\"", "data=\""] {
            let mut rest = tag;
            while let Some(j) = rest.find(attr) {
                let value = &rest[j + attr.len()..];
                let value: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect();
                if ["javascript:", "data:", "vbscript:"]
                    .iter()
                    .any(|s| value.starts_with(s))
                {
                    found.push(format!("active address: {tag}"));
                }
                rest = &rest[j + attr.len()..];
            }
        }
    }
    found
}

fn hostile_plan() -> Fixture {
    let fx = Fixture::new("small");
    let all = VECTORS.join(" ");
    let cfg = fx.read_content("keikaku.yaml");
    fx.write(
        "keikaku.yaml",
        format!("{cfg}notice: {{ja: {}, en: {}}}\n", yaml(&all), yaml(&all)).replace(
            "title: {ja: 見本市総合計画 後期基本計画",
            &format!("title: {{ja: {}", yaml(&format!("見本市総合計画{}", VECTORS[0]))),
        ),
    );
    let mut body = String::from("## 現状と課題\n\n");
    for v in VECTORS {
        body.push_str(&format!("{v}\n\n- {v}\n\n> {v}\n\n`{v}`\n\n"));
        body.push_str(&format!(
            "[{v}](https://example.jp/?q={}) ![{v}](images/a.png \"{}\")\n\n",
            v.len(),
            v.replace('"', "")
        ));
    }
    body.push_str("### 取り組み {#act .note onmouseover=alert(1) style=position:fixed;inset:0}\n\n");
    let own = fx.read_content("measures/kodomo-1.ja.md");
    body.push_str(&own[own.find("## 方針（目的）").unwrap()..]);
    fx.write(
        "measures/kodomo-1.ja.md",
        format!(
            "---\ntitle: {}\npillar: kodomo\nnumber: 1\ndepartment: {}\nsummary: {}\nsdgs: [\"4.2\"]\n---\n{body}",
            yaml(&format!("保育の充実{}", VECTORS[2])),
            yaml(VECTORS[20]),
            yaml(&all)
        ),
    );
    let targets = fx.read_content("data/targets/all.csv");
    fx.write(
        "data/targets/all.csv",
        targets
            .replace("待機児童数", &csv(&format!("待機児童数{}", VECTORS[8])))
            .replace("人,children", &format!("{},children", csv(VECTORS[19]))),
    );
    fx
}

#[test]
fn fifty_script_vectors_in_every_field_never_reach_a_page() {
    assert!(VECTORS.len() >= 50);
    let fx = hostile_plan();
    fx.build_ok();
    let mut pages = 0;
    let mut problems = Vec::new();
    for e in walkdir::WalkDir::new(fx.output()) {
        let e = e.unwrap();
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "xml") {
            continue;
        }
        let text = std::fs::read_to_string(p).unwrap();
        if ext == "html" {
            pages += 1;
            assert!(
                text.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self';"),
                "{} has no Content-Security-Policy",
                p.display()
            );
        }
        for f in active_content(&text) {
            problems.push(format!("{}: {f}", p.strip_prefix(fx.output()).unwrap().display()));
        }
    }
    assert!(pages > 50, "{pages} pages");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The text itself is shown, escaped, where it was written.
    let page = fx.read("measures/kodomo-1/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
}

#[test]
fn links_and_images_to_script_addresses_are_refused_by_check() {
    for a in ADDRESSES {
        for md in [format!("[こちら]({a})"), format!("![図]({a})")] {
            let fx = Fixture::new("small");
            let page = fx
                .read_content("measures/kodomo-1.ja.md")
                .replace("保育を充実します。", &format!("保育を充実します。{md}"));
            fx.write("measures/kodomo-1.ja.md", page);
            let r = fx.run(&["check"]);
            assert_eq!(r.code, 1, "{md} was accepted:\n{}", r.stderr);
            assert!(r.stderr.contains("measures/kodomo-1.ja.md:"), "{md}: {}", r.stderr);
        }
    }
}

#[test]
fn the_page_scanner_finds_what_it_looks_for() {
    for bad in [
        "<p onclick=\"x()\">",
        "<script>x()</script>",
        "<a href=\" javascript:x()\">",
        "<img src=\"data:image/svg+xml,x\">",
        "<iframe src=\"x\">",
    ] {
        assert!(!active_content(bad).is_empty(), "{bad}");
    }
    assert!(active_content("<a href=\"https://x/\" class=\"onx\">&lt;script&gt;</a>").is_empty());
}
