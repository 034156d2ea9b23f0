package dev.meridian.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian restore}: brings back a manifest deleted within the soft delete period ({@code REPO@DIGEST},
 * optionally under {@code --tag}); the restore replicates to every region. {@code --list REPO} lists what is
 * restorable. Exit 1 when the region refuses or does not answer.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Restores a deleted manifest (soft delete), in every region; --list shows what can be restored.")
public final class RestoreCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin CredentialOptions credentials;

  @Option(names = "--registry", required = true, description = "Any read-write region's URL.")
  String registry;

  @Option(names = "--tag", description = "Also point this tag at the restored manifest.")
  String tag;

  @Option(names = "--list", description = "List the restorable manifests of this repository instead.")
  String list;

  @Parameters(arity = "0..1", paramLabel = "REPO@DIGEST", description = "The deleted manifest.")
  String image;

  @Override
  public Integer call() {
    AdminHttpClient client = new AdminHttpClient(Duration.ofSeconds(30), credentials.authorization());
    String url = RegistryUrl.check(spec, registry);
    try {
      if (list != null) {
        JsonNode answer = client.get(url, "/admin/v1/deleted", Map.of("repository", new RepositoryName(list).value())).join();
        for (JsonNode m : answer.path("manifests")) {
          spec.commandLine().getOut().printf("%s@%s deleted %s%n", list, m.path("digest").asText(), m.path("deleted").asText());
        }
        spec.commandLine().getOut().flush();
        return 0;
      }
      if (image == null) throw new CommandLine.ParameterException(spec.commandLine(), "give REPO@DIGEST or --list REPO");
      ImageArgument parsed;
      try {
        parsed = ImageArgument.parse(image);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (!(parsed.reference() instanceof Reference.DigestReference digest)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "restore takes REPO@DIGEST, not a tag: " + image);
      }
      Map<String, String> query = new HashMap<>(Map.of("repository", parsed.repository().value(), "digest", digest.toString()));
      if (tag != null) query.put("tag", tag);
      client.post(url, "/admin/v1/restore", query).join();
      spec.commandLine().getOut().println("restored " + parsed + (tag == null ? "" : " as " + parsed.repository() + ":" + tag));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (CompletionException e) {
      spec.commandLine().getErr().println("meridian restore: " + Cli.reason(e));
      return 1;
    }
  }
}
