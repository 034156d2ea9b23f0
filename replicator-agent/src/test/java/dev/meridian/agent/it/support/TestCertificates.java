package dev.meridian.agent.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A throw-away CA and a server certificate it signed for {@code 127.0.0.1} and {@code localhost}, made with the
 * {@code openssl} command (EC P-256 keys, PKCS#8 PEM, valid two days). {@link #caDir()} holds only {@code ca.crt},
 * the form skopeo's {@code --*-cert-dir} options take.
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey, Path caDir) {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  public static TestCertificates create(Path dir) {
    try {
      Files.createDirectories(dir.resolve("ca"));
      Path caKey = dir.resolve("ca.key");
      Path ca = dir.resolve("ca").resolve("ca.crt");
      Path key = dir.resolve("server.key");
      Path csr = dir.resolve("server.csr");
      Path cert = dir.resolve("server.crt");
      Path ext = dir.resolve("server.ext");
      Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
      openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=Meridian test CA",
          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
      openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
          "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=127.0.0.1");
      openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
          "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
      return new TestCertificates(ca, cert, key, ca.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void openssl(String... args) {
    var command = new java.util.ArrayList<String>();
    command.add("openssl");
    command.addAll(List.of(args));
    CommandLineTool.run(TIMEOUT, command);
  }
}
