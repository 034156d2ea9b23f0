package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.cli.MeridianCommand;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.Podman;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.security.FleetCredential;
import dev.meridian.agent.security.Principal;
import dev.meridian.agent.security.RegistryTokens;
import dev.meridian.agent.security.RepositoryPattern;
import dev.meridian.agent.security.TokenAccess;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication with real clients: skopeo and podman log in with the admin's and a token's credentials,
 * through the registry token flow (401 with a Bearer challenge, a token from {@code /auth/token}); wrong
 * credentials, expired tokens and out-of-scope actions get the right OCI errors, and refusals are audited.
 */
class AuthenticationIT {
  @TempDir static Path dir;
  static RegionAgent agent;
  static String hostPort;
  static WrittenImage image;
  static Path layout;

  @BeforeAll
  static void start() {
    agent = RegionAgent.start(new AgentConfig(new RegionId("eastus"), "127.0.0.1", 0, dir.resolve("data"))
        .withSecurity(TestCredentials.settings().withAnonymousPull(List.of(new RepositoryPattern("public/**")))));
    hostPort = agent.address().getHostString() + ":" + agent.address().getPort();
    var writer = new OciLayoutWriter(dir.resolve("layout"));
    image = writer.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(21, 200_000), LayerSpec.plain(22, 4096)));
    layout = writer.root();
  }

  @AfterAll
  static void stop() {
    if (agent != null) agent.close();
  }

  private static String cli(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var commandLine = MeridianCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exit = commandLine.execute(args);
    assertThat(exit).as("meridian %s: %s", String.join(" ", args), err).isZero();
    return out.toString();
  }

  /** {@code meridian token create} as the admin: its last line is the token's password. */
  private static String createToken(String name, String... scopes) {
    var args = new java.util.ArrayList<>(List.of("token", "create", name, "--registry", agent.url(),
        "--username", "admin", "--password", TestCredentials.PASSWORD));
    for (String scope : scopes) args.addAll(List.of("--scope", scope));
    List<String> lines = cli(args.toArray(String[]::new)).lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static RegistryHttp http() {
    return new RegistryHttp(() -> URI.create(agent.url()));
  }

  @Test
  void skopeoPushesAndPullsWithTheAdminsAndATokensCredentials() {
    String password = createToken("ci-push", "team-a/*:pull,push");
    var asToken = new Skopeo(hostPort, "ci-push:" + password);
    asToken.copy(Skopeo.oci(layout, "v1"), asToken.ref("team-a/app:v1"), false);
    assertThat(Digest.sha256Of(asToken.inspectRaw(asToken.ref("team-a/app:v1")))).isEqualTo(image.manifestDigest());
    var asAdmin = new Skopeo(hostPort);
    assertThat(Digest.sha256Of(asAdmin.inspectRaw(asAdmin.ref("team-a/app:v1")))).isEqualTo(image.manifestDigest());
    assertThat(cli("token", "list", "--registry", agent.url(), "--password", TestCredentials.PASSWORD))
        .contains("ci-push team-a/*:pull,push");
  }

  @Test
  void aTokenScopedToTeamACannotTouchTeamB() {
    String password = createToken("ci-team-a", "team-a/*:pull,push");
    var asToken = new Skopeo(hostPort, "ci-team-a:" + password);
    var push = asToken.tryRun("copy", "--dest-tls-verify=false", "--retry-times", "0", "--dest-creds", "ci-team-a:" + password,
        Skopeo.oci(layout, "v1"), asToken.ref("team-b/app:v1"));
    assertThat(push.exitCode()).as(push.describe("pushing out of scope")).isNotZero();
    var pull = http().get("/v2/team-b/app/tags/list", "Authorization", FleetCredential.basic("ci-team-a", password));
    assertThat(pull.statusCode()).as(RegistryHttp.describe(pull)).isEqualTo(403);
    assertThat(RegistryHttp.errorCodes(pull)).containsExactly("DENIED");
    var deeper = http().get("/v2/team-a/x/app/tags/list", "Authorization", FleetCredential.basic("ci-team-a", password));
    assertThat(deeper.statusCode()).as("team-a/* is one level only").isEqualTo(403);
  }

  @Test
  void podmanLogsInWithATokenAndPushesAndPulls() {
    new Skopeo(hostPort).copy(Skopeo.oci(layout, "v1"), new Skopeo(hostPort).ref("team-a/podman-src:v1"), false);
    String password = createToken("podman-ci", "team-a/**:pull,push");
    try (var podman = new Podman(dir.resolve("podman"))) {
      podman.login(hostPort, "podman-ci", password);
      String source = hostPort + "/team-a/podman-src:v1";
      assertThat(podman.pullAsLoggedIn(source).exitCode()).isZero();
      var pushed = podman.pushAsLoggedIn(source, "docker://" + hostPort + "/team-a/deep/copy:v1");
      assertThat(pushed.exitCode()).as(pushed.describe("push")).isZero();
      var outOfScope = podman.pushAsLoggedIn(source, "docker://" + hostPort + "/team-b/copy:v1");
      assertThat(outOfScope.exitCode()).as(outOfScope.describe("push to team-b")).isNotZero();
    }
    var tags = http().get("/v2/team-a/deep/copy/tags/list");
    assertThat(tags.statusCode()).isEqualTo(200);
  }

  @Test
  void noCredentialsGetAChallengeNamingTheTokenEndpointAndTheScope() {
    var response = http().get("/v2/team-a/app/manifests/v1", "Authorization", "none");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(RegistryHttp.errorCodes(response)).containsExactly("UNAUTHORIZED");
    assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
        .startsWith("Bearer realm=\"http://" + hostPort + "/auth/token\"")
        .contains("service=\"meridian\"").contains("scope=\"repository:team-a/app:pull\"");
    var admin = http().get("/admin/v1/region", "Authorization", "none");
    assertThat(admin.statusCode()).isEqualTo(401);
    assertThat(admin.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"meridian\"");
  }

  @Test
  void wrongCredentialsAreRefusedAndAudited() throws Exception {
    var wrong = new Skopeo(hostPort, "admin:not-the-password");
    var inspect = wrong.tryRun("inspect", "--raw", "--tls-verify=false", "--retry-times", "0", "--creds", "admin:not-the-password",
        wrong.ref("team-a/app:v1"));
    assertThat(inspect.exitCode()).isNotZero();
    var response = http().get("/v2/", "Authorization", FleetCredential.basic("admin", "nope"));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(RegistryHttp.errorCodes(response)).containsExactly("UNAUTHORIZED");
    var token = http().get("/auth/token?service=meridian&scope=repository:team-a/app:pull", "Authorization",
        FleetCredential.basic("admin", "nope"));
    assertThat(token.statusCode()).isEqualTo(401);
    Path audit = agent.config().auditLog();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Files.readString(audit, StandardCharsets.UTF_8)).contains("\"action\":\"denied\"")
            .contains("\"reason\":\"wrong username or password\""));
  }

  @Test
  void anExpiredTokenIsUnauthorizedAndAFreshOneWorks() throws Exception {
    var old = new RegistryTokens(TestCredentials.FLEET_KEY.tokenSigningKey(), "meridian", Duration.ofMinutes(5),
        Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), ZoneOffset.UTC));
    String expired = old.mint("admin", Principal.Kind.ADMIN, List.of(new TokenAccess("repository", "team-a/app", Set.of("pull"))));
    var refused = http().get("/v2/team-a/app/tags/list", "Authorization", "Bearer " + expired);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(RegistryHttp.errorCodes(refused)).containsExactly("UNAUTHORIZED");

    var issued = http().get("/auth/token?service=meridian&scope=repository:team-a/app:pull");
    assertThat(issued.statusCode()).as(RegistryHttp.describe(issued)).isEqualTo(200);
    JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(issued.body());
    assertThat(body.path("expires_in").asLong()).isEqualTo(300);
    var fresh = http().get("/v2/team-a/app/tags/list", "Authorization", "Bearer " + body.path("token").asText());
    assertThat(fresh.statusCode()).isIn(200, 404);
    var pushWithPullToken = http().send("POST", "/v2/team-a/app/blobs/uploads/",
        java.net.http.HttpRequest.BodyPublishers.noBody(), "Authorization", "Bearer " + body.path("token").asText());
    assertThat(pushWithPullToken.statusCode()).as("a pull token cannot push: ask for another").isEqualTo(401);
  }

  @Test
  void anonymousPullWorksOnlyWhereAllowed() {
    var admin = new Skopeo(hostPort);
    admin.copy(Skopeo.oci(layout, "v1"), admin.ref("public/base/app:v1"), false);
    var anonymous = new Skopeo(hostPort, null);
    assertThat(Digest.sha256Of(anonymous.inspectRaw(anonymous.ref("public/base/app:v1")))).isEqualTo(image.manifestDigest());
    var push = anonymous.tryRun("copy", "--dest-tls-verify=false", "--retry-times", "0", Skopeo.oci(layout, "v1"),
        anonymous.ref("public/base/other:v1"));
    assertThat(push.exitCode()).as("anonymous push").isNotZero();
    assertThat(http().get("/v2/team-a/app/tags/list", "Authorization", "none").statusCode()).isEqualTo(401);
  }

  @Test
  void internalRequestsNeedTheFleetCredential() {
    var asAdmin = http().get("/v2/team-a/app/tags/list", "Meridian-Internal", "no-read-through",
        "Authorization", TestCredentials.authorization());
    assertThat(asAdmin.statusCode()).isEqualTo(403);
    assertThat(RegistryHttp.errorCodes(asAdmin)).containsExactly("DENIED");
    var asFleet = http().get("/v2/team-a/app/tags/list", "Meridian-Internal", "no-read-through",
        "Authorization", FleetCredential.authorization(TestCredentials.FLEET_KEY));
    assertThat(asFleet.statusCode()).isIn(200, 404);
  }
}
