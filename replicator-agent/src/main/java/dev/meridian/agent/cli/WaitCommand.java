package dev.meridian.agent.cli;

import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.admin.ManifestStatus;
import dev.meridian.agent.admin.ReplicationReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian wait}: the write barrier. Polls {@code GET /admin/v1/replication/status} until the chosen
 * regions hold the image completely (exit 0: it is pullable there now), or the timeout passes (exit 1,
 * naming each region still missing and its state). Bad arguments, an unknown region, or more regions than
 * the fleet has exit 2. Regions whose topology filter excludes the repository are not waited for: {@code all}
 * skips them, and naming one (or asking for more regions than may hold it) exits 2. A tag means what the
 * {@code --registry} region resolves it to (see DESIGN.md §8).
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
    description = "Waits until regions hold an image completely (a write barrier for pipelines).")
public final class WaitCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "REPO:TAG or REPO@DIGEST, e.g. team/app:v1.")
  String image;

  @CommandLine.Mixin CredentialOptions credentials;

  @Option(names = "--registry", required = true, description = "The region the image was pushed to, e.g. http://127.0.0.1:5001.")
  String registry;

  @Option(names = "--regions", defaultValue = "all", description = "all, a list of region ids (a,b), or a number N (any N regions). Default: ${DEFAULT-VALUE}.")
  String regions;

  @Option(names = "--timeout", defaultValue = "60s", converter = DurationArgument.class, description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--interval", defaultValue = "500ms", converter = DurationArgument.class, description = "Time between polls (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Override
  public Integer call() throws InterruptedException {
    ImageArgument target;
    RegionSelection selection;
    try {
      target = ImageArgument.parse(image);
      selection = RegionSelection.parse(regions);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    String url = RegistryUrl.check(spec, registry);
    if (interval.isZero()) throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant deadline = Instant.now().plus(timeout);
    Map<String, String> query = Map.of("repository", target.repository().value(), "reference", target.reference().toString());
    Optional<ReplicationReport> last = Optional.empty();
    String lastFailure = null;
    while (true) {
      Duration left = Duration.between(Instant.now(), deadline);
      // Even a tiny --timeout gets one real answer to report: a poll may outlast the deadline by a few seconds.
      Duration callTimeout = left.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : min(left, Duration.ofSeconds(10));
      try {
        ReplicationReport report = AdminJson.parseReport(
            new AdminHttpClient(callTimeout, credentials.authorization()).get(url, "/admin/v1/replication/status", query).join());
        last = Optional.of(report);
        String impossible = selection.impossibleIn(report);
        if (impossible != null) {
          err.println("meridian wait: " + impossible);
          err.flush();
          return 2;
        }
        if (selection.missing(report).isEmpty()) {
          out.println(target + " is complete in " + complete(report));
          out.flush();
          return 0;
        }
      } catch (CompletionException e) {
        lastFailure = Cli.reason(e);
      }
      if (!Instant.now().isBefore(deadline)) break;
      Thread.sleep(Math.min(interval.toMillis(), Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
    }
    err.println("meridian wait: timed out after " + timeout.toMillis() + " ms waiting for " + target
        + last.flatMap(ReplicationReport::expectedDigest).map(d -> " (" + d + ")").orElse("") + ": " + describe(selection, last, lastFailure));
    err.flush();
    return 1;
  }

  private static String describe(RegionSelection selection, Optional<ReplicationReport> last, String failure) {
    if (last.isEmpty()) return "the registry did not answer" + (failure == null ? "" : ": " + failure);
    List<ReplicationReport.Entry> missing = selection.missing(last.get());
    String prefix = selection instanceof RegionSelection.AnyOf any
        ? "needed " + any.count() + " complete region(s), still missing: " : "still missing: ";
    return prefix + missing.stream()
        .map(e -> e.region() + " " + e.status().wireName() + e.error().map(x -> " (" + x + ")").orElse(""))
        .collect(Collectors.joining(", "));
  }

  private static String complete(ReplicationReport report) {
    String excluded = regions(report, ManifestStatus.EXCLUDED);
    return regions(report, ManifestStatus.COMPLETE) + (excluded.isEmpty() ? "" : " (excluded by topology filter: " + excluded + ")");
  }

  private static String regions(ReplicationReport report, ManifestStatus status) {
    return report.regions().stream().filter(e -> e.status() == status)
        .map(ReplicationReport.Entry::region).collect(Collectors.joining(", "));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
