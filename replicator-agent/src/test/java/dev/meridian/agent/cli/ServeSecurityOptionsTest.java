package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.security.SecurityConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeSecurityOptionsTest {
  @TempDir Path dir;

  private SecurityConfig parse(String... options) {
    ServeCommand serve = new ServeCommand();
    CommandLine line = new CommandLine(serve);
    String[] args = new String[options.length + 4];
    args[0] = "--region";
    args[1] = "eastus";
    args[2] = "--data-dir";
    args[3] = dir.toString();
    System.arraycopy(options, 0, args, 4, options.length);
    line.parseArgs(args);
    return serve.security();
  }

  @Test
  void withoutOptionsTheRegionIsPlainHttpAndUnthrottled() {
    SecurityConfig security = parse();
    assertThat(security.tls()).isEmpty();
    assertThat(security.limits().rateLimited()).isFalse();
    assertThat(security.limits().maxConcurrentUploads()).isZero();
    assertThat(security.kafkaProperties()).isEmpty();
  }

  @Test
  void everyOptionReachesTheConfiguration() throws Exception {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    Path key = Files.writeString(dir.resolve("k.pem"), "x");
    SecurityConfig security = parse("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-ca", cert.toString(),
        "--kafka-property", "security.protocol=SASL_SSL", "--kafka-property", "sasl.mechanism=PLAIN",
        "--rate-limit", "50", "--rate-burst", "20", "--max-uploads-per-client", "4", "--limit-exempt", "10.0.0.0/8",
        "--body-timeout", "5s", "--idle-timeout", "2m");
    assertThat(security.tls()).hasValueSatisfying(t -> assertThat(t.certificateChain()).isEqualTo(cert));
    assertThat(security.trustedCa()).contains(cert);
    assertThat(security.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "PLAIN");
    assertThat(security.limits().requestsPerSecond()).isEqualTo(50);
    assertThat(security.limits().burst()).isEqualTo(20);
    assertThat(security.limits().maxConcurrentUploads()).isEqualTo(4);
    assertThat(security.limits().exempt()).hasSize(1);
    assertThat(security.limits().bodyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(security.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheProblem() {
    assertThatThrownBy(() -> parse("--kafka-property", "acks=1")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("acks");
    assertThatThrownBy(() -> parse("--tls-cert", dir.resolve("c.pem").toString())).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--tls-key");
    assertThatThrownBy(() -> parse("--rate-limit", "-1")).isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("--limit-exempt", "example.com/8")).isInstanceOf(CommandLine.ParameterException.class);
  }
}
