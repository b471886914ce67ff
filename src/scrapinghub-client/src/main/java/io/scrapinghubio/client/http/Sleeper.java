package io.scrapinghubio.client.http;

/** Waits between attempts; tests replace it to run backoffs without real time passing. */
@FunctionalInterface
interface Sleeper {
  Sleeper DEFAULT = Thread::sleep;

  void sleep(long millis) throws InterruptedException;
}
