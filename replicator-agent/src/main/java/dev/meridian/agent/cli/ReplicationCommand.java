package dev.meridian.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.core.clock.RegionId;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.RepositoryGlob;
import dev.meridian.topology.TopologyCodec;
import dev.meridian.topology.TopologyException;
import dev.meridian.topology.TransferCost;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian replication}: the fleet's regions, managed the way {@code az acr replication} manages an
 * Azure registry's. Each command asks one region's admin API ({@code /admin/v1/replications}), which writes
 * the change to the replicated topology; every region applies it without a restart. That covers each region's
 * repository filter ({@code --include}/{@code --exclude}) and the fleet's transfer costs ({@code cost}). Exit 0
 * on success, 1 when the registry refuses the change (an unknown region, a duplicate) or does not answer, 2 for
 * bad arguments (a bad glob among them).
 */
@Command(name = "replication", mixinStandardHelpOptions = true,
    description = "Creates, lists, shows, updates and deletes the fleet's regions, and sets the transfer costs between them.",
    subcommands = {ReplicationCommand.Create.class, ReplicationCommand.ListRegions.class, ReplicationCommand.Show.class,
        ReplicationCommand.Update.class, ReplicationCommand.Delete.class, ReplicationCommand.Cost.class})
public final class ReplicationCommand implements Runnable {
  private static final String PATH = "/admin/v1/replications";
  private static final String COSTS = "/admin/v1/costs";
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every subcommand takes. */
  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin CredentialOptions credentials;

    @Option(names = "--registry", required = true, description = "Any region's URL, e.g. http://127.0.0.1:5001.")
    String registry;

