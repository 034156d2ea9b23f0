package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fleet file ({@code serve --fleet FILE}): the broker and one free loopback port per region. */
public record Fleet(Path file, Map<String, Integer> ports, int partitions) {
  public Fleet {
    ports = Map.copyOf(ports);
  }

  public static Fleet write(Path file, String kafkaBootstrap, List<String> regions, int partitions) {
    var ports = new LinkedHashMap<String, Integer>();
    var yaml = new StringBuilder("kafka: " + kafkaBootstrap + "\n")
        .append("topics: { partitions: ").append(partitions).append(", replicationFactor: 1 }\n")
        .append("regions:\n");
    for (String region : regions) {
      int port = FreePort.pick();
      ports.put(region, port);
      yaml.append("  - id: ").append(region).append("\n    url: http://127.0.0.1:").append(port).append('\n');
    }
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Fleet(file, ports, partitions);
  }

  public int port(String region) {
    Integer port = ports.get(region);
    if (port == null) throw new IllegalArgumentException("no region " + region + " in " + file);
    return port;
  }
}
