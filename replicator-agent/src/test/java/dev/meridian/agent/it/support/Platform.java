package dev.meridian.agent.it.support;

/** An image's platform as written in its config and in an index's {@code platform} field. */
public record Platform(String os, String architecture) {
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64");
  public static final Platform LINUX_ARM64 = new Platform("linux", "arm64");
}
