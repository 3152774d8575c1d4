//! TLS for PostgreSQL connections, with libpq's meanings of `sslmode`, over
//! rustls and its `ring` provider: which roots a connection trusts
//! (`sslrootcert`, `~/.postgresql/root.crt`, or the system's with
//! `sslrootcert=system`), and the three ways a server's certificate is
//! checked — not at all (`require` without a root file), its chain only
//! (`verify-ca`), its chain and the host's name (`verify-full`). Every way
//! still checks the handshake's signatures, so the peer holds the key of the
//! certificate it shows (which channel binding relies on).
//!
//! It builds a configuration only when a connection is about to use TLS
//! (`connect` asks for one lazily); it never opens a connection itself and
//! never reads a password.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_cert_signed_by_trust_anchor};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::conninfo::SslMode;

/// The value of `sslrootcert` that means the system's roots (libpq 16's).
pub const SYSTEM_ROOTS: &str = "system";

/// Where a connection's trusted roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// A PEM file of certificates.
    File(PathBuf),
    /// The operating system's store (rustls-native-certs: /etc/ssl/certs).
    System,
}

/// How the server's certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Not at all (`allow`, `prefer`, `require` without a root file):
    /// encryption against a passive listener only, as in libpq.
    None,
    /// Its chain to one of `roots`, whatever name it is for (`verify-ca`,
    /// and `require` when a root file exists, as libpq does).
    Chain(Roots),
    /// Its chain and the host name connected to (`verify-full`).
    ChainAndName(Roots),
}

impl Verification {
    /// The check `mode` asks for, given the `sslrootcert` setting and the
    /// default root file (`~/.postgresql/root.crt`). `Err` is a setting
    /// libpq refuses too, in words for the user.
    pub fn for_mode(
        mode: SslMode,
        sslrootcert: Option<&Path>,
        default_root_file: Option<&Path>,
    ) -> Result<(SslMode, Verification), String> {
        if sslrootcert == Some(Path::new(SYSTEM_ROOTS)) {
            // libpq 16: the system's roots are for verify-full only, since
            // any public certificate chains to them. `prefer` is also what
            // an unset sslmode reads as, which libpq makes verify-full.
            return match mode {
                SslMode::VerifyFull | SslMode::Prefer => Ok((
                    SslMode::VerifyFull,
                    Verification::ChainAndName(Roots::System),
                )),
                weak => Err(format!(
                    "sslmode={weak} cannot be used with sslrootcert=system (use sslmode=verify-full)"
                )),
            };
        }
        let file = match sslrootcert {
            Some(path) => path.to_owned(),
            None => match default_root_file {
                Some(path) => path.to_owned(),
                None if mode.verifies_chain() => {
                    return Err(format!(
                        "sslmode={mode} needs a root certificate: there is no home directory for \
                         ~/.postgresql/root.crt, so give sslrootcert=FILE (or sslrootcert=system \
                         with verify-full)"
                    ));
                }
                None => return Ok((mode, Verification::None)),
            },
        };
        let exists = file.exists();
        let verification = match mode {
            SslMode::VerifyFull | SslMode::VerifyCa if !exists => {
                return Err(format!(
                    "the root certificate file {} does not exist: give sslrootcert=FILE, \
                     sslrootcert=system with verify-full, or a weaker sslmode",
                    file.display()
                ));
            }
            SslMode::VerifyFull => Verification::ChainAndName(Roots::File(file)),
            // libpq: with a root file present, every mode that uses TLS
            // checks the chain.
            _ if exists => Verification::Chain(Roots::File(file)),
            _ => Verification::None,
        };
        Ok((mode, verification))
    }

    /// The TLS connector for this check. It reads the root file or the
    /// system's store now, so it is made only when a connection uses TLS.
    pub fn connector(&self) -> Result<MakeRustlsConnect, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> = match self {
            Verification::None => Arc::new(AnyCertificate {
                provider: provider.clone(),
            }),
            Verification::Chain(roots) => Arc::new(ChainOnly {
                roots: Arc::new(load_roots(roots)?),
                provider: provider.clone(),
            }),
            Verification::ChainAndName(roots) => WebPkiServerVerifier::builder_with_provider(
                Arc::new(load_roots(roots)?),
                provider.clone(),
            )
            .build()
            .map_err(|e| format!("cannot check certificates: {e}"))?,
        };
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(MakeRustlsConnect::new(config))
    }
}

/// The certificates of `roots`; none is an error.
fn load_roots(roots: &Roots) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::File(path) => {
            let shown = path.display();
            let certificates = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("cannot read the root certificate file {shown}: {e}"))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("cannot read the root certificate file {shown}: {e}"))?;
            let (added, _) = store.add_parsable_certificates(certificates);
            if added == 0 {
                return Err(format!(
                    "the root certificate file {shown} holds no usable certificate"
                ));
            }
        }
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            let (added, _) = store.add_parsable_certificates(found.certs);
            if added == 0 {
                let causes = found
                    .errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                return Err(format!(
                    "sslrootcert=system: the system has no root certificates ({})",
                    if causes.is_empty() {
                        "none found"
                    } else {
                        &causes
                    }
                ));
            }
        }
    }
    Ok(store)
}

/// `require` without a root file: any certificate, but the handshake's
/// signatures are checked against the one shown.
struct AnyCertificate {
    provider: Arc<CryptoProvider>,
}

/// `verify-ca`: the chain to a trusted root (with validity dates and key
/// usage), not the name.
struct ChainOnly {
    roots: Arc<RootCertStore>,
    provider: Arc<CryptoProvider>,
}

impl fmt::Debug for AnyCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AnyCertificate")
    }
}

impl fmt::Debug for ChainOnly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ChainOnly({} roots)", self.roots.len())
    }
}

/// The handshake-signature half of a verifier, the same for both.
macro_rules! handshake_signatures {
    () => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
    };
}

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    handshake_signatures!();
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let certificate = ParsedCertificate::try_from(end_entity)?;
        verify_server_cert_signed_by_trust_anchor(
            &certificate,
            &self.roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    handshake_signatures!();
}
