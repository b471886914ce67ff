package io.scrapinghubio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.read.FilterOperators;
import io.scrapinghubio.client.read.ReadSpec;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user's typo must end in an error naming the value and what was expected, never in a call that
 * "succeeds" having done nothing.
 */
class TyposAreErrorsTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final long P = 5151;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY);

  private static ScrapinghubClient client(ScrapyCloudEmulator emu) {
    return ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build());
  }

  @Test
  void aTimeRangeThatEndsBeforeItStartsIsRefused() {
    long day = 86_400_000L;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobQuery.all().startTs(1_700_000_000_000L + day).endTs(1_700_000_000_000L));
    assertTrue(e.getMessage().contains("startTs (" + (1_700_000_000_000L + day) + ", 2023-11-15T22:13:20Z)"), e.getMessage());
    assertTrue(e.getMessage().contains("must be before endTs (1700000000000"), e.getMessage());
    // whichever bound comes second, and an empty range too
    assertThrows(IllegalArgumentException.class, () -> JobQuery.all().endTs(1000).startTs(2000));
    assertThrows(IllegalArgumentException.class, () -> JobQuery.all().startTs(1000).endTs(1000));
    assertEquals(Long.valueOf(2000), JobQuery.all().startTs(1000).endTs(2000).endTs());
  }

  @Test
  void anUnknownFilterOperatorIsRefusedNamingItAndTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReadSpec.filterJson("price", "=>", 10));
    assertTrue(e.getMessage().contains("unknown filter operator '=>'") && e.getMessage().contains("'price'"), e.getMessage());
    assertTrue(e.getMessage().contains("expected one of = == != in > < >= <="), e.getMessage());
    for (String op : FilterOperators.KNOWN) {
      assertTrue(ReadSpec.filterJson("f", op, 1).contains("\"" + op + "\""));
    }
  }

  @Test
  void updatingTheTagsOfAJobThatDoesNotExistIsNotFound() {
    ScrapyCloudEmulator emu = EMU.emulator();
    String existing = emu.state().addJob(P, "products", JobState.FINISHED, Map.of()).key();
    try (ScrapinghubClient client = client(emu)) {
      assertEquals(1, client.getJob(JobKey.parse(existing)).updateTags(List.of("seen"), List.of()));
      NotFoundException e = assertThrows(NotFoundException.class,
          () -> client.getJob(JobKey.parse(P + "/1/999")).updateTags(List.of("seen"), List.of()));
      assertTrue(e.getMessage().contains(P + "/1/999") && e.getMessage().contains("no such job"), e.getMessage());
      assertEquals(0, client.getJob(JobKey.parse(P + "/1/999")).updateTags(List.of(), List.of()), "nothing asked, nothing sent");
    }
  }

  @Test
  void cancellingAJobThatDoesNotExistIsNotFound() {
    try (ScrapinghubClient client = client(EMU.emulator())) {
      NotFoundException e = assertThrows(NotFoundException.class, () -> client.getJob(JobKey.parse(P + "/1/998")).cancel());
      assertTrue(e.getMessage().contains(P + "/1/998") && e.getMessage().contains("no such job"), e.getMessage());
    }
  }
}
