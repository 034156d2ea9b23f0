package dev.meridian.core.blob;

import dev.meridian.core.error.RegistryException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id of an upload session: 1 to 128 of {@code [A-Za-z0-9_-]}, so it is safe as a file name. Clients get
 * a random UUID; transfers use a deterministic id per digest so that a restarted transfer resumes.
 */
public record UploadId(String value) {
  private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  public UploadId {
    if (value == null || !GRAMMAR.matcher(value).matches()) throw RegistryException.uploadUnknown(String.valueOf(value));
  }

  public static UploadId random() {
    return new UploadId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
