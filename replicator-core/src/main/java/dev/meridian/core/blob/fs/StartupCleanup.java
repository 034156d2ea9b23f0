package dev.meridian.core.blob.fs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a crash can leave behind, before the store serves anything: files in {@code tmp/} (a
 * put that never published; never visible) and session directories without a {@code data} file (a
 * crash inside {@code startUpload}, or after a commit's rename but before the directory's removal).
 * Sessions with data are kept: they are resumable.
 */
final class StartupCleanup {
  private static final Logger log = LoggerFactory.getLogger(StartupCleanup.class);

  private StartupCleanup() {}

  static void run(BlobPaths paths) throws IOException {
    int tempFiles = 0;
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(paths.tmpDir())) {
      for (Path file : stale) {
        FileOps.deleteRecursively(file);
        tempFiles++;
      }
    }
    int emptySessions = 0;
    try (DirectoryStream<Path> sessions = Files.newDirectoryStream(paths.uploadsDir())) {
      for (Path session : sessions) {
        if (Files.isDirectory(session) && !Files.exists(BlobPaths.dataIn(session))) {
          FileOps.deleteRecursively(session);
          emptySessions++;
        }
      }
    }
    if (tempFiles + emptySessions > 0) {
      log.info("root={} outcome=crash_leftovers_removed temp_files={} empty_sessions={}",
          paths.root(), tempFiles, emptySessions);
    }
  }
}
