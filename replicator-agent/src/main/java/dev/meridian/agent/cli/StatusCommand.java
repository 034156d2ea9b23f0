package dev.meridian.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code meridian status}: the fleet as one region sees it ({@code GET /admin/v1/regions}). Exit 1 if the registry does not answer. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows every region of the fleet: state, lag, pending work.")
public final class StatusCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin CredentialOptions credentials;

  @Option(names = "--registry", required = true, description = "Any region's URL, e.g. http://127.0.0.1:5001.")
  String registry;

  @Option(names = "--json", description = "Print the JSON of the admin API instead of a table.")
  boolean json;

  @Option(names = "--timeout", defaultValue = "10s", converter = DurationArgument.class, description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    JsonNode regions;
    try {
      regions = new AdminHttpClient(timeout, credentials.authorization()).get(RegistryUrl.check(spec, registry), "/admin/v1/regions", Map.of()).join();
    } catch (CompletionException e) {
      spec.commandLine().getErr().println("meridian status: " + registry + " did not answer: " + Cli.reason(e));
      return 1;
    }
    if (json) {
      spec.commandLine().getOut().println(new String(AdminJson.bytes(regions), StandardCharsets.UTF_8));
    } else {
      spec.commandLine().getOut().print(FleetTable.render(AdminJson.parseRegions(regions)));
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
