package dev.meridian.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.lifecycle.PurgeFilter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian purge}, the shape of {@code acr purge}: deletes tags and manifests older than {@code --ago} in the
 * repositories and tags the filters match, keeping the {@code --keep} most recent tags of each repository and
 * every locked image. The deletes are ordinary ones and replicate to every region. Prints each image deleted (or,
 * with {@code --dry-run}, that would be), then each one kept by a lock.
 */
@Command(name = "purge", mixinStandardHelpOptions = true,
    description = "Deletes old tags and manifests matching filters, in every region (like acr purge).")
public final class PurgeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin CredentialOptions credentials;

  @Option(names = "--registry", required = true, description = "Any read-write region's URL.")
  String registry;

  @Option(names = "--filter", required = true, description = "REPO_REGEX:TAG_REGEX (repeatable); both match whole names.")
  List<String> filters;

  @Option(names = "--ago", required = true, converter = DurationArgument.class,
      description = "Only tags last moved (and manifests pushed) longer ago than this, e.g. 30d, 12h, 0.")
  Duration ago;

  @Option(names = "--keep", defaultValue = "0", description = "Keep this many most recently moved matching tags per repository.")
  int keep;

  @Option(names = "--untagged", description = "Also delete manifests without tags (in the matching repositories).")
  boolean untagged;

  @Option(names = "--dry-run", description = "Print what would be deleted; delete nothing.")
  boolean dryRun;

  @Option(names = "--timeout", defaultValue = "10m", converter = DurationArgument.class,
      description = "How long to wait for the purge (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    for (String f : filters) {
      try {
        PurgeFilter.parse(f);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--filter: " + e.getMessage());
      }
    }
    if (keep < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--keep must not be negative");
    List<Map.Entry<String, String>> query = new java.util.ArrayList<>();
    filters.forEach(f -> query.add(Map.entry("filter", f)));
    query.add(Map.entry("agoSeconds", String.valueOf(ago.toSeconds())));
    query.add(Map.entry("keep", String.valueOf(keep)));
    query.add(Map.entry("untagged", String.valueOf(untagged)));
    query.add(Map.entry("dryRun", String.valueOf(dryRun)));
    JsonNode answer;
    try {
      answer = new AdminHttpClient(timeout, credentials.authorization()).post(RegistryUrl.check(spec, registry), "/admin/v1/purge", query).join();
    } catch (CompletionException e) {
      spec.commandLine().getErr().println("meridian purge: " + Cli.reason(e));
      return 1;
    }
    print(answer, spec.commandLine().getOut());
    return 0;
  }

  static void print(JsonNode report, PrintWriter out) {
    boolean dry = report.path("dryRun").asBoolean();
    for (JsonNode a : report.path("deleted")) {
      out.printf("%s %s %s (last updated %s)%n", dry ? "would delete" : "deleted", a.path("kind").asText(),
          a.path("image").asText(), a.path("lastUpdated").asText());
    }
    for (JsonNode a : report.path("locked")) out.printf("locked, kept %s%n", a.path("image").asText());
    out.printf("%s %d, kept %d locked%n", dry ? "would delete" : "deleted", report.path("deleted").size(),
        report.path("locked").size());
    out.flush();
  }
}
