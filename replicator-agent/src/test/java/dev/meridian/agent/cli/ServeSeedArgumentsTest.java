package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --seed-from}: a mistake is one clear line and exit code 2, before anything starts. */
class ServeSeedArgumentsTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int serve(String seedFrom) throws Exception {
    Path fleet = Files.writeString(dir.resolve("fleet.yaml"), """
        kafka: 127.0.0.1:9
        regions:
          - { id: eastus, url: "http://127.0.0.1:5001" }
          - { id: centralus, url: "http://127.0.0.1:5004" }
        """);
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute("serve", "--region", "centralus", "--fleet", fleet.toString(), "--data-dir", dir.resolve("data").toString(),
        "--seed-from", seedFrom);
  }

  @Test
  void aSeedRegionOutsideTheFleetIsRefused() throws Exception {
    assertThat(serve("westeurope")).isEqualTo(2);
    assertThat(err.toString()).contains("westeurope").contains("not in the fleet");
  }

  @Test
  void seedingFromItselfOrFromSomethingThatIsNoRegionIdIsRefused() throws Exception {
    assertThat(serve("centralus")).isEqualTo(2);
    assertThat(err.toString()).contains("cannot seed from itself");
    assertThat(serve("Not A Region")).isEqualTo(2);
    assertThat(err.toString()).contains("--seed-from Not A Region");
  }
}
