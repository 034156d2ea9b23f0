package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** gzip framing around stored deflate blocks: valid gzip, no compression work, size about equal to the input. */
final class StoredGzipOutputStream extends GZIPOutputStream {
  StoredGzipOutputStream(OutputStream out) throws IOException {
    super(out, 1 << 16);
    def.setLevel(Deflater.NO_COMPRESSION);
  }
}
