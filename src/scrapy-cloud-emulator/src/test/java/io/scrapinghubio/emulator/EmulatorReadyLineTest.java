package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmulatorReadyLineTest {

  @Test
  void textNamesBothUrls() {
    EmulatorReadyLine line = new EmulatorReadyLine("http://127.0.0.1:8080/", "http://127.0.0.1:8080/api/");
    assertEquals("Scrapy Cloud emulator ready on http://127.0.0.1:8080/ (storage API) and "
        + "http://127.0.0.1:8080/api/ (dash API)", line.text());
  }

  @Test
  void parsesItsOwnText() {
    EmulatorReadyLine line = new EmulatorReadyLine("http://0.0.0.0:1/", "http://0.0.0.0:1/api/");
    assertEquals(Optional.of(line), EmulatorReadyLine.parse(line.text()));
    assertEquals(Optional.of(line), EmulatorReadyLine.parse(line.text() + "\r"));
  }

  @Test
  void otherLinesAreNotReadyLines() {
    assertTrue(EmulatorReadyLine.parse("storage endpoint: http://127.0.0.1:8080/").isEmpty());
    assertTrue(EmulatorReadyLine.parse("Scrapy Cloud emulator ready on").isEmpty());
    assertTrue(EmulatorReadyLine.parse("").isEmpty());
  }

  @Test
  void readyLineOfARunningEmulator() {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.startDefault()) {
      EmulatorReadyLine line = EmulatorReadyLine.of(emu);
      assertEquals(emu.storageUrl(), line.storageUrl());
      assertEquals(emu.dashUrl(), line.dashUrl());
    }
  }
}
