package io.scrapinghubio.emulator.fault;

/**
 * A fault that really happened, for assertions.
 *
 * @param kind what was done
 * @param method request method
 * @param path request path
 * @param detail status code, latency ms or truncation offset
 */
public record InjectedFault(FaultKind kind, String method, String path, long detail) {}
