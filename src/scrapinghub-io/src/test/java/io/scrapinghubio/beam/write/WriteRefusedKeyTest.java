package io.scrapinghubio.beam.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key the service refuses is never fixed by a retry: the write fails with the service's
 * Unauthorized explanation and does not promise that the runner's retry will help.
 */
class WriteRefusedKeyTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(WriteFixture.KEY);

  private static final String WRONG_KEY = "ffffffffffffffffffffffffffffffff";

  /** One place to name the connection, so that only this line follows a change of the connection API. */
  private static WriteToCollection<String> write(ClientConfig config) {
    return ScrapinghubIO.writeToCollection().withConnection(io.scrapinghubio.beam.connection.ScrapinghubConnection.fromClientConfig(config)).withProject(77).to(StoreType.STORE, "refused");
  }

  @Test
  void aRefusedKeyFailsTheWriteWithTheUnauthorizedMessage() {
    ScrapyCloudEmulator emu = EMU.emulator();
    emu.state().project(77); // the project exists: only the key is wrong
    ClientConfig wrongKey = WriteFixture.config(emu).toBuilder().apiKey(WRONG_KEY).build();
    Pipeline p = WriteFixture.direct();
    p.apply(Create.of(WriteFixture.records(0, 1))).apply(write(wrongKey));

    Throwable e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String m = messages(e);
    assertTrue(m.contains("refused the"), m);
    assertTrue(m.contains("HTTP 401"), m);
    assertTrue(m.contains("retrying cannot fix"), m);
    assertFalse(m.contains("runner retries it"), m);
    assertFalse(m.contains(".."), m);
    assertFalse(m.contains(WRONG_KEY), m);
    assertEquals(1, emu.requestLog().matching("POST", "^/collections/77/").size(), "one refused upload, not retried");
  }

  /** Every message in the cause chain, as a user reads a pipeline failure. */
  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      sb.append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
