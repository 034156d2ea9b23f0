package dev.meridian.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The agent's fat jar, run as child JVMs ({@code java -jar meridian.jar serve|broker}) with this JVM's java. */
public record MeridianJar(Path jar) {
  public MeridianJar {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no agent jar at " + jar
          + " (build it with: mvn -q -DskipTests package, or pass --meridian-jar PATH)");
    }
    jar = jar.toAbsolutePath();
  }

  /**
   * The jar named by {@code explicit}, else the {@code meridian.jar} system property, else
   * {@code replicator-agent/target/meridian.jar} under the working directory or its parent.
   */
  public static MeridianJar locate(String explicit) {
    if (explicit != null) return new MeridianJar(Path.of(explicit));
    String property = System.getProperty("meridian.jar");
    if (property != null) return new MeridianJar(Path.of(property));
    Path relative = Path.of("replicator-agent", "target", "meridian.jar");
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) return new MeridianJar(dir.resolve(relative));
    }
    return new MeridianJar(here.resolve(relative));
  }

  public List<String> command(List<String> jvmOptions, String... arguments) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(arguments));
    return command;
  }
}
