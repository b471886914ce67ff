package io.scrapinghubio.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.beam.read.RecordRanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.Compression;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a killed export leaves, as the next run recovers it and as it is sealed before publication. */
class CommittedPartsTest {
  @TempDir
  Path dir;

  /** Only parts whose list of records was committed count; the rest a killed run left is removed. */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"UNCOMPRESSED", "GZIP", "ZSTD"})
  void recoverKeepsOnlyCommittedParts(Compression c) throws IOException {
    Path a = part("part-a-00000.jl" + c.getSuggestedSuffix(), c, List.of(run("1/1/1", 0, 3)), true);
    part("part-a-00001.jl" + c.getSuggestedSuffix(), c, List.of(run("1/1/1", 3, 5)), false); // renamed, not committed
    Files.writeString(dir.resolve("part-b-00000.jl" + c.getSuggestedSuffix() + ".tmp"), "half a line");
    Files.writeString(dir.resolve("part-c-00000.jl.ranges"), "1/1/2\t0\t9\n"); // its part is gone
    RecordRanges held = CommittedParts.recover(dir);
    RecordRanges expected = new RecordRanges();
    expected.add("1/1/1", 0, 3);
    assertEquals(expected, held);
    assertEquals(List.of(a.getFileName().toString(), a.getFileName() + ".ranges"), names());
  }

  /**
   * A part that repeats records of an earlier one (a worker's retried work) is rewritten without
   * them, one that holds nothing new is removed, and no list of records is published.
   */
  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"UNCOMPRESSED", "GZIP", "ZSTD"})
  void sealLeavesEachRecordInOnePart(Compression c) throws IOException {
    String sfx = c.getSuggestedSuffix();
    part("part-a-00000.jl" + sfx, c, List.of(run("1/1/1", 0, 4), run("1/1/2", 0, 2)), true);
    part("part-b-00000.jl" + sfx, c, List.of(run("1/1/1", 2, 6), run("1/1/3", 0, 1)), true);
    part("part-c-00000.jl" + sfx, c, List.of(run("1/1/2", 0, 2)), true);
    CommittedParts.seal(dir, c);
    assertEquals(List.of("part-a-00000.jl" + sfx, "part-b-00000.jl" + sfx), names());
    assertEquals(List.of(line("1/1/1", 0), line("1/1/1", 1), line("1/1/1", 2), line("1/1/1", 3), line("1/1/2", 0),
        line("1/1/2", 1)), read(dir.resolve("part-a-00000.jl" + sfx), c));
    assertEquals(List.of(line("1/1/1", 4), line("1/1/1", 5), line("1/1/3", 0)),
        read(dir.resolve("part-b-00000.jl" + sfx), c));
  }

  private static PartRuns.Run run(String job, long from, long to) {
    return new PartRuns.Run(job, from, to);
  }

  private static String line(String job, long index) {
    return "{\"job\":\"" + job + "\",\"i\":" + index + "}";
  }

  private Path part(String name, Compression c, List<PartRuns.Run> runs, boolean committed) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream out = Channels.newOutputStream(c.writeCompressed(FileChannel.open(p, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)))) {
      for (PartRuns.Run r : runs) {
        for (long i = r.from(); i < r.to(); i++) {
          out.write((line(r.jobKey(), i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    if (committed) {
      PartRuns.commit(p, runs);
    }
    return p;
  }

  private static List<String> read(Path p, Compression c) throws IOException {
    try (InputStream in = Channels.newInputStream(c.readDecompressed(FileChannel.open(p)))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      assertEquals("", lines.remove(lines.size() - 1), "the last line ends with a newline");
      return lines;
    }
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
