package dev.meridian.agent.security;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listener's TLS identity: a PEM certificate chain (the server's certificate first) and its PEM private key
 * (PKCS#8, unencrypted). Checked to be readable files when configured; their content is checked when the
 * listener starts.
 */
public record TlsFiles(Path certificateChain, Path privateKey) {
  public TlsFiles {
    requireNonNull(certificateChain, "certificateChain");
    requireNonNull(privateKey, "privateKey");
    for (Path file : new Path[] {certificateChain, privateKey}) {
      if (!Files.isReadable(file)) throw new IllegalArgumentException("TLS file not readable: " + file);
    }
  }
}
