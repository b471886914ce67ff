package io.scrapinghubio.cli.format;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet's page compression for the codecs the export offers (none, gzip, zstd), from the JDK's
 * gzip and the zstd library the export already has. Parquet's own codec factory goes through
 * Hadoop's codec classes, which build a Hadoop {@code Configuration} (its XML parser and Guava
 * included); this keeps all of that out of the executable jar. The bytes are what those codecs
 * write: a gzip stream, a zstd frame (level 3, Parquet's default), so any Parquet reader reads them.
 */
final class PageCodecs implements CompressionCodecFactory {
  /** Parquet's default zstd level. */
  private static final int ZSTD_LEVEL = 3;

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    checkSupported(codec);
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        switch (codec) {
          case GZIP:
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(bytes.size() / 2 + 64, 1 << 20));
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
              bytes.writeAllTo(gzip);
            }
            return BytesInput.from(out.toByteArray());
          case ZSTD:
            return BytesInput.from(Zstd.compress(bytes.toByteArray(), ZSTD_LEVEL));
          default:
            return bytes;
        }
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    checkSupported(codec);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        return BytesInput.from(decompressed(codec, bytes.toByteArray(), uncompressedSize));
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        byte[] compressed = new byte[compressedSize];
        input.get(compressed);
        output.put(decompressed(codec, compressed, uncompressedSize));
      }

      @Override
      public void release() {}
    };
  }

  private static byte[] decompressed(CompressionCodecName codec, byte[] compressed, int uncompressedSize)
      throws IOException {
    switch (codec) {
      case GZIP:
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
          return in.readNBytes(uncompressedSize);
        }
      case ZSTD:
        return Zstd.decompress(compressed, uncompressedSize);
      default:
        return compressed;
    }
  }

  private static void checkSupported(CompressionCodecName codec) {
    if (codec != CompressionCodecName.UNCOMPRESSED && codec != CompressionCodecName.GZIP
        && codec != CompressionCodecName.ZSTD) {
      throw new IllegalArgumentException("Parquet page compression " + codec + " is not one the export writes: "
          + "expected UNCOMPRESSED, GZIP or ZSTD");
    }
  }

  @Override
  public void release() {}
}
