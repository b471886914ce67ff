package io.scrapinghubio.emulator.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestLogTest {

  private static LoggedRequest request(String method, String path) {
    return new LoggedRequest(method, path, Map.of(), Map.of(), new byte[0], 200, 0);
  }

  @Test
  void awaitMatchingWaitsUntilEnoughMatchingRequestsAreLogged() throws Exception {
    RequestLog log = new RequestLog(100);
    log.add(request("POST", "/items/1/2/3"));
    FutureTask<List<LoggedRequest>> read = readWhenBlocked(() -> log.awaitMatching("POST", "^/items/", 3));
    log.add(request("GET", "/items/1/2/3")); // another method: does not count
    log.add(request("POST", "/logs/1/2/3")); // another path: does not count
    log.add(request("POST", "/items/1/2/4"));
    log.add(request("POST", "/items/1/2/5"));
    assertEquals(List.of("/items/1/2/3", "/items/1/2/4", "/items/1/2/5"),
        read.get(5, TimeUnit.SECONDS).stream().map(LoggedRequest::path).toList());
  }

  @Test
  void awaitMatchingReturnsWhatIsThereWhenTheTimeIsUp() {
    RequestLog log = new RequestLog(100);
    log.add(request("POST", "/items/1/2/3"));
    assertEquals(1, log.awaitMatching("POST", "^/items/", 2, Duration.ofMillis(50)).size());
  }

  @Test
  void readsWaitForRequestsThatArrivedButAreNotLoggedYet() throws Exception {
    RequestLog log = new RequestLog(100);
    long seq = log.arrived(); // being answered: the server logs it afterwards
    FutureTask<List<LoggedRequest>> read = readWhenBlocked(() -> log.matching("GET", "^/jobq/"));
    log.add(seq, request("GET", "/jobq/1/count"));
    assertEquals(1, read.get(5, TimeUnit.SECONDS).size());
  }

  /** Starts the read on its own thread and returns once that thread waits in the log (5 s at most). */
  private static <T> FutureTask<T> readWhenBlocked(Callable<T> read) throws InterruptedException {
    FutureTask<T> task = new FutureTask<>(read);
    Thread reader = new Thread(task, "request-log-reader");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (reader.getState() != Thread.State.TIMED_WAITING) {
      if (System.nanoTime() > deadline || task.isDone()) {
        throw new AssertionError("the read did not wait");
      }
      Thread.onSpinWait();
    }
    return task;
  }
}
