package dev.meridian.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meridian serve} as a child JVM from the packaged jar: ready line, serving, clean stop on SIGTERM. */
class ServeCommandIT {
  private static final Pattern READY = Pattern.compile("region eastus listening on (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void servesUntilSigtermThenStopsCleanly(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("meridian.jar", "target/meridian.jar"));
    Path stderr = dir.resolve("stderr.log");
    Process process = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
            "serve", "--region", "eastus", "--port", "0", "--data-dir", dir.resolve("data").toString())
        .redirectError(stderr.toFile())
        .start();
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = stdout.readLine();
      assertThat(line).isNotNull();
      Matcher ready = READY.matcher(line);
      assertThat(ready.matches()).as(line).isTrue();

      HttpClient client = HttpClient.newHttpClient();
      var readyz = client.send(HttpRequest.newBuilder(URI.create(ready.group(1) + "/readyz"))
          .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
      assertThat(readyz.statusCode()).isEqualTo(200);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(stderr)).contains("agent.stop region=eastus");
    } finally {
      process.destroyForcibly();
    }
  }
}
