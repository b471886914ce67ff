package io.scrapinghubio.cli.cloud;

import io.scrapinghubio.emulator.ScrapyCloudEmulator;

/** What a command's demo emulator holds: its builder settings and how the first line describes them. */
public interface DemoEmulator {
  /** The demo project's id. */
  long project();

  /** Adds the demo's data or crawl simulation to {@code builder}. */
  ScrapyCloudEmulator.Builder configure(ScrapyCloudEmulator.Builder builder);

  /** e.g. "20 finished demo jobs x 1,000 items". */
  String describe();
}
