package io.scrapinghubio.beam.follow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.joda.time.Duration;

/**
 * Keeps a continuous read's polls at least a poll interval apart in real time, whatever the runner
 * does with a resume delay.
 *
 * <p><b>Why.</b> Beam's Flink runner (2.70, streaming) honours {@code resume().withResumeDelay(d)}
 * with a processing-time timer, except once the job's sources have shut down: then each operator
 * drains by firing every pending processing-time timer at once, over and over, until none is left
 * ({@code DoFnOperator.flushData}). A pipeline that ends by its own termination condition needs its
 * sources shut down ({@code shutdownSourcesAfterIdleMs}), so without this the job-queue listing and
 * the running jobs' size checks would be requested in a tight loop, and "N polls without a new
 * job" would pass in milliseconds. The runners that honour the delay never wait here.
 *
 * <p>Turns are kept per key in this JVM: the key names the transform instance (fixed when the
 * pipeline is built) and, for a job's read, the job.
 */
final class PollPacer {
  /** When each key last resumed with a delay, in epoch ms. */
  private static final Map<String, Long> LAST = new ConcurrentHashMap<>();

  private PollPacer() {}

  /** Notes that {@code key} resumes with a delay from now on. */
  static void resumedNow(String key) {
    LAST.put(key, System.currentTimeMillis());
  }

  /**
   * Waits until {@code interval} has passed since {@code key} last resumed with a delay (at once
   * if it never did, or if that much time has passed), then forgets that resume.
   */
  static void awaitTurn(String key, Duration interval) {
    Long last = LAST.remove(key);
    if (last == null) {
      return;
    }
    long wait = last + interval.getMillis() - System.currentTimeMillis();
    if (wait > 0) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the runner is stopping the task: poll now, it ends anyway
      }
    }
  }
}
