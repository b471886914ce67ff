package io.scrapinghubio.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * What an export produced, as a multiset: the number of lines and an order-independent digest
 * (sum and xor of each line's CRC-32C), so that two exports of the same items compare equal
 * whatever their sharding and order.
 */
record ExportedLines(long lines, long bytes, long crcSum, long crcXor) {

  static ExportedLines of(Path fileOrDir) throws IOException {
    List<Path> files;
    if (Files.isDirectory(fileOrDir)) {
      try (Stream<Path> s = Files.walk(fileOrDir)) {
        files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
      }
    } else {
      files = List.of(fileOrDir);
    }
    long lines = 0;
    long bytes = 0;
    long sum = 0;
    long xor = 0;
    byte[] buf = new byte[1 << 16];
    for (Path f : files) {
      CRC32C crc = new CRC32C();
      boolean open = false;
      try (InputStream in = Files.newInputStream(f)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          bytes += n;
          int start = 0;
          for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
              crc.update(buf, start, i - start);
              sum += crc.getValue();
              xor ^= crc.getValue();
              lines++;
              crc.reset();
              open = false;
              start = i + 1;
            }
          }
          if (start < n) {
            crc.update(buf, start, n - start);
            open = true;
          }
        }
      }
      if (open) { // a last line without newline
        sum += crc.getValue();
        xor ^= crc.getValue();
        lines++;
      }
    }
    return new ExportedLines(lines, bytes, sum, xor);
  }

  boolean sameItems(ExportedLines o) {
    return lines == o.lines && crcSum == o.crcSum && crcXor == o.crcXor;
  }
}
