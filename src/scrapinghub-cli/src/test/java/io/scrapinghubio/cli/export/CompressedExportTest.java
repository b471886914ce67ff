package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.cli.DemoItems;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --compression}: compressed files that decompress to exactly the stored items. */
@Tag("flink")
class CompressedExportTest {
  @ParameterizedTest
  @CsvSource({"gzip, .jl.gz", "zstd, .jl.zst"})
  void filesDecompressToTheItems(String codec, String suffix, @TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    CliRun run = CliRun.run("export", "--output=" + out, "--demo-jobs=10", "--demo-items-per-job=300",
        "--progress=none", "--compression=" + codec);
    assertEquals(0, run.exitCode(), run.toString());
    List<Path> plain = new ArrayList<>();
    long compressed = 0;
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        assertTrue(f.getFileName().toString().endsWith(suffix), f.toString());
        compressed += Files.size(f);
        Path lines = dir.resolve(f.getFileName() + ".jl");
        try (InputStream in = codec.equals("gzip") ? new GZIPInputStream(Files.newInputStream(f))
            : new ZstdInputStream(Files.newInputStream(f))) {
          Files.write(lines, in.readAllBytes());
        }
        plain.add(lines);
      }
    }
    assertEquals(DemoItems.demo(10, 300), DemoItems.lines(plain));
    String last = run.outLines().get(run.outLines().size() - 1);
    assertTrue(last.endsWith(String.format(java.util.Locale.ROOT, "; %.1f MB as %s files", compressed / 1e6, codec)),
        last);
  }
}
