package io.scrapinghubio.cli.export;

import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.cloud.DemoEmulator;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import picocli.CommandLine.Option;

/** The export's demo: finished jobs of product-like items (about 1.4 KB each) on the embedded emulator. */
public final class ExportDemo implements DemoEmulator {
  @Option(names = "--demo-jobs", paramLabel = "N", defaultValue = "20", converter = PositiveIntConverter.AtLeastOne.class,
      description = "Demo mode: finished jobs on the embedded emulator (default: ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--demo-items-per-job", paramLabel = "N", defaultValue = "" + DemoData.DEFAULT_ITEMS_PER_JOB,
      converter = PositiveIntConverter.AtLeastOne.class,
      description = "Demo mode: items per demo job (default: ${DEFAULT-VALUE})")
  int itemsPerJob;

  @Override
  public long project() {
    return DemoData.DEFAULT_PROJECT;
  }

  @Override
  public ScrapyCloudEmulator.Builder configure(ScrapyCloudEmulator.Builder builder) {
    return builder.demoData(DemoData.of(jobs, itemsPerJob));
  }

  @Override
  public String describe() {
    return Counted.of(jobs, "finished demo job") + " x " + Counted.of(itemsPerJob, "item");
  }
}
