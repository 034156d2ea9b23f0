package dev.meridian.agent.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of a region's outgoing calls (peer transfers, admin fan-out): the JDK's default trust, or
 * exactly the certificates of a PEM CA bundle when one is configured ({@code --tls-ca}).
 */
public final class TrustedCertificates {
  private TrustedCertificates() {}

  /** The JDK default without a bundle, else a context trusting the bundle's certificates only. */
  public static SSLContext sslContext(Optional<Path> caBundle) {
    try {
      if (caBundle.isEmpty()) return SSLContext.getDefault();
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      Collection<? extends Certificate> certificates;
      try (InputStream in = Files.newInputStream(caBundle.get())) {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certificates.isEmpty()) throw new IllegalArgumentException("no certificate in the CA bundle " + caBundle.get());
      int i = 0;
      for (Certificate certificate : certificates) store.setCertificateEntry("ca-" + i++, certificate);
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA bundle " + caBundle.orElse(null) + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM CA bundle: " + caBundle.orElse(null) + ": " + e.getMessage(), e);
    }
  }
}
