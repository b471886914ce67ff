package io.scrapinghubio.client.testing;

/** Runs {@link FakeStorage} in its own JVM (for benchmarks) and prints its URL; stops on stdin EOF. */
public final class FakeStorageMain {
  public static void main(String[] args) throws Exception {
    try (FakeStorage fs = new FakeStorage()) {
      System.out.println(fs.url());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our stdin
      }
    }
  }
}
