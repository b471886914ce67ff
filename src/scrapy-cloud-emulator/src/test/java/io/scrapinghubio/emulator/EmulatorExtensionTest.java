package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ScrapyCloudEmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmulatorExtensionTest {
  static int port;

  @BeforeAll
  static void setUp(ScrapyCloudEmulator emu) {
    port = emu.port();
    emu.state().addSpider(1, "spider");
  }

  @Test
  @Order(1)
  void sameEmulatorForTheWholeClass(ScrapyCloudEmulator emu) {
    assertEquals(port, emu.port());
    assertTrue(emu.storageUrl().endsWith(":" + port + "/"));
    assertEquals(emu.storageUrl() + "api/", emu.dashUrl());
    emu.faults().failNext(5, 500);
    assertEquals(500, new TestHttp(emu, "any").get("system/ts").code());
  }

  @Test
  @Order(2)
  void faultsAreResetButStateIsKept(ScrapyCloudEmulator emu) {
    assertEquals(200, new TestHttp(emu, "any").get("system/ts").code());
    assertEquals("1", new TestHttp(emu, "any").get("ids/1/spider/spider").text());
    assertTrue(emu.stats().requestsServed() >= 2);
    assertTrue(emu.stats().bytesServed() > 0);
  }
}
