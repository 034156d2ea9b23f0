package dev.meridian.agent.registry;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.state.ManifestRecord;

/** A manifest to serve: its register and, for a GET, its exact bytes (empty for a HEAD). */
public record StoredManifest(ManifestRecord record, byte[] bytes) {
  public StoredManifest {
    requireNonNull(record, "record");
    requireNonNull(bytes, "bytes");
  }
}
