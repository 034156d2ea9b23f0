package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TopologyCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void aValidFleetFileIsSummarisedAndExitsZero() throws Exception {
    Path file = Files.writeString(dir.resolve("fleet.yaml"), """
        kafka: 127.0.0.1:9092
        regions:
          - { id: eastus, url: "http://127.0.0.1:5001" }
          - { id: westeurope, url: "http://127.0.0.1:5002", mode: read-only, routingEnabled: false }
        """);
    assertThat(run("topology", "validate", file.toString())).isZero();
    assertThat(out.toString()).contains("valid", "2 regions", "eastus http://127.0.0.1:5001 (read-write)",
        "westeurope http://127.0.0.1:5002 (read-only, routing disabled)");
  }

  @Test
  void everyViolationIsPrintedAndTheExitCodeIsOne() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), """
        regions:
          - { id: East, url: "ftp://x:1" }
        """);
    assertThat(run("topology", "validate", file.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("3 problem(s)", "kafka: missing", "invalid region id 'East'", "must be http://");
  }

  @Test
  void filtersAndCostsAreSummarisedAndTheirViolationsPrinted() throws Exception {
    Path good = Files.writeString(dir.resolve("fleet.yaml"), """
        kafka: 127.0.0.1:9092
        regions:
          - { id: eastus, url: "http://127.0.0.1:5001", repositories: { exclude: ["eu-only/**"] } }
          - { id: westeurope, url: "http://127.0.0.1:5002" }
        costs:
          - { from: eastus, to: westeurope, cost: 10 }
        """);
    assertThat(run("topology", "validate", good.toString())).isZero();
    assertThat(out.toString()).contains("eastus http://127.0.0.1:5001 (read-write, repositories include [**] exclude [eu-only/**])",
        "westeurope http://127.0.0.1:5002 (read-write)", "costs: eastus->westeurope 10");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), """
        kafka: 127.0.0.1:9092
        regions:
          - { id: eastus, url: "http://127.0.0.1:5001", repositories: { exclude: ["EU/**"] } }
        costs:
          - { from: eastus, to: mars, cost: -2 }
        """);
    assertThat(run("topology", "validate", bad.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("3 problem(s)", "pattern 'EU/**'", "to 'mars' is not a region of the fleet",
        "cost -2 is out of range");
  }

  @Test
  void aMissingFileIsAClearProblem() {
    assertThat(run("topology", "validate", dir.resolve("nope.yaml").toString())).isEqualTo(1);
    assertThat(err.toString()).contains("cannot read fleet file");
  }
}
