package dev.meridian.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.core.oci.RepositoryName;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meridian repository}: the attributes of a repository or an image, the shape of {@code az acr repository}. */
@Command(name = "repository", mixinStandardHelpOptions = true, description = "Shows or changes the locks of repositories and images.",
    subcommands = {RepositoryCommand.Update.class, RepositoryCommand.Show.class})
public final class RepositoryCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Exactly one of a repository or an image. */
  static final class Target {
    @Option(names = "--repository", required = true, description = "A repository, e.g. team/app.")
    String repository;

    @Option(names = "--image", required = true, description = "An image, REPO:TAG or REPO@DIGEST.")
    String image;

    Map<String, String> query() {
      Map<String, String> query = new HashMap<>();
      if (repository != null) {
        query.put("repository", new RepositoryName(repository).value());
      } else {
        ImageArgument parsed = ImageArgument.parse(image);
        query.put("repository", parsed.repository().value());
        query.put("reference", parsed.reference().toString());
      }
      return query;
    }
  }

  static Integer call(CommandLine.Model.CommandSpec spec, CredentialOptions credentials, String registry, boolean post,
      Map<String, String> query) {
    JsonNode answer;
    try {
      AdminHttpClient client = new AdminHttpClient(Duration.ofSeconds(30), credentials.authorization());
      String url = RegistryUrl.check(spec, registry);
      answer = (post ? client.post(url, "/admin/v1/lock", query) : client.get(url, "/admin/v1/lock", query)).join();
    } catch (CompletionException e) {
      spec.commandLine().getErr().println("meridian repository: " + Cli.reason(e));
      return 1;
    }
    String target = answer.path("repository").asText() + (answer.path("reference").isNull() ? ""
        : (answer.path("reference").asText().contains(":") ? "@" : ":") + answer.path("reference").asText());
    spec.commandLine().getOut().printf("%s writeEnabled=%s deleteEnabled=%s%n", target,
        answer.path("writeEnabled").asBoolean(), answer.path("deleteEnabled").asBoolean());
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** {@code meridian repository update}: sets write-enabled and delete-enabled; replicated to every region. */
  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Locks or unlocks a repository, a tag or a manifest in every region.")
  static final class Update implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin CredentialOptions credentials;

    @Option(names = "--registry", required = true, description = "Any region's URL.")
    String registry;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--write-enabled", arity = "1", description = "true or false: whether pushes may change it.")
    Boolean writeEnabled;

    @Option(names = "--delete-enabled", arity = "1", description = "true or false: whether it may be deleted.")
    Boolean deleteEnabled;

    @Override
    public Integer call() {
      if (writeEnabled == null && deleteEnabled == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give --write-enabled or --delete-enabled");
      }
      Map<String, String> query = target.query();
      if (writeEnabled != null) query.put("writeEnabled", writeEnabled.toString());
      if (deleteEnabled != null) query.put("deleteEnabled", deleteEnabled.toString());
      return RepositoryCommand.call(spec, credentials, registry, true, query);
    }
  }

  /** {@code meridian repository show}: the locks of a repository or an image as one region knows them. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the locks of a repository or an image.")
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin CredentialOptions credentials;

    @Option(names = "--registry", required = true, description = "Any region's URL.")
    String registry;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Override
    public Integer call() {
      return RepositoryCommand.call(spec, credentials, registry, false, target.query());
    }
  }
}
