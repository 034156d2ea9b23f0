package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.it.support.CliRun;
import org.junit.jupiter.api.Test;

/** Mistakes in {@code meridian replication} and {@code serve --kafka} arguments, caught before anything is asked. */
class ReplicationArgumentsTest {
  @Test
  void aBadUrlIdOrModeIsAUsageErrorNamingTheMistake() {
    CliRun url = CliRun.of("replication", "create", "--region", "northeu", "--url", "http://127.0.0.1/x", "--registry", "http://127.0.0.1:1");
    assertThat(url.exitCode()).isEqualTo(2);
    assertThat(url.err()).contains("http://127.0.0.1/x");

    CliRun id = CliRun.of("replication", "show", "--region", "North_EU", "--registry", "http://127.0.0.1:1");
    assertThat(id.exitCode()).isEqualTo(2);
    assertThat(id.err()).contains("--region");

    CliRun mode = CliRun.of("replication", "update", "--region", "northeu", "--mode", "write-only", "--registry", "http://127.0.0.1:1");
    assertThat(mode.exitCode()).isEqualTo(2);
    assertThat(mode.err()).contains("--mode must be read-write or read-only");

    CliRun flag = CliRun.of("replication", "update", "--region", "northeu", "--enabled", "maybe", "--registry", "http://127.0.0.1:1");
    assertThat(flag.exitCode()).isEqualTo(2);
  }

  @Test
  void aRegistryThatDoesNotAnswerIsExitOneNamingIt() {
    CliRun down = CliRun.of("replication", "list", "--registry", "http://127.0.0.1:1", "--timeout", "2s");
    assertThat(down.exitCode()).isEqualTo(1);
    assertThat(down.err()).contains("http://127.0.0.1:1 did not answer");
  }

  @Test
  void serveTakesEitherAFleetFileOrAKafkaAddress() {
    CliRun both = CliRun.of("serve", "--region", "northeu", "--data-dir", "unused", "--port", "0",
        "--fleet", "fleet.yaml", "--kafka", "127.0.0.1:9092");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--kafka and --fleet exclude each other");
  }
}
