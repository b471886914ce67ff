package io.scrapinghubio.emulator.http;

import java.io.IOException;

/** Serves one resource family (items-like, jobq, dash...). */
@FunctionalInterface
interface Handler {
  void handle(Request req, Response resp) throws IOException;
}
