//! Letters and printable reports (結果通知書, 同意依頼書, 更新案内, the checklist table, …).
//!
//! Each letter is a pair of templates — HTML for printing (A4, Japanese, any browser) and
//! plain text — compiled into the binary from `fixtures/templates/`. HTML templates extend
//! `_base.html.j2` (the page and print layout) and are auto-escaped, so a facility name
//! can never inject markup; text templates are not escaped. Output files are written
//! with mode 0600 (they name people) under a name that never replaces an existing file.

pub mod checklist_report;
pub mod guidance_plan;

use crate::i18n::Lang;
use crate::jobs::formats::private_file::PartialFile;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const BASE_HTML: &str = include_str!("../../fixtures/templates/_base.html.j2");

/// One kind of letter: its name (used in file names) and its two template sources,
/// usually `include_str!`-ed by the module that owns the letter.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    pub name: &'static str,
    pub html: &'static str,
    pub text: &'static str,
}

/// A rendered letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("template {name}: {source}")]
    Template {
        name: &'static str,
        source: minijinja::Error,
    },
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl LetterError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LetterError::Template { name, source } => format!(
                "{} {name}: {source}",
                lang.t(
                    "文書の雛形に誤りがあります:",
                    "the letter template is wrong:"
                )
            ),
            LetterError::Io(e) => format!(
                "{} {e}",
                lang.t(
                    "文書を書き出せませんでした:",
                    "the letter could not be written:"
                )
            ),
        }
    }
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env
}

/// Renders both templates of `template` with `context`.
pub fn render(template: &Template, context: &impl Serialize) -> Result<Rendered, LetterError> {
    let mut env = environment();
    let err = |source| LetterError::Template {
        name: template.name,
        source,
    };
    env.add_template("_base.html", BASE_HTML).map_err(err)?;
    let html_name = format!("{}.html", template.name);
    let text_name = format!("{}.txt", template.name);
    env.add_template_owned(html_name.clone(), template.html)
        .map_err(err)?;
    env.add_template_owned(text_name.clone(), template.text)
        .map_err(err)?;
    let ctx = minijinja::Value::from(minijinja::value::Serde(context));
    let html = env
        .get_template(&html_name)
        .and_then(|t| t.render(&ctx))
        .map_err(err)?;
    let text = env
        .get_template(&text_name)
        .and_then(|t| t.render(&ctx))
        .map_err(err)?;
    Ok(Rendered { html, text })
}

/// Where a letter was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub html: PathBuf,
    pub text: PathBuf,
}

impl Written {
    /// Removes both files again (a letter whose record failed must not stay on disk
    /// looking as if it had been sent); a file already gone is not an error.
    pub fn discard(&self) {
        for p in [&self.html, &self.text] {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Writes `letter` into `dir` (created 0700 if missing) as `STEM.html` and `STEM.txt`,
/// or `STEM-1.*`, `STEM-2.*`, … when those exist: never replacing a file.
pub fn write(dir: &Path, stem: &str, letter: &Rendered) -> Result<Written, LetterError> {
    crate::store::private_fs::create_private_dir_all(dir)?;
    let stem = crate::domain::text::safe_file_stem(stem);
    let name = |n: u32, ext: &str| {
        if n == 0 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        }
    };
    // Both files take the same number: the HTML picks it, then the text follows it.
    let mut html = PartialFile::create(dir, &format!("{stem}.html"))?;
    html.file().write_all(letter.html.as_bytes())?;
    let html_path = html.persist_new(|n| name(n, "html"))?;
    let n = html_path
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.strip_prefix(&format!("{stem}-")))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut text = PartialFile::create(dir, &format!("{stem}.txt"))?;
    text.file().write_all(letter.text.as_bytes())?;
    let text_path = text.persist_new(|k| name(n + k, "txt"))?;
    Ok(Written {
        html: html_path,
        text: text_path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    const SAMPLE: Template = Template {
        name: "sample",
        html: r#"{% extends "_base.html" %}{% block body %}<h1>{{ title }}</h1><p>{{ facility }} 様</p>{% endblock %}"#,
        text: "{{ title }}\n{{ facility }} 様\n",
    };

    #[derive(Serialize)]
    struct Ctx<'a> {
        title: &'a str,
        facility: &'a str,
    }

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let r = render(
            &SAMPLE,
            &Ctx {
                title: "結果通知書",
                facility: "<script>ケア&</script>",
            },
        )
        .unwrap();
        assert!(
            r.html
                .contains("&lt;script&gt;ケア&amp;&lt;&#x2f;script&gt; 様"),
            "{}",
            r.html
        );
        assert!(r.html.contains("size: A4"));
        assert_eq!(r.text, "結果通知書\n<script>ケア&</script> 様\n");
    }

    #[test]
    fn letters_are_private_and_never_replace_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("letters");
        let r = Rendered {
            html: "<p>1</p>".into(),
            text: "1".into(),
        };
        let a = write(&out, "通知-R8-0001", &r).unwrap();
        let b = write(&out, "通知-R8-0001", &r).unwrap();
        assert_ne!(a.html, b.html);
        assert_ne!(a.text, b.text);
        assert!(b.html.ends_with("通知-R8-0001-1.html"), "{b:?}");
        assert!(b.text.ends_with("通知-R8-0001-1.txt"), "{b:?}");
        for p in [&a.html, &a.text, &b.html, &b.text] {
            let mode = std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
        let dir_mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
    }

    #[test]
    fn a_hostile_stem_stays_inside_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let r = Rendered {
            html: String::new(),
            text: String::new(),
        };
        let w = write(dir.path(), "../../etc/passwd", &r).unwrap();
        assert_eq!(w.html.parent().unwrap(), dir.path());
    }
}
