package dev.meridian.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.security.Credential;
import dev.meridian.agent.security.ScopeGrant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code meridian token create|list|delete}: tokens (credentials for pipelines) bound to scope maps, managed
 * through the admin API of any region with admin credentials. {@code create} prints the token's password as
 * its last line: it is shown only then.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Creates, lists and deletes tokens (credentials for pipelines).",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Delete.class})
public final class TokenCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every token subcommand takes: where, as whom, how long to wait. */
  static class Target {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin CredentialOptions credentials;

    @Option(names = "--registry", required = true, description = "Any region's URL, e.g. http://127.0.0.1:5001.")
    String registry;

    @Option(names = "--timeout", defaultValue = "10s", converter = DurationArgument.class, description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    AdminHttpClient client() {
      return new AdminHttpClient(timeout, credentials.authorization());
    }

    int fail(String command, CompletionException e) {
      spec.commandLine().getErr().println("meridian token " + command + ": " + Cli.reason(e));
      return 1;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a token; prints its password as the last line.")
  static final class Create extends Target implements Callable<Integer> {
    @Parameters(index = "0", description = "The token's name (a-z, 0-9, . _ -).")
    String name;

    @Option(names = "--scope", description = "PATTERN:ACTION[,ACTION...], e.g. team-a/*:pull,push (team-a/* one level, team-a/** any depth); actions pull, push, delete, metadata-read. Repeatable.")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--admin", description = "Also grant the admin role (the admin API, every repository).")
    boolean admin;

    @Override
    public Integer call() {
      try {
        Credential.requireValidName(name);
        scopes.forEach(ScopeGrant::parse);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (scopes.isEmpty() && !admin) throw new CommandLine.ParameterException(spec.commandLine(), "give at least one --scope, or --admin");
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("name", name);
      scopes.forEach(body.putArray("scopes")::add);
      body.put("admin", admin);
      JsonNode created;
      try {
        created = client().call("POST", RegistryUrl.check(spec, registry), "/admin/v1/tokens", AdminJson.bytes(body), 201).join();
      } catch (CompletionException e) {
        return fail("create", e);
      }
      var out = spec.commandLine().getOut();
      out.println("token " + created.path("name").asText() + " scopes " + created.path("scopes") + (created.path("admin").asBoolean() ? " admin" : ""));
      out.println(created.path("password").asText());
      out.flush();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tokens: name, scopes, admin role.")
  static final class ListTokens extends Target implements Callable<Integer> {
    @Override
    public Integer call() {
      JsonNode listed;
      try {
        listed = client().call("GET", RegistryUrl.check(spec, registry), "/admin/v1/tokens", null, 200).join();
      } catch (CompletionException e) {
        return fail("list", e);
      }
      var out = spec.commandLine().getOut();
      for (JsonNode token : listed.path("tokens")) {
        List<String> scopeList = new ArrayList<>();
        token.path("scopes").forEach(s -> scopeList.add(s.asText()));
        out.println(token.path("name").asText() + " " + String.join(" ", scopeList) + (token.path("admin").asBoolean() ? " admin" : ""));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes (revokes) a token.")
  static final class Delete extends Target implements Callable<Integer> {
    @Parameters(index = "0", description = "The token's name.")
    String name;

    @Override
    public Integer call() {
      try {
        client().call("DELETE", RegistryUrl.check(spec, registry), "/admin/v1/tokens/" + URLEncoder.encode(name, StandardCharsets.UTF_8), null, 202).join();
      } catch (CompletionException e) {
        return fail("delete", e);
      }
      spec.commandLine().getOut().println("deleted token " + name);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
