package dev.meridian.bench.harness;

import java.nio.file.Path;
import java.util.List;

/** skopeo 1.9 against loopback registries (plain http, so TLS verification is off every time). */
public final class Skopeo {
  private Skopeo() {}

  /** Pushes {@code layout:tag} to {@code registry/repository:tag}; returns seconds. */
  public static double push(Path layout, String tag, Registry registry, String repository) {
    return Command.timed(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false",
        "--dest-creds", BenchCredentials.userAndPassword(), "oci:" + layout + ":" + tag, "docker://" + registry.hostPort() + "/" + repository + ":" + tag));
  }

  /** Pulls {@code registry/repository:tag} into a fresh OCI layout at {@code target}; returns seconds. */
  public static double pull(Registry registry, String repository, String tag, Path target) {
    return Command.timed(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false",
        "--src-creds", BenchCredentials.userAndPassword(), "docker://" + registry.hostPort() + "/" + repository + ":" + tag, "oci:" + target + ":" + tag));
  }

  /** {@code skopeo sync} of every tag of one repository, registry to registry; returns seconds. */
  public static double sync(Registry source, String repository, Registry destination, String destinationPrefix) {
    return Command.timed(List.of("skopeo", "sync", "--src", "docker", "--dest", "docker",
        "--src-tls-verify=false", "--dest-tls-verify=false",
        "--src-creds", BenchCredentials.userAndPassword(), "--dest-creds", BenchCredentials.userAndPassword(),
        source.hostPort() + "/" + repository, destination.hostPort() + "/" + destinationPrefix));
  }
}
