package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar scrapinghub-io.jar export --with=key,job,spider,ts} in a process of its own, on
 * the default runner (embedded Flink), against the emulator: every line carries the record's key,
 * job, spider name and store time, as the emulator stored them.
 */
@Tag("jar")
class ProvenanceJarIT {
  private static final String KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

  @Test
  void everyLineCarriesItsProvenance(@TempDir Path dir) throws Exception {
    DemoData demo = DemoData.of(6, 400);
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(demo).start()) {
      Path out = dir.resolve("items");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx1g", "-jar", System.getProperty("cli.jar"), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--progress=none", "--with=key,job,spider,ts", "--output=" + out));
      CommandProcess jar = new CommandProcess(cmd, null, Map.of("SH_APIKEY", KEY));
      assertEquals(0, jar.waitFor(Duration.ofMinutes(3)), jar.output());
      List<Path> files;
      try (var list = Files.list(out)) {
        files = list.toList();
      }
      Map<String, Integer> expected =
          DemoItems.withProvenance(emu, DemoData.DEFAULT_PROJECT, RecordType.ITEMS, "key,job,spider,ts");
      assertTrue(DemoItems.total(expected) > 0);
      assertEquals(expected, DemoItems.lines(files), "each line: the stored item with its _key, _job, _spider and _ts");
    }
  }
}
