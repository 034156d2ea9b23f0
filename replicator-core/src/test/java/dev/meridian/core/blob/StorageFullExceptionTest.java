package dev.meridian.core.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class StorageFullExceptionTest {
  @Test
  void aFullDiskOrQuotaIsRecognisedAnywhereInTheCauseChain() {
    assertThat(StorageFullException.isOutOfSpace(new IOException("No space left on device"))).isTrue();
    assertThat(StorageFullException.isOutOfSpace(new UncheckedIOException("append", new IOException("Disk quota exceeded")))).isTrue();
    assertThat(StorageFullException.isOutOfSpace(new RuntimeException(new StorageFullException("x", new IOException("y"))))).isTrue();
  }

  @Test
  void otherIoErrorsAreNotAFullDisk() {
    assertThat(StorageFullException.isOutOfSpace(new IOException("Input/output error"))).isFalse();
    assertThat(StorageFullException.isOutOfSpace(new IllegalStateException("No space left on device"))).isFalse();
    assertThat(StorageFullException.isOutOfSpace(null)).isFalse();
  }
}
