package dev.meridian.agent.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code skopeo} CLI against a plain-http loopback registry. Image references use skopeo's transports:
 * {@code docker://127.0.0.1:PORT/REPO:TAG} or {@code oci:DIR:TAG}.
 *
 * <p>Every call passes {@code --insecure-policy} (a fresh machine may lack a signature policy we want) and
 * disables TLS verification, since the registry under test speaks http on loopback.
 */
public final class Skopeo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final String registry;
  private final String creds;

  /** @param registry {@code host:port} of the registry under test, logged in as the test admin */
  public Skopeo(String registry) {
    this(registry, TestCredentials.creds());
  }

  /** @param creds {@code user:password} sent to docker:// registries, or null for none (anonymous) */
  public Skopeo(String registry, String creds) {
    this.registry = registry;
    this.creds = creds;
  }

  /** The same registry with other credentials ({@code user:password}, or null for none). */
  public Skopeo withCreds(String userAndPassword) {
    return new Skopeo(registry, userAndPassword);
  }

  private List<String> credsFor(String option, String ref) {
    return creds != null && ref.startsWith("docker://") ? List.of(option, creds) : List.of();
  }

  /** {@code docker://HOST:PORT/repositoryAndReference}, e.g. {@code ref("app:v1")} or {@code ref("app@sha256:…")}. */
  public String ref(String repositoryAndReference) {
    return "docker://" + registry + "/" + repositoryAndReference;
  }

  public static String oci(Path dir, String tag) {
    return "oci:" + dir.toAbsolutePath() + ":" + tag;
  }

  /** Copies {@code source} to {@code destination} keeping digests; {@code all} copies every platform of an index. */
  public void copy(String source, String destination, boolean all) {
    var command = new ArrayList<>(List.of(
        "skopeo", "--insecure-policy", "copy", "--src-tls-verify=false", "--dest-tls-verify=false",
        "--preserve-digests", "--retry-times", "0"));
    if (all) command.add("--all");
    command.addAll(credsFor("--src-creds", source));
    command.addAll(credsFor("--dest-creds", destination));
    command.add(source);
    command.add(destination);
    CommandLineTool.run(TIMEOUT, command);
  }

  /** The manifest or index exactly as the registry serves it. */
  public byte[] inspectRaw(String ref) {
    String out = CommandLineTool.run(TIMEOUT,
        command(List.of("inspect", "--raw", "--tls-verify=false", "--retry-times", "0"), ref)).stdout();
    return out.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code skopeo inspect} without {@code --raw}: the parsed summary (Digest, Layers, Architecture...). */
  public JsonNode inspect(String ref) {
    return parse(CommandLineTool.run(TIMEOUT, command(List.of("inspect", "--tls-verify=false", "--retry-times", "0"), ref)));
  }

  public List<String> listTags(String repository) {
    JsonNode tags = parse(CommandLineTool.run(TIMEOUT,
        command(List.of("list-tags", "--tls-verify=false", "--retry-times", "0"), ref(repository)))).path("Tags");
    var result = new ArrayList<String>();
    tags.forEach(t -> result.add(t.asText()));
    return result;
  }

  public void delete(String ref) {
    CommandLineTool.run(TIMEOUT, command(List.of("delete", "--tls-verify=false", "--retry-times", "0"), ref));
  }

  /** {@code skopeo --insecure-policy ARGS [--creds C] REF}. */
  private List<String> command(List<String> args, String ref) {
    var command = new ArrayList<String>(List.of("skopeo", "--insecure-policy"));
    command.addAll(args);
    command.addAll(credsFor("--creds", ref));
    command.add(ref);
    return command;
  }

  /** Runs any skopeo command and returns the result without failing, for expected refusals. */
  public CommandLineTool.Result tryRun(String... args) {
    var command = new ArrayList<String>();
    command.add("skopeo");
    command.add("--insecure-policy");
    command.addAll(List.of(args));
    return CommandLineTool.runAllowingFailure(TIMEOUT, command);
  }

  private static JsonNode parse(CommandLineTool.Result result) {
    try {
      return JSON.readTree(result.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(result.describe("printed no JSON"), e);
    }
  }
}
