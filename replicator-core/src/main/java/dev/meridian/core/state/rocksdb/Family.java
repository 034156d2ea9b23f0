package dev.meridian.core.state.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;

/** The column families of the state store; their key and value formats are drawn in {@link RocksDbRegistryState}. */
enum Family {
  REPOSITORIES("repositories"),
  TAGS("tags"),
  MANIFESTS("manifests"),
  BLOB_LINKS("blob_links"),
  REFERRERS("referrers"),
  UPLOADS("uploads"),
  OUTBOX("outbox"),
  OFFSETS("offsets"),
  META("meta"),
  TRANSFERS("transfers"),
  TAG_FALLBACK("tag_fallback"),
  REPLICAS("replicas"),
  PREFETCHED("prefetched"),
  LOCKS("locks"),
  CREDENTIALS("credentials"),
  NOTIFICATIONS("notifications");

  private final String familyName;

  Family(String familyName) {
    this.familyName = familyName;
  }

  byte[] nameBytes() {
    return familyName.getBytes(UTF_8);
  }

  @Override
  public String toString() {
    return familyName;
  }
}