    @Option(names = "--timeout", defaultValue = "15s", converter = DurationArgument.class,
        description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    abstract JsonNode ask(AdminHttpClient admin, String base);

    abstract void print(JsonNode answer, PrintWriter out);

    @Override
    public Integer call() {
      String base = RegistryUrl.check(spec, registry);
      JsonNode answer;
      try {
        answer = ask(new AdminHttpClient(timeout, credentials.authorization()), base);
      } catch (CompletionException e) {
        spec.commandLine().getErr().println("meridian replication " + spec.name() + ": " + reason(e));
        return 1;
      }
      PrintWriter out = spec.commandLine().getOut();
      print(answer, out);
      out.flush();
      return 0;
    }

    RegionId region(String text) {
      try {
        return new RegionId(text);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--region: " + e.getMessage());
      }
    }

    private String reason(CompletionException e) {
      if (e.getCause() instanceof AdminHttpClient.AdminCallException call) {
        String answer = call.answer();
        // "UNSUPPORTED region x is not in the fleet (x)": the code and the echoed detail add nothing here.
        answer = answer.replaceFirst("^[A-Z_]+ ", "").replaceFirst(" \\([^()]*\\)$", "");
        return answer + " (" + registry + " answered " + call.status() + ")";
      }
      return registry + " did not answer: " + Cli.reason(e);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Adds a region to the fleet.")
  static final class Create extends Base {
    @Option(names = "--region", required = true, description = "The new region's id, e.g. northeurope.") String region;
    @Option(names = "--url", required = true, description = "The URL its agent serves, e.g. http://127.0.0.1:5004.") String url;
    @Option(names = "--routing-enabled", defaultValue = "true", arity = "1", description = "Whether the front door routes clients to it (default: ${DEFAULT-VALUE}).") boolean routing;
    @Option(names = "--mode", defaultValue = "read-write", description = "read-write or read-only (default: ${DEFAULT-VALUE}).") String mode;
    @CommandLine.Mixin Filter filter;

    @Override
    JsonNode ask(AdminHttpClient admin, String base) {
      RegionId id = region(region);
      try {
        TopologyCodec.parseUrl(url);
      } catch (TopologyException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--" + String.join("; ", e.violations()));
      }
      ObjectNode body = JSON.createObjectNode();
      body.put("url", url);
      body.put("routingEnabled", routing);
      body.put("mode", parseMode(spec, mode).text());
      filter.json(spec).ifPresent(f -> body.set("repositories", f));
      return admin.send("PUT", base, PATH + "/" + id, Optional.of(body)).join();
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      out.println("created " + line(answer));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the fleet's regions.")
  static final class ListRegions extends Base {
    @Option(names = "--json", description = "Print the JSON of the admin API.") boolean json;

    @Override
    JsonNode ask(AdminHttpClient admin, String base) {
      return admin.get(base, PATH, Map.of()).join();
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      if (json) {
        out.println(new String(AdminJson.bytes(answer), StandardCharsets.UTF_8));
        return;
      }
      out.printf("%-20s %-32s %-8s %-8s %s%n", "REGION", "URL", "ENABLED", "ROUTING", "MODE");
      for (JsonNode r : answer.path("replications")) {
        out.printf("%-20s %-32s %-8s %-8s %s%n", r.path("id").asText(), r.path("url").asText(), r.path("enabled").asBoolean(),
            r.path("routingEnabled").asBoolean(), r.path("mode").asText());
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one region of the fleet.")
  static final class Show extends Base {
    @Option(names = "--region", required = true, description = "The region's id.") String region;
    @Option(names = "--json", description = "Print the JSON of the admin API.") boolean json;

    @Override
    JsonNode ask(AdminHttpClient admin, String base) {
      return admin.get(base, PATH + "/" + region(region), Map.of()).join();
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      out.println(json ? new String(AdminJson.bytes(answer), StandardCharsets.UTF_8) : line(answer));
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Changes a region: routing, mode, whether replication to it is enabled, or its repository filter.")
  static final class Update extends Base {
    @Option(names = "--region", required = true, description = "The region's id.") String region;
    @Option(names = "--routing-enabled", arity = "1", description = "Whether the front door routes clients to it.") Boolean routing;
    @Option(names = "--mode", description = "read-write or read-only.") String mode;
    @Option(names = "--enabled", arity = "1", description = "false stops replication to it (it neither fetches nor is asked "
        + "for content, and is out of routing); true resumes it.") Boolean enabled;
    @CommandLine.Mixin Filter filter;

    @Override
    JsonNode ask(AdminHttpClient admin, String base) {
      RegionId id = region(region);
      Optional<ObjectNode> repositories = filter.json(spec);
      if (routing == null && mode == null && enabled == null && repositories.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "nothing to change: give --routing-enabled, --mode, --enabled, --include or --exclude");
      }
      ObjectNode body = JSON.createObjectNode();
      if (routing != null) body.put("routingEnabled", routing);
      if (mode != null) body.put("mode", parseMode(spec, mode).text());
      if (enabled != null) body.put("enabled", enabled);
      repositories.ifPresent(f -> body.set("repositories", f));
      return admin.send("PATCH", base, PATH + "/" + id, Optional.of(body)).join();
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      out.println("updated " + line(answer));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Removes a region from the fleet: replication to it stops; its data is left alone.")
  static final class Delete extends Base {
    @Option(names = "--region", required = true, description = "The region's id.") String region;

    @Override
    JsonNode ask(AdminHttpClient admin, String base) {
      return admin.send("DELETE", base, PATH + "/" + region(region), Optional.empty()).join();
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      out.println("deleted " + region);
    }
  }

  /** {@code --include GLOB} / {@code --exclude GLOB}: a region's repository filter, checked with the topology's glob rules. */
  static final class Filter {
    @Option(names = "--include", paramLabel = "GLOB", description = "A repository glob the region holds (repeatable; "
        + "default: every repository). With --exclude, the whole filter: update replaces the region's filter.")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "A repository glob the region never holds (repeatable; "
        + "exclude wins), e.g. 'eu-only/**'.")
    List<String> exclude = new ArrayList<>();

    /** The admin API's {@code repositories} object, or empty when neither option was given. */
    Optional<ObjectNode> json(CommandLine.Model.CommandSpec spec) {
      if (include.isEmpty() && exclude.isEmpty()) return Optional.empty();
      check(spec, "--include", include);
      check(spec, "--exclude", exclude);
      ObjectNode n = JSON.createObjectNode();
      var in = n.putArray("include");
      (include.isEmpty() ? List.of("**") : include).forEach(in::add);
      var out = n.putArray("exclude");
      exclude.forEach(out::add);
      return Optional.of(n);
    }

    private static void check(CommandLine.Model.CommandSpec spec, String option, List<String> globs) {
      for (String glob : globs) {
        RepositoryGlob.problem(glob).ifPresent(p -> {
          throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + p);
        });
      }
    }
  }

  @Command(name = "cost", mixinStandardHelpOptions = true,
      description = "Lists the fleet's transfer costs, or sets or removes what copying from one region to another costs.")
  static final class Cost extends Base {
    @Option(names = "--from", description = "The region content is copied from.") String from;
    @Option(names = "--to", description = "The region content is copied to.") String to;
    @Option(names = "--cost", description = "A whole number 0..1000000 in the fleet's unit; given once, a pair costs the "
        + "same both ways (pairs not set cost 1).") Integer cost;
    @Option(names = "--remove", description = "Removes the cost from --from to --to.") boolean remove;
    @Option(names = "--json", description = "Print the JSON of the admin API.") boolean json;

    @Override
    JsonNode ask(AdminHttpClient admin, String base) {
      if (from == null && to == null && cost == null && !remove) return admin.get(base, COSTS, Map.of()).join();
      if (from == null || to == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--from and --to are required to set or remove a cost");
      }
      RegionId source = region(from);
      RegionId target = region(to);
      if (remove == (cost != null)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --cost N and --remove");
      }
      if (remove) {
        return admin.send("DELETE", base, COSTS + "?from=" + source + "&to=" + target, Optional.empty()).join();
      }
      if (cost < 0 || cost > TransferCost.MAX_COST) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--cost must be 0.." + TransferCost.MAX_COST + ", not " + cost);
      }
      ObjectNode body = JSON.createObjectNode();
      body.put("from", source.value());
      body.put("to", target.value());
      body.put("cost", cost);
      return admin.send("PUT", base, COSTS, Optional.of(body)).join();
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
      if (json) {
        out.println(new String(AdminJson.bytes(answer), StandardCharsets.UTF_8));
        return;
      }
      out.printf("%-20s %-20s %s%n", "FROM", "TO", "COST");
      for (JsonNode c : answer.path("costs")) {
        out.printf("%-20s %-20s %d%n", c.path("from").asText(), c.path("to").asText(), c.path("cost").asInt());
      }
    }
  }

  static RegionMode parseMode(CommandLine.Model.CommandSpec spec, String text) {
    return RegionMode.parse(text).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
        "--mode must be read-write or read-only, not '" + text + "'"));
  }

  private static String line(JsonNode r) {
    return r.path("id").asText() + " " + r.path("url").asText() + " enabled=" + r.path("enabled").asBoolean()
        + " routingEnabled=" + r.path("routingEnabled").asBoolean() + " mode=" + r.path("mode").asText() + filter(r.path("repositories"));
  }

  /** {@code " include=a,b exclude=c"}, or nothing for the default filter (every repository). */
  private static String filter(JsonNode repositories) {
    List<String> include = new ArrayList<>();
    repositories.path("include").forEach(g -> include.add(g.asText()));
    List<String> exclude = new ArrayList<>();
    repositories.path("exclude").forEach(g -> exclude.add(g.asText()));
    if ((include.isEmpty() || include.equals(List.of("**"))) && exclude.isEmpty()) return "";
    return " include=" + String.join(",", include) + (exclude.isEmpty() ? "" : " exclude=" + String.join(",", exclude));
  }
}
