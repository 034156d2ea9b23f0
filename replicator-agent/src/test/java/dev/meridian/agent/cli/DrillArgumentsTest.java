package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code meridian drill failover} and {@code serve --clock-offset} refuse bad arguments before touching anything. */
class DrillArgumentsTest {
  @TempDir Path dir;

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = MeridianCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    return new Run(cli.execute(args), err.toString());
  }

  private Path fleetFile() throws IOException {
    return Files.writeString(dir.resolve("fleet.yaml"), """
        kafka: 127.0.0.1:9092
        regions:
          - id: eastus
            url: http://127.0.0.1:5001
          - id: westeurope
            url: http://127.0.0.1:5002
        """);
  }

  @Test
  void aRegionNotInTheFleetIsAUsageErrorNamingTheFleet() throws IOException {
    Run run = run("drill", "failover", "--region", "mars", "--fleet", fleetFile().toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("region mars is not in the fleet").contains("eastus");
  }

  @Test
  void theFleetComesFromExactlyOneSource() throws IOException {
    assertThat(run("drill", "failover", "--region", "eastus").exit()).isEqualTo(2);
    Run both = run("drill", "failover", "--region", "eastus", "--fleet", fleetFile().toString(), "--registry", "http://127.0.0.1:5001");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void aZeroDurationOrABadFrontDoorIsRefused() throws IOException {
    Run zero = run("drill", "failover", "--region", "eastus", "--fleet", fleetFile().toString(), "--duration", "0s");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.err()).contains("duration must be positive");
    Run door = run("drill", "failover", "--region", "eastus", "--fleet", fleetFile().toString(), "--front-door", "nowhere");
    assertThat(door.exit()).isEqualTo(2);
  }

  @Test
  void anUnknownRoutingPathIsAUsageErrorNamingTheChoices() throws IOException {
    Run via = run("drill", "failover", "--region", "eastus", "--fleet", fleetFile().toString(), "--routing-via", "dns",
        "--front-door", "http://127.0.0.1:5000");
    assertThat(via.exit()).isEqualTo(2);
    assertThat(via.err()).contains("--routing-via must be auto, topology or front-door, not 'dns'");
  }

  @Test
  void aClockOffsetMayBeNegative() {
    SignedDurationArgument offsets = new SignedDurationArgument();
    assertThat(offsets.convert("-5m")).isEqualTo(Duration.ofMinutes(-5));
    assertThat(offsets.convert("+30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(offsets.convert("250ms")).isEqualTo(Duration.ofMillis(250));
  }
}
