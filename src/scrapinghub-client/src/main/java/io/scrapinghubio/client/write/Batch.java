package io.scrapinghubio.client.write;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sealed batch of encoded records and the absolute offset ({@code ?start=}) of its first record.
 * Uploading the same batch again stores the same records at the same positions, which is what
 * makes a retried upload idempotent.
 *
 * @param start offset of the first record among everything the writer sent to this target
 * @param lines compact JSON lines, without newlines
 * @param bytes sum of the lines' lengths plus one newline each (the identity body size)
 */
public record Batch(long start, List<byte[]> lines, long bytes) {
  /**
   * A batch; the lines are copied.
   *
   * @param start offset of the first record
   * @param lines compact JSON lines, without newlines
   * @param bytes sum of the lines' lengths plus one newline each
   */
  public Batch {
    lines = List.copyOf(lines);
  }

  /**
   * A batch from JSON lines (without newlines) starting at {@code start}.
   *
   * @param start offset of the first record
   * @param lines the lines
   * @return the batch
   */
  public static Batch of(long start, List<byte[]> lines) {
    long bytes = 0;
    for (byte[] l : lines) {
      bytes += l.length + 1;
    }
    return new Batch(start, lines, bytes);
  }

  /**
   * A batch from JSON text lines.
   *
   * @param start offset of the first record
   * @param lines the lines, encoded as UTF-8
   * @return the batch
   */
  public static Batch ofStrings(long start, List<String> lines) {
    List<byte[]> b = new ArrayList<>(lines.size());
    lines.forEach(l -> b.add(l.getBytes(StandardCharsets.UTF_8)));
    return of(start, b);
  }

  /**
   * Records in the batch.
   *
   * @return the count
   */
  public int size() {
    return lines.size();
  }

  /**
   * The body: every line followed by {@code \n}, including the last (as the official writer sends).
   *
   * @return the body's bytes
   */
  public byte[] body() {
    byte[] out = new byte[Math.toIntExact(bytes)];
    int p = 0;
    for (byte[] l : lines) {
      System.arraycopy(l, 0, out, p, l.length);
      p += l.length;
      out[p++] = '\n';
    }
    return out;
  }
}
