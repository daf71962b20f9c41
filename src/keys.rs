//! The server's own key, for keyed hashes of what must be recognised but not read back: return
//! codes (so that a copy of the database cannot open live drafts by trying every code), and the
//! references and device entry ids of erased responses (so that an erased response cannot come back,
//! without keeping the reference that would identify it).
//!
//! The key is `SERVER_KEY` when set (64 hex digits; every instance of a service needs the same).
//! Otherwise, on SQLite, it is made at first start and kept in a file beside the database
//! (`DATABASE.key`, readable by its owner only): backups copy the database, not the key, so a
//! stolen backup holds only hashes it cannot test codes against. On PostgreSQL without the
//! setting it is made at first start and kept in the database, so that every instance shares it;
//! a dump then carries it (the log says so at start, and the README).

use crate::db::{Backend, Db};
use anyhow::Context;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

#[derive(Clone)]
pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(..)")
    }
}

/// What a keyed hash is of, so that one value hashed for two purposes gives two hashes.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    ReturnCode,
    ErasedReference,
    ErasedEntry,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::ReturnCode => b"return-code",
            Purpose::ErasedReference => b"erased-reference",
            Purpose::ErasedEntry => b"erased-entry",
        }
    }
}

impl ServerKey {
    /// The key from `SERVER_KEY`, or the one kept for this database (made if there is none).
    pub async fn load(setting: Option<&str>, db: &Db) -> anyhow::Result<ServerKey> {
        if let Some(hex) = setting.filter(|s| !s.trim().is_empty()) {
            return ServerKey::parse(hex.trim()).context("SERVER_KEY must be 64 hexadecimal digits");
        }
        match (db.backend, &db.sqlite_path) {
            (Backend::Sqlite, Some(path)) => ServerKey::beside(path),
            _ => ServerKey::in_database(db).await,
        }
    }

    fn parse(hex: &str) -> Option<ServerKey> {
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| hex.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
            .collect::<Option<_>>()?;
        bytes.try_into().ok().map(ServerKey)
    }

    /// A new random key.
    pub fn generate() -> ServerKey {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        ServerKey(key)
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The key in `DATABASE.key` beside the SQLite file, made (owner-only) if it is missing.
    fn beside(database: &std::path::Path) -> anyhow::Result<ServerKey> {
        let mut name = database.as_os_str().to_owned();
        name.push(".key");
        let file = std::path::PathBuf::from(name);
        if let Ok(text) = std::fs::read_to_string(&file) {
            return ServerKey::parse(text.trim()).with_context(|| format!("{} does not hold a key", file.display()));
        }
        let key = ServerKey::generate();
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&file) {
            Ok(mut out) => {
                out.write_all(key.hex().as_bytes())?;
                out.sync_all()?;
                Ok(key)
            }
            // Another process made it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => ServerKey::beside(database),
            Err(e) => Err(e).with_context(|| format!("could not write the server key to {}", file.display())),
        }
    }

    async fn in_database(db: &Db) -> anyhow::Result<ServerKey> {
        let made = ServerKey::generate();
        // The first instance to start makes it; every other reads that one.
        sqlx::query("INSERT INTO server_key (id, value) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
            .bind(made.hex())
            .execute(&db.write)
            .await?;
        let kept: String = sqlx::query_scalar("SELECT value FROM server_key WHERE id = 1").fetch_one(&db.write).await?;
        // Said at info: the command line writes downloads to standard output, where a warning
        // would land in the file. The README's Backups section says it plainly.
        tracing::info!(
            "SERVER_KEY is not set: the key for return codes is kept in the database, so a copy of the database holds it too"
        );
        ServerKey::parse(&kept).context("the server key kept in the database is not a key")
    }

    /// The keyed hash (HMAC-SHA256) of `value` for `purpose`, as hex.
    pub fn digest(&self, purpose: Purpose, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(purpose.label());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_the_key_and_the_purpose() {
        let (a, b) = (ServerKey::generate(), ServerKey::generate());
        assert_eq!(a.digest(Purpose::ReturnCode, "KDP74XRM"), a.digest(Purpose::ReturnCode, "KDP74XRM"));
        assert_ne!(a.digest(Purpose::ReturnCode, "KDP74XRM"), b.digest(Purpose::ReturnCode, "KDP74XRM"));
        assert_ne!(a.digest(Purpose::ReturnCode, "KDP74XRM"), a.digest(Purpose::ErasedReference, "KDP74XRM"));
        assert_eq!(ServerKey::parse(&a.hex()).unwrap().0, a.0);
        assert!(ServerKey::parse("abc").is_none() && ServerKey::parse(&"zz".repeat(32)).is_none());
    }

    #[test]
    fn the_key_beside_a_database_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("survey.sqlite3");
        let first = ServerKey::beside(&db).unwrap();
        assert_eq!(ServerKey::beside(&db).unwrap().0, first.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("survey.sqlite3.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "owner only");
        }
    }
}
