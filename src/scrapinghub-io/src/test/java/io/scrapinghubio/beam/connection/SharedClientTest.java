package io.scrapinghubio.beam.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.junit.jupiter.api.Test;

/** One client per JVM and connection, counted by holders, closed with the last one. No request is made. */
class SharedClientTest {
  /** A connection no other test uses, so the counts below are this test's own. */
  private static ScrapinghubConnection connection(int port) {
    return ScrapinghubConnection.create().withApiKey("0123456789abcdef0123456789abcdef")
        .withStorageEndpoint("http://127.0.0.1:" + port + "/").withDashEndpoint("http://127.0.0.1:" + port + "/api/");
  }

  @Test
  void equalConnectionsShareOneClient() {
    SharedClient a = SharedClient.acquire(connection(1), "test");
    // built separately, equal by value: what each deserialised DoFn instance holds
    SharedClient b = SharedClient.acquire(connection(1), "test");
    try {
      assertSame(a.client(), b.client());
      assertEquals(2, SharedClient.users(connection(1), "test"));
    } finally {
      a.release();
      b.release();
    }
  }

  @Test
  void theLastReleaseClosesTheClient() {
    SharedClient a = SharedClient.acquire(connection(2), "test");
    SharedClient b = SharedClient.acquire(connection(2), "test");
    ScrapinghubClient client = a.client();
    a.release();
    assertFalse(client.ioExecutor().isShutdown(), "still held by b");
    assertEquals(1, SharedClient.users(connection(2), "test"));
    b.release();
    assertTrue(client.ioExecutor().isShutdown(), "closed with its last holder");
    assertEquals(0, SharedClient.users(connection(2), "test"));

    SharedClient c = SharedClient.acquire(connection(2), "test");
    try {
      assertNotSame(client, c.client(), "a closed client is never handed out again");
    } finally {
      c.release();
    }
  }

  @Test
  void releasingTwiceCountsOnceAndAReleasedHoldHasNoClient() {
    SharedClient a = SharedClient.acquire(connection(3), "test");
    SharedClient b = SharedClient.acquire(connection(3), "test");
    a.release();
    a.release(); // e.g. a teardown after a failed setup: must not take b's share
    assertEquals(1, SharedClient.users(connection(3), "test"));
    assertFalse(b.client().ioExecutor().isShutdown());
    IllegalStateException e = assertThrows(IllegalStateException.class, a::client);
    assertTrue(e.getMessage().contains("released"), e.getMessage());
    b.release();
  }

  @Test
  void differentConnectionsGetDifferentClients() {
    SharedClient a = SharedClient.acquire(connection(4), "test");
    SharedClient otherEndpoint = SharedClient.acquire(connection(5), "test");
    SharedClient otherKey = SharedClient.acquire(connection(4).withApiKey("fedcba9876543210fedcba9876543210"), "test");
    SharedClient otherRetries = SharedClient.acquire(connection(4).withRetryPolicy(RetryPolicy.none()), "test");
    SharedClient otherTimeout = SharedClient.acquire(connection(4).withReadTimeout(Duration.ofSeconds(5)), "test");
    try {
      List<ScrapinghubClient> clients = List.of(a.client(), otherEndpoint.client(), otherKey.client(),
          otherRetries.client(), otherTimeout.client());
      assertEquals(clients.size(), clients.stream().distinct().count(), "one client per distinct connection");
      otherKey.release();
      assertFalse(a.client().ioExecutor().isShutdown(), "releasing one connection's client leaves the others open");
    } finally {
      a.release();
      otherEndpoint.release();
      otherKey.release();
      otherRetries.release();
      otherTimeout.release();
    }
  }

  @Test
  void trafficReportedUnderAnotherNameUsesAnotherClient() {
    SharedClient jobs = SharedClient.acquire(connection(6), "jobs");
    SharedClient write = SharedClient.acquire(connection(6), "write");
    SharedClient progress = SharedClient.acquire(connection(6), "write", "write collection s/seen", Duration.ofSeconds(30));
    try {
      assertNotSame(jobs.client(), write.client(), "their ClientStats would mix jobs_* and write_* metrics");
      assertNotSame(write.client(), progress.client());
    } finally {
      jobs.release();
      write.release();
      progress.release();
    }
  }

  @Test
  void concurrentHoldersEndWithTheClientClosed() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<ScrapinghubClient>> seen = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        seen.add(threads.submit(() -> {
          SharedClient s = SharedClient.acquire(connection(7), "test");
          try {
            return s.client();
          } finally {
            s.release();
          }
        }));
      }
      List<ScrapinghubClient> clients = new ArrayList<>();
      for (Future<ScrapinghubClient> f : seen) {
        clients.add(f.get());
      }
      // all holders are gone now
      for (ScrapinghubClient c : clients) {
        assertTrue(c.ioExecutor().isShutdown(), "every client was closed by its last holder");
      }
      assertEquals(0, SharedClient.users(connection(7), "test"));
    } finally {
      threads.shutdownNow();
    }
  }

  /** Every client a DoFn instance held, by identity (the Direct runner serialises DoFns, so this is static). */
  private static final Set<ScrapinghubClient> HELD = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger SETUPS = new AtomicInteger();

  /** The lifecycle every ScrapinghubIO DoFn follows. */
  private static final class HoldingFn extends DoFn<Integer, Integer> {
    private final ScrapinghubConnection connection;
    private transient SharedClient shared;

    HoldingFn(ScrapinghubConnection connection) {
      this.connection = connection;
    }

    @Setup
    public void setup() {
      SETUPS.incrementAndGet();
      shared = SharedClient.acquire(connection, "test");
    }

    @ProcessElement
    public void process(@Element Integer i, OutputReceiver<Integer> out) {
      HELD.add(shared.client());
      out.output(i);
    }

    @Teardown
    public void teardown() {
      if (shared != null) {
        shared.release();
      }
    }
  }

  @Test
  void theDoFnInstancesOfAPipelineShareOneClientThatIsClosedAtTheEnd() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(4);
    Pipeline p = Pipeline.create(o);
    List<Integer> in = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      in.add(i);
    }
    HELD.clear();
    SETUPS.set(0);
    p.apply(Create.of(in)).apply(Reshuffle.viaRandomKey()).apply(ParDo.of(new HoldingFn(connection(9))));
    p.run().waitUntilFinish();
    assertTrue(SETUPS.get() > 1, "the runner made several instances: " + SETUPS.get());
    assertEquals(1, HELD.size(), "one client for all of them");
    assertEquals(0, SharedClient.users(connection(9), "test"), "every instance released its hold");
    assertTrue(HELD.iterator().next().ioExecutor().isShutdown(), "closed with the last instance");
  }

  @Test
  void badArgumentsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SharedClient.acquire(null, "x"));
    assertTrue(e.getMessage().contains("connection"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SharedClient.acquire(connection(8), " "));
    assertTrue(e.getMessage().contains("metrics prefix"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SharedClient.acquire(connection(8), "write", "p", Duration.ZERO));
    assertTrue(e.getMessage().contains("PT0S"), e.getMessage());
  }
}
