package dev.meridian.agent.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of one area of an agent's data directory (every file below a directory of that name, e.g.
 * {@code blobs} or {@code uploads}), with their sizes: taken before and after a test to prove a refused
 * request left no trace. Independent of where exactly the store puts the area below the data directory.
 */
public final class DataDirFiles {
  private DataDirFiles() {}

  /** Relative path to size, for every regular file with a path segment named {@code area}. */
  public static SortedMap<String, Long> snapshot(Path dataDir, String area) {
    var files = new TreeMap<String, Long>();
    try (Stream<Path> paths = Files.walk(dataDir)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        Path relative = dataDir.relativize(path);
        boolean inArea = false;
        for (Path segment : relative.getParent() == null ? Path.of("") : relative.getParent()) {
          inArea |= segment.toString().equals(area);
        }
        if (inArea) files.put(relative.toString(), Files.size(path));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
