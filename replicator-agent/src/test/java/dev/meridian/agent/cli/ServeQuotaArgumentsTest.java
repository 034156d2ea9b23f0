package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --repository-quota}: a mistake is one clear line and exit code 2, before anything starts. */
class ServeQuotaArgumentsTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int serve(String repositoryQuota) {
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute("serve", "--region", "eastus", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--repository-quota", "team-a/app=1G", "--repository-quota", repositoryQuota);
  }

  @Test
  void aRepositoryQuotaThatIsNoPatternOrNoSizeIsRefusedBeforeAnythingStarts() {
    assertThat(serve("Team-A/*=1G")).isEqualTo(2);
    assertThat(err.toString()).contains("Team-A/*=1G").contains("lower case");
    assertThat(serve("team-a/*")).isEqualTo(2);
    assertThat(err.toString()).contains("REPOSITORY=SIZE");
    assertThat(serve("team-a/*=lots")).isEqualTo(2);
    assertThat(err.toString()).contains("'lots' is not a size");
    assertThat(Files.exists(dir.resolve("data"))).as("nothing started").isFalse();
  }
}
