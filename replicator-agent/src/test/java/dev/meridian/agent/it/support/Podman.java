package dev.meridian.agent.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code podman} CLI with its own throw-away image store, so tests never touch the machine's images and
 * need no daemon, cgroups or network namespace: vfs storage, cgroupfs, file events, http to loopback.
 *
 * <p>podman recompresses layers when it pushes, so pushed layer digests differ from the pulled ones; the
 * uncompressed content (the config's diff_ids) is what survives a round trip.
 *
 * <p>podman refuses a runroot longer than 50 characters (it holds sockets), so the runroot lives in a short
 * temporary directory that {@link #close()} removes.
 */
public final class Podman implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Path storage;
  private final Path runroot;

  /** @param storage a directory of the test's own; podman's image store and temp files go below it */
  public Podman(Path storage) {
    this.storage = storage.toAbsolutePath();
    try {
      this.runroot = Files.createTempDirectory(Path.of("/tmp"), "podrun");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    Agents.deleteRecursively(runroot);
  }

  /** Pulls with the test admin's credentials. */
  public void pull(String image) {
    run("pull", "--tls-verify=false", "--quiet", "--creds", TestCredentials.creds(), image);
  }

  /** Pushes local image {@code image} to {@code destination} (a {@code docker://} ref) as an OCI manifest, as the test admin. */
  public void push(String image, String destination) {
    run("push", "--tls-verify=false", "--format", "oci", "--creds", TestCredentials.creds(), image, destination);
  }

  /** {@code podman login}: later pulls and pushes without {@code --creds} use what it stored (in this store's auth file). */
  public void login(String registry, String username, String password) {
    run("login", "--tls-verify=false", "--authfile", authFile().toString(), "--username", username, "--password", password, registry);
  }

  /** Pulls with the credentials of {@link #login} only. */
  public CommandLineTool.Result pullAsLoggedIn(String image) {
    return runAllowingFailure("pull", "--tls-verify=false", "--quiet", "--authfile", authFile().toString(), image);
  }

  /** Pushes with the credentials of {@link #login} only. */
  public CommandLineTool.Result pushAsLoggedIn(String image, String destination) {
    return runAllowingFailure("push", "--tls-verify=false", "--format", "oci", "--authfile", authFile().toString(), image, destination);
  }

  private Path authFile() {
    return storage.resolve("auth.json");
  }

  /** {@code podman image inspect}: the first (only) element, with Id, Digest, RootFS.Layers... */
  public JsonNode inspectImage(String image) {
    try {
      return JSON.readTree(run("image", "inspect", image).stdout()).path(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void removeImage(String image) {
    run("rmi", "--force", image);
  }

  private CommandLineTool.Result run(String... args) {
    return CommandLineTool.run(TIMEOUT, command(args));
  }

  private CommandLineTool.Result runAllowingFailure(String... args) {
    return CommandLineTool.runAllowingFailure(TIMEOUT, command(args));
  }

  private List<String> command(String... args) {
    var command = new ArrayList<>(List.of(
        "podman",
        "--root", storage.resolve("root").toString(),
        "--runroot", runroot.toString(),
        "--tmpdir", storage.resolve("tmp").toString(),
        "--storage-driver", "vfs",
        "--cgroup-manager", "cgroupfs",
        "--events-backend", "file"));
    command.addAll(List.of(args));
    return command;
  }
}
