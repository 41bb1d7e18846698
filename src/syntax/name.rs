//! Tag and attribute names as interned atoms: no allocation for the names HTML knows, one
//! shared copy of any other, and comparison by pointer.

use std::fmt;
use std::ops::Deref;

use html5ever::LocalName;

/// A lowercase tag or attribute name. Compares with `&str` directly (`name == "div"`).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(LocalName);

impl Name {
    /// Intern `name` as written (callers lowercase HTML names first).
    pub fn new(name: &str) -> Name {
        Name(LocalName::from(name))
    }

    /// Intern `bytes` lowercased (lossily decoded if they are not UTF-8). Short ASCII
    /// names, the common case, are lowercased on the stack.
    pub fn lowercase(bytes: &[u8]) -> Name {
        let mut buf = [0u8; 32];
        if bytes.len() <= buf.len() && bytes.is_ascii() {
            let buf = &mut buf[..bytes.len()];
            buf.copy_from_slice(bytes);
            buf.make_ascii_lowercase();
            // ASCII bytes are valid UTF-8.
            return Name::new(std::str::from_utf8(buf).unwrap_or_default());
        }
        Name::new(&String::from_utf8_lossy(bytes).to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn from_local(local: LocalName) -> Name {
        Name(local)
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == &*other.0
    }
}

impl From<&str> for Name {
    fn from(name: &str) -> Name {
        Name::new(name)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;

    #[test]
    fn compares_with_strings_and_lowercases() {
        assert_eq!(Name::lowercase(b"DiV"), "div");
        assert_eq!(Name::lowercase(b"my-custom-element"), *"my-custom-element");
        assert_eq!(Name::lowercase("ÉTÉ-X".as_bytes()), "ÉtÉ-x");
        assert_eq!(Name::lowercase(&[b'A', 0xff]), "a\u{fffd}");
        let long = "X".repeat(40);
        assert_eq!(Name::lowercase(long.as_bytes()), "x".repeat(40));
        assert_eq!(format!("{:?}", Name::new("img")), "\"img\"");
        assert_ne!(Name::new("a"), Name::new("b"));
    }
}
