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
  void aBadRepositoryGlobIsAUsageErrorNamingTheOptionAndTheRule() {
    CliRun upper = CliRun.of("replication", "update", "--region", "northeu", "--exclude", "EU-only/**", "--registry", "http://127.0.0.1:1");
    assertThat(upper.exitCode()).isEqualTo(2);
    assertThat(upper.err()).contains("--exclude: pattern 'EU-only/**' has 'E': repository names are lower case");

    CliRun slash = CliRun.of("replication", "create", "--region", "northeu", "--url", "http://127.0.0.1:5004", "--include", "team/",
        "--registry", "http://127.0.0.1:1");
    assertThat(slash.exitCode()).isEqualTo(2);
    assertThat(slash.err()).contains("--include: pattern 'team/' starts or ends with '/'");

    CliRun nothing = CliRun.of("replication", "update", "--region", "northeu", "--registry", "http://127.0.0.1:1");
    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err()).contains("--include or --exclude");
  }

  @Test
  void aCostNeedsBothRegionsAndExactlyOneOfCostAndRemoveInRange() {
    CliRun half = CliRun.of("replication", "cost", "--from", "eastus", "--cost", "3", "--registry", "http://127.0.0.1:1");
    assertThat(half.exitCode()).isEqualTo(2);
    assertThat(half.err()).contains("--from and --to are required");

    CliRun both = CliRun.of("replication", "cost", "--from", "eastus", "--to", "westus", "--cost", "3", "--remove",
        "--registry", "http://127.0.0.1:1");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("exactly one of --cost N and --remove");

    CliRun negative = CliRun.of("replication", "cost", "--from", "eastus", "--to", "westus", "--cost", "-1", "--registry", "http://127.0.0.1:1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err()).contains("--cost must be 0..1000000");
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
