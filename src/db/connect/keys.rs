//! Encrypted client keys (`sslpassword`): a PKCS#8 `ENCRYPTED PRIVATE KEY` (what `openssl pkey
//! -aes256` and `openssl pkcs8 -topk8` write) decrypted in memory. Never logs or keeps the passphrase.

use anyhow::{anyhow, bail, Result};
use pkcs8::der::Decode;
use rustls::pki_types::PrivateKeyDer;
use std::path::Path;

pub fn decrypt(pem: &str, password: &str, path: &Path) -> Result<PrivateKeyDer<'static>> {
    if pem.contains("Proc-Type: 4,ENCRYPTED") {
        bail!(
            "private key file {} uses OpenSSL's legacy encryption (Proc-Type: 4,ENCRYPTED), which en-migrate cannot read; convert it to PKCS#8 with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW`",
            path.display()
        );
    }
    let (label, doc) = pkcs8::SecretDocument::from_pem(pem).map_err(|e| {
        anyhow!(
            "cannot read the encrypted private key file {}: {e}",
            path.display()
        )
    })?;
    if label != "ENCRYPTED PRIVATE KEY" {
        bail!(
            "private key file {} starts with {label:?}, not ENCRYPTED PRIVATE KEY",
            path.display()
        );
    }
    let info = pkcs8::EncryptedPrivateKeyInfo::from_der(doc.as_bytes()).map_err(|e| {
        anyhow!(
            "cannot read the encrypted private key file {}: {e}",
            path.display()
        )
    })?;
    let plain = info.decrypt(password).map_err(|_| {
        anyhow!(
            "cannot decrypt private key file {}: is sslpassword right? (or its cipher is not PBES2 with AES)",
            path.display()
        )
    })?;
    Ok(PrivateKeyDer::Pkcs8(plain.as_bytes().to_vec().into()))
}
