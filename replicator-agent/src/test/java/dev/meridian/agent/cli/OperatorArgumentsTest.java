package dev.meridian.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.admin.ManifestStatus;
import dev.meridian.agent.admin.RegionState;
import dev.meridian.agent.admin.RegionStatus;
import dev.meridian.agent.admin.ReplicationReport;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Reference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorArgumentsTest {
  private static final Digest D = Digest.sha256Of("m".getBytes(StandardCharsets.UTF_8));

  @Test
  void imagesAreRepoColonTagOrRepoAtDigest() {
    ImageArgument tagged = ImageArgument.parse("team/app:v1");
    assertThat(tagged.repository().value()).isEqualTo("team/app");
    assertThat(tagged.reference()).isInstanceOf(Reference.TagReference.class);
    assertThat(tagged.reference().toString()).isEqualTo("v1");
    ImageArgument pinned = ImageArgument.parse("team/app@" + D);
    assertThat(pinned.reference()).isEqualTo(new Reference.DigestReference(D));
    assertThat(pinned.toString()).isEqualTo("team/app@" + D);
  }

  @Test
  void imagesWithoutTagOrWithABadDigestAreRefusedClearly() {
    assertThatThrownBy(() -> ImageArgument.parse("team/app")).hasMessageContaining("REPO:TAG or REPO@DIGEST");
    assertThatThrownBy(() -> ImageArgument.parse("host:5000/team/app")).hasMessageContaining("names no tag");
    assertThatThrownBy(() -> ImageArgument.parse("team/app@v1")).hasMessageContaining("not a digest");
    assertThatThrownBy(() -> ImageArgument.parse("Team/App:v1")).hasMessageContaining("not an image reference");
  }

  @Test
  void regionsAreAllAListOrACount() {
    assertThat(RegionSelection.parse("all")).isEqualTo(new RegionSelection.All());
    assertThat(RegionSelection.parse("2")).isEqualTo(new RegionSelection.AnyOf(2));
    assertThat(RegionSelection.parse("eastus, westus,eastus")).isEqualTo(new RegionSelection.Named(List.of("eastus", "westus")));
    assertThatThrownBy(() -> RegionSelection.parse("0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> RegionSelection.parse("a,,b")).hasMessageContaining("empty region id");
  }

  @Test
  void selectionsJudgeWhatIsStillMissing() {
    ReplicationReport report = new ReplicationReport("team/app", "v1", Optional.of(D), List.of(
        entry("eastus", ManifestStatus.COMPLETE), entry("westus", ManifestStatus.PENDING), entry("apac", ManifestStatus.ABSENT)));
    assertThat(RegionSelection.parse("all").missing(report)).extracting(ReplicationReport.Entry::region).containsExactly("westus", "apac");
    assertThat(RegionSelection.parse("eastus").missing(report)).isEmpty();
    assertThat(RegionSelection.parse("eastus,apac").missing(report)).extracting(ReplicationReport.Entry::region).containsExactly("apac");
    assertThat(RegionSelection.parse("1").missing(report)).isEmpty();
    assertThat(RegionSelection.parse("2").missing(report)).hasSize(2);
    assertThat(RegionSelection.parse("mars").impossibleIn(report)).contains("mars").contains("eastus, westus, apac");
    assertThat(RegionSelection.parse("4").impossibleIn(report)).contains("3 region(s)");
    assertThat(RegionSelection.parse("3").impossibleIn(report)).isNull();
  }

  @Test
  void regionsExcludedByTheTopologyFilterAreNeverWaitedFor() {
    ReplicationReport report = new ReplicationReport("eu-only/app", "v1", Optional.of(D), List.of(
        entry("westeu", ManifestStatus.COMPLETE), entry("northeu", ManifestStatus.PENDING), entry("eastus", ManifestStatus.EXCLUDED)));
    assertThat(RegionSelection.parse("all").impossibleIn(report)).isNull();
    assertThat(RegionSelection.parse("all").missing(report)).extracting(ReplicationReport.Entry::region).containsExactly("northeu");
    assertThat(RegionSelection.parse("2").impossibleIn(report)).isNull();
    assertThat(RegionSelection.parse("2").missing(report)).extracting(ReplicationReport.Entry::region).containsExactly("northeu");
    assertThat(RegionSelection.parse("1").missing(report)).isEmpty();
    assertThat(RegionSelection.parse("3").impossibleIn(report))
        .isEqualTo("--regions 3 but only 2 region(s) may hold eu-only/app (eastus excludes it by topology filter)");
    assertThat(RegionSelection.parse("westeu,eastus").impossibleIn(report))
        .isEqualTo("eastus excludes eu-only/app by its topology filter: never held there");

    ReplicationReport done = new ReplicationReport("eu-only/app", "v1", Optional.of(D), List.of(
        entry("westeu", ManifestStatus.COMPLETE), entry("northeu", ManifestStatus.COMPLETE), entry("eastus", ManifestStatus.EXCLUDED)));
    assertThat(RegionSelection.parse("all").missing(done)).isEmpty();

    ReplicationReport nowhere = new ReplicationReport("eu-only/app", "v1", Optional.empty(), List.of(
        entry("eastus", ManifestStatus.EXCLUDED)));
    assertThat(RegionSelection.parse("all").impossibleIn(nowhere)).contains("every region excludes eu-only/app");
  }

  @Test
  void durationsTakeUnitsBareSecondsAndIso() {
    assertThat(DurationArgument.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationArgument.parse("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(DurationArgument.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationArgument.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationArgument.parse("45")).isEqualTo(Duration.ofSeconds(45));
    assertThat(DurationArgument.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> DurationArgument.parse("soon")).hasMessageContaining("not a duration");
  }

  @Test
  void badWaitArgumentsExitTwoWithTheReason() {
    assertThat(run("wait", "team/app", "--registry", "http://127.0.0.1:1")).satisfies(r -> {
      assertThat(r.code).isEqualTo(2);
      assertThat(r.err).contains("REPO:TAG or REPO@DIGEST");
    });
    assertThat(run("wait", "team/app:v1", "--registry", "http://127.0.0.1:1", "--regions", "0").err).contains("at least 1");
    assertThat(run("wait", "team/app:v1", "--registry", "http://127.0.0.1:1", "--timeout", "soon")).satisfies(r -> {
      assertThat(r.code).isEqualTo(2);
      assertThat(r.err).contains("not a duration");
    });
    assertThat(run("wait", "team/app:v1", "--registry", "127.0.0.1:5000")).satisfies(r -> {
      assertThat(r.code).isEqualTo(2);
      assertThat(r.err).contains("--registry");
    });
    assertThat(run("wait", "team/app:v1").code).isEqualTo(2);
  }

  @Test
  void waitAgainstASilentRegistryTimesOutWithExitOne() {
    Result r = run("wait", "team/app:v1", "--registry", "http://127.0.0.1:1", "--timeout", "200ms", "--interval", "50ms");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("timed out").contains("did not answer");
  }

  @Test
  void theFleetTableAlignsItsColumns() {
    String table = FleetTable.render(List.of(
        new RegionStatus("eastus", "http://127.0.0.1:5001", RegionState.READY, Optional.empty(), true, 0, 0, 0, 0, Optional.empty(), 12),
        new RegionStatus("west", "http://127.0.0.1:5002", RegionState.DEGRADED, Optional.of("unreachable"), false, 2.25, 3,
            5 * 1024 * 1024, 1, Optional.of("connection refused"), 0)));
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("REGION  STATE     ROUTING");
    int urlColumn = lines.get(0).indexOf("URL");
    assertThat(lines.get(1).indexOf("http://")).isEqualTo(urlColumn);
    assertThat(lines.get(2).indexOf("http://")).isEqualTo(urlColumn);
    assertThat(lines.get(2)).contains("degraded").contains("off").contains("2.3s").contains("5.0 MiB")
        .endsWith("unreachable; last error: connection refused");
  }

  @Test
  void aCreatingRegionsRowSaysWhatIsLeftToFetchAndWhenItShouldBeDone() {
    String table = FleetTable.render(List.of(new RegionStatus("centralus", "http://127.0.0.1:5004", RegionState.CREATING,
        Optional.empty(), true, 0, 7, 700, 0, Optional.empty(), 0,
        Optional.of(new dev.meridian.agent.replication.CreationProgress(false, 7, 3 * 1024 * 1024, java.util.OptionalLong.of(42))))));
    assertThat(table.lines().toList().get(1)).contains("creating").endsWith("7 manifests, 3.0 MiB to fetch, about 42 s left");
  }

  private static ReplicationReport.Entry entry(String region, ManifestStatus status) {
    return new ReplicationReport.Entry(region, status, Optional.empty(), Optional.empty());
  }

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void scrubRatesTakeBinaryAndDecimalUnits() {
    assertThat(ByteRateArgument.parse("16MiB")).isEqualTo(16L << 20);
    assertThat(ByteRateArgument.parse("512KiB/s")).isEqualTo(512L << 10);
    assertThat(ByteRateArgument.parse("10MB")).isEqualTo(10_000_000L);
    assertThat(ByteRateArgument.parse("4096")).isEqualTo(4096L);
    assertThatThrownBy(() -> ByteRateArgument.parse("fast")).hasMessageContaining("not a rate");
    assertThatThrownBy(() -> ByteRateArgument.parse("0")).hasMessageContaining("positive");
  }
}
