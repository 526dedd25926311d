//! TLS for the connection, with libpq's sslmode semantics over rustls: `prefer` and `require` encrypt
//! without verifying (unless a root certificate is there, as libpq does for `require`), `verify-ca`
//! checks the chain only, `verify-full` the chain and the host name. It also presents the client
//! certificate (`sslcert`/`sslkey`) and holds to `ssl_min/max_protocol_version` and `sslsni`. Never
//! falls back to plaintext where the mode says TLS; that decision is tokio-postgres's `SslMode::Require`.

use super::target::{SslMode, Target};
use anyhow::{bail, Context, Result};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;

pub fn tls_config(target: &Target) -> Result<rustls::ClientConfig> {
    let t = &target.tls;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions: Vec<&'static rustls::SupportedProtocolVersion> =
        [&rustls::version::TLS12, &rustls::version::TLS13]
            .into_iter()
            .filter(|v| !(t.min_tls13 && v.version == rustls::ProtocolVersion::TLSv1_2))
            .filter(|v| !(t.max_tls12 && v.version == rustls::ProtocolVersion::TLSv1_3))
            .collect();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&versions)
        .context("TLS set-up")?;
    let client = client_cert(target)?;
    let verify = matches!(t.mode, SslMode::VerifyCa | SslMode::VerifyFull);
    // libpq: with a root certificate present, `require` verifies the chain too.
    let check_chain = verify || (t.mode == SslMode::Require && t.rootcert.is_some());
    let builder = if !check_chain {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
    } else {
        let mut roots = rustls::RootCertStore::empty();
        match t.rootcert.as_deref() {
            Some("system") => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            Some(path) => {
                for cert in read_certs(Path::new(path), "sslrootcert")? {
                    roots.add(cert).with_context(|| format!("bad certificate in sslrootcert {path}"))?;
                }
            }
            None => bail!("sslmode={:?} needs a root certificate: set sslrootcert=/path/to/ca.pem (or sslrootcert=system)", t.mode),
        }
        let inner =
            rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .context("TLS verifier")?;
        if t.mode == SslMode::VerifyFull {
            builder.with_webpki_verifier(inner)
        } else {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(ChainOnly(inner)))
        }
    };
    let mut config = match client {
        Some((chain, key)) => builder
            .with_client_auth_cert(chain, key)
            .context("the client certificate (sslcert) does not match its key (sslkey)")?,
        None => builder.with_no_client_auth(),
    };
    config.enable_sni = t.sni;
    Ok(config)
}

fn read_certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>> {
    let pem =
        std::fs::read(path).with_context(|| format!("cannot read {what} {}", path.display()))?;
    let certs = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("bad certificate in {what} {}", path.display()))?;
    if certs.is_empty() {
        bail!("{what} {} holds no PEM certificate", path.display());
    }
    Ok(certs)
}

/// The client certificate and its key, as libpq finds them: `sslcert` or `~/.postgresql/postgresql.crt`
/// (the default is optional; a named file must exist), then `sslkey` or `~/.postgresql/postgresql.key`,
/// which must be private to its owner.
fn client_cert(
    target: &Target,
) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>> {
    let t = &target.tls;
    let Some(cert) = &t.cert else { return Ok(None) };
    if !cert.exists() {
        if t.cert_explicit {
            bail!(
                "sslcert {} does not exist; fix sslcert/PGSSLCERT or remove it",
                cert.display()
            );
        }
        return Ok(None);
    }
    let chain = read_certs(cert, "sslcert")?;
    let Some(key) = &t.key else {
        bail!("certificate present, but no private key file: set sslkey");
    };
    check_key_permissions(key)?;
    let pem = std::fs::read(key).with_context(|| {
        format!(
            "certificate present, but cannot read private key file {} (sslkey)",
            key.display()
        )
    })?;
    let text = String::from_utf8_lossy(&pem);
    if text.contains("ENCRYPTED") {
        return match &t.password {
            Some(pw) => super::keys::decrypt(&text, pw, key).map(|k| Some((chain, k))),
            None => bail!(
                "private key file {} is encrypted; give its passphrase with sslpassword=",
                key.display()
            ),
        };
    }
    let key_der = rustls_pemfile::private_key(&mut pem.as_slice())
        .with_context(|| format!("bad private key in sslkey {}", key.display()))?
        .with_context(|| format!("sslkey {} holds no PEM private key", key.display()))?;
    Ok(Some((chain, key_der)))
}

/// libpq's rule: a key owned by this user must be u=rw (0600) or less, one owned by root u=rw,g=r
/// (0640) or less; anything else is refused, since others could have read it.
fn check_key_permissions(key: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = match std::fs::metadata(key) {
        Ok(m) => m,
        Err(e) => {
            return Err(e).with_context(|| {
                format!(
                    "certificate present, but not private key file {} (sslkey)",
                    key.display()
                )
            })
        }
    };
    if !meta.is_file() {
        bail!("private key file {} is not a regular file", key.display());
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let mode = meta.mode();
    if (meta.uid() == me && mode & 0o077 != 0) || (meta.uid() == 0 && mode & 0o037 != 0) {
        bail!(
            "private key file {} has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root",
            key.display()
        );
    }
    Ok(())
}

/// sslmode=prefer/require without a root certificate: encrypt, verify nothing (libpq's behaviour).
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

/// sslmode=verify-ca: the chain must lead to the root, the host name is not checked.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.0.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.0.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end: &CertificateDer<'_>,
        im: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(end, im, name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(m, c, d)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(m, c, d)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
