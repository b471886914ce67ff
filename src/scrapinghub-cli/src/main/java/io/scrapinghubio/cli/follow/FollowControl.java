package io.scrapinghubio.cli.follow;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * A follow running in this JVM (embedded Flink, Direct runner): what its window writers took and
 * wrote, whether its pipeline has written its last window, and the command's request to stop. The
 * writers are serialised into the pipeline and find it by id, as {@code LiveCounts}; on a remote
 * cluster they find nothing and only write by the watermark.
 */
final class FollowControl implements AutoCloseable {
  private static final Map<String, FollowControl> RUNNING = new ConcurrentHashMap<>();

  /** What the window writers do with what they hold. */
  enum Phase {
    /** Write each window once the watermark passes it. */
    FOLLOWING,
    /** Stopping: write everything held at once, and what still comes. */
    DRAINING,
    /** The pipeline is about to be cancelled: take nothing more, finish the writes under way. */
    CLOSED
  }

  private final String id;
  private volatile Phase phase = Phase.FOLLOWING;
  private final LongAdder taken = new LongAdder();
  private final LongAdder written = new LongAdder();
  /**
   * The item indices taken, per job: after a restore from a checkpoint the read emits again what it
   * had emitted since, and those items are not taken twice.
   */
  private final Map<String, BitSet> takenByJob = new ConcurrentHashMap<>();
  /** The lines of each window file written: a file written again after a restore replaces its count. */
  private final Map<String, Long> writtenByFile = new ConcurrentHashMap<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile String stopReason;

  private FollowControl(String id) {
    this.id = id;
  }

  /** Registers a control under {@code id} (the run's {@code LiveCounts} id) until {@link #close()}. */
  static FollowControl open(String id) {
    FollowControl c = new FollowControl(id);
    RUNNING.put(id, c);
    return c;
  }

  /** The control of run {@code id} if it runs in this JVM, else null. */
  static FollowControl inThisJvm(String id) {
    return RUNNING.get(id);
  }

  String id() {
    return id;
  }

  Phase phase() {
    return phase;
  }

  void phase(Phase p) {
    phase = p;
  }

  /**
   * A writer took the line of item {@code key} ({@code P/S/J/N}): it is in its state and will be
   * written. Returns whether it is the first time, rather than an item emitted again after a restore.
   */
  boolean took(String key) {
    int slash = key.lastIndexOf('/');
    long index;
    try {
      index = Long.parseLong(key.substring(slash + 1));
    } catch (NumberFormatException e) {
      index = -1;
    }
    if (slash < 0 || index < 0 || index > Integer.MAX_VALUE) {
      taken.increment();
      return true;
    }
    BitSet seen = takenByJob.computeIfAbsent(key.substring(0, slash), j -> new BitSet());
    synchronized (seen) {
      if (seen.get((int) index)) {
        return false;
      }
      seen.set((int) index);
    }
    taken.increment();
    return true;
  }

  /** The window file {@code file} was written with {@code lines} lines (again, after a restore: same lines). */
  void wrote(String file, long lines) {
    Long before = writtenByFile.put(file, lines);
    written.add(lines - (before == null ? 0 : before));
  }

  /** Lines taken by the writers, each item once: the items this follow has read. */
  long taken() {
    return taken.sum();
  }

  /** Lines in the window files written, each file counted once. */
  long written() {
    return written.sum();
  }

  /** The pipeline's last window is written: its watermark reached the end of time. */
  void ended() {
    ended.countDown();
  }

  boolean hasEnded() {
    return ended.getCount() == 0;
  }

  /** Asks the follow to stop: write what it read, then end. The first reason given is kept. */
  synchronized void requestStop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
      stopRequested.countDown();
    }
  }

  boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /** Why the follow was asked to stop, or null. */
  String stopReason() {
    return stopReason;
  }

  @Override
  public void close() {
    RUNNING.remove(id, this);
  }
}
