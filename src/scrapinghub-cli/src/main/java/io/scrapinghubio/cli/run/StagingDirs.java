package io.scrapinghubio.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The hidden staging directories ({@code .<output>.in-progress-<id>}) an export or a crawl writes
 * into before its output takes their name, and who owns them: a run holds an OS file lock on
 * {@value #LOCK} inside its own while it runs, so that a directory whose lock anyone can take was
 * left by a process that died (kill -9, a crash, a power cut), however long ago, and may be removed
 * by the next run of the same output.
 */
public final class StagingDirs {
  /** The lock file a running run keeps locked inside its staging directory. */
  static final String LOCK = "owner.lock";

  /**
   * A staging directory without a lock file is a run's only before its pipeline starts (or of an
   * older version of this command): one untouched this long is taken as left behind.
   */
  static final Duration UNOWNED_AGE = Duration.ofMinutes(10);

  /** Staging directories whose run in this JVM removes them itself on a stop (see {@link StagedRun}). */
  private static final Set<Path> HANDLED = ConcurrentHashMap.newKeySet();

  /**
   * Staging directories claimed in this JVM. Their locks are never probed from here: closing any
   * channel of a locked file may release every lock the process holds on it.
   */
  private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

  private StagingDirs() {}

  /** A run's claim on its staging directory, until {@link #release()} or the process's end. */
  public static final class Claim {
    private final FileChannel channel;
    private final FileLock lock;

    private final Path staging;

    private Claim(Path staging, FileChannel channel, FileLock lock) {
      this.staging = staging;
      this.channel = channel;
      this.lock = lock;
    }

    /** Gives the directory up: from now on another run may take it as left behind. */
    public synchronized void release() {
      try {
        if (lock != null && lock.isValid()) {
          lock.release();
        }
        channel.close();
      } catch (IOException e) {
        // the lock goes with the process anyway
      }
      CLAIMED.remove(staging);
    }
  }

  /** The staging directories of {@code output}: hidden siblings named after it. */
  static List<Path> of(Path output) {
    Path parent = output.getParent();
    String prefix = "." + output.getFileName() + ".in-progress-";
    String unfinished = "." + output.getFileName() + ".unfinished"; // a resumable export's (see StagedOutput)
    if (parent == null || !Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(parent)) {
      return s.filter(p -> (p.getFileName().toString().startsWith(prefix) || p.getFileName().toString().equals(unfinished))
          && Files.isDirectory(p)).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Claims {@code staging} for this run: a lock file in it, locked while the run lives. */
  static Claim claim(Path staging) {
    try {
      FileChannel ch = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      CLAIMED.add(staging);
      return new Claim(staging, ch, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + staging.resolve(LOCK), e);
    }
  }

  /** Notes that a run in this JVM removes {@code staging} itself if stopped. */
  static void handledHere(Path staging, boolean handled) {
    if (handled) {
      HANDLED.add(staging);
    } else {
      HANDLED.remove(staging);
    }
  }

  /** Whether {@code staging} was left by a run that is gone. */
  static boolean leftBehind(Path staging) {
    if (CLAIMED.contains(staging)) {
      return false;
    }
    Path lockFile = staging.resolve(LOCK);
    if (!Files.exists(lockFile)) {
      return newestChange(staging) < System.currentTimeMillis() - UNOWNED_AGE.toMillis();
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return false; // another process holds it: a live run
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false; // a run in this JVM holds it
    } catch (IOException e) {
      return false; // cannot tell: leave it
    }
  }

  /**
   * Removes the staging directories of {@code output} left by runs that are gone, except
   * {@code own}; says so in one line on {@code err}.
   */
  static void removeLeftBehind(Path output, Path own, PrintWriter err) {
    List<String> removed = new ArrayList<>();
    for (Path dir : of(output)) {
      if (!dir.equals(own) && leftBehind(dir)) {
        try {
          deleteTree(dir);
          removed.add(dir.getFileName().toString());
        } catch (IOException | UncheckedIOException e) {
          // someone else's to clean, then
        }
      }
    }
    if (!removed.isEmpty()) {
      err.println("Removed " + (removed.size() == 1 ? "the staging directory " : removed.size()
          + " staging directories ") + String.join(", ", removed) + " left beside " + output
          + " by an earlier run that was killed");
      err.flush();
    }
  }

  /**
   * Until closed, a JVM shutdown (Ctrl-C, SIGTERM) removes the staging directories of
   * {@code output} created since this call by this process and not yet in a pipeline's hands: a
   * command stopped before its pipeline started leaves nothing behind either.
   */
  public static AutoCloseable removeOnStop(Path output, PrintWriter err) {
    Set<Path> before = Set.copyOf(of(output));
    Thread hook = new Thread(() -> {
      boolean removed = false;
      for (Path dir : of(output)) {
        if (!before.contains(dir) && !HANDLED.contains(dir) && !ownedElsewhere(dir)) {
          try {
            deleteTree(dir);
            removed = true;
          } catch (IOException | UncheckedIOException e) {
            // best effort: the next run removes it
          }
        }
      }
      if (removed) {
        err.println();
        err.println("Stopped before the pipeline started: its staging directory is removed and " + output
            + " was not written.");
        err.flush();
      }
    }, "scrapinghub-cli-stop-early");
    Runtime.getRuntime().addShutdownHook(hook);
    return () -> {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    };
  }

  /** Whether another process holds {@code staging}'s lock. */
  static boolean ownedElsewhere(Path staging) {
    if (CLAIMED.contains(staging)) {
      return false;
    }
    Path lockFile = staging.resolve(LOCK);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return false; // this JVM's
    } catch (IOException e) {
      return true; // cannot tell: leave it
    }
  }

  /** The newest modification time of anything in {@code dir}, in epoch ms. */
  private static long newestChange(Path dir) {
    long[] newest = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
          newest[0] = Math.max(newest[0], a.lastModifiedTime().toMillis());
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
          newest[0] = Math.max(newest[0], a.lastModifiedTime().toMillis());
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      return Long.MAX_VALUE; // cannot tell: leave it
    }
    return newest[0];
  }

  /** Deletes {@code dir} and what it holds; what another thread removes meanwhile is no error. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException gone) {
          // removed meanwhile
        }
      }
    }
  }
}
