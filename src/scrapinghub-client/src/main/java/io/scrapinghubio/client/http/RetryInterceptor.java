package io.scrapinghubio.client.http;

import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.metrics.RequestListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Retries transient failures with exponential backoff and jitter ({@link ExponentialBackoff}),
 * bounded by attempts and total time, honouring {@code Retry-After} (capped by the policy's
 * maximum backoff).
 *
 * <p>What is retried depends on {@link CallOptions}: idempotent calls are retried on 408/429/5xx,
 * on I/O failures and, when the body is buffered here, on bodies cut short; non-idempotent calls
 * only when the connection could not even be opened. Everything else is passed through for the
 * caller to map to a typed error. Because buffered bodies are read here, a page of records is
 * either delivered whole or retried whole: its offset and count never drift.
 *
 * <p>Each retry is logged once at INFO (what, why, attempt n of m, wait). A connection refused by
 * a host that has never answered this client is not retried at all: it is a wrong endpoint or a
 * service that is not running, and half a minute of silent backoff would only hide that.
 */
final class RetryInterceptor implements Interceptor {
  /**
   * One INFO line per retry. {@code System.Logger} rather than a logging library: the client
   * depends on OkHttp and Jackson only; the JDK routes it to java.util.logging unless the
   * application installs a bridge (e.g. SLF4J's {@code slf4j-jdk-platform-logging}).
   */
  private static final System.Logger LOG = System.getLogger(RetryInterceptor.class.getName());

  /**
   * Requests repeated on a new connection, per call, because the pooled one had been closed by the
   * server ({@link StaleConnections}). One is the norm (the pool's other idle connections are
   * evicted with it); the bound keeps a server that resets every reused connection within the
   * retry policy.
   */
  static final int MAX_RECONNECTS = 3;

  private final RetryPolicy policy;
  private final List<RequestListener> listeners;
  private final Function<HttpUrl, String> resourceOf;
  private final Sleeper sleeper;
  private final Runnable evictIdleConnections;
  /** {@code host:port} of every host that has answered this client (this transport) at least once. */
  private final Set<String> answeredHosts = ConcurrentHashMap.newKeySet();

  RetryInterceptor(RetryPolicy policy, List<RequestListener> listeners, Function<HttpUrl, String> resourceOf, Sleeper sleeper,
      Runnable evictIdleConnections) {
    this.policy = policy;
    this.listeners = listeners;
    this.resourceOf = resourceOf;
    this.sleeper = sleeper;
    this.evictIdleConnections = evictIdleConnections;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    CallOptions options = request.tag(CallOptions.class);
    if (options == null) {
      options = CallOptions.IDEMPOTENT;
    }
    CallTrace trace = request.tag(CallTrace.class);
    if (trace == null) {
      trace = new CallTrace();
    }
    String resource = resourceOf.apply(request.url());
    String host = request.url().host() + ":" + request.url().port();
    long deadline = System.nanoTime() + policy.maxTotalTime().toNanos();
    ExponentialBackoff backoff = new ExponentialBackoff(policy);
    int reconnects = 0;
    while (true) {
      long start = System.nanoTime();
      trace.attemptStarted();
      Response response;
      try {
        response = chain.proceed(request);
      } catch (StaleConnections.StaleConnectionException stale) {
        if (chain.call().isCanceled()) {
          throw stale.original(); // a reader closed while this was in flight: not a failure to retry
        }
        trace.answerLost(); // almost always a connection closed while idle, but an injected reset looks the same
        // Only idempotent calls: whether the server had read a run.json before closing is unknowable.
        if (options.idempotent() && reconnects < MAX_RECONNECTS) {
          reconnects++;
          reconnect(request, resource, stale, trace);
          continue;
        }
        IOException e = stale.original();
        long delay = retryable(options, e) ? nextDelay(backoff, deadline, NO_RETRY_AFTER, true) : -1;
        if (delay < 0) {
          throw e;
        }
        pause(delay, request, resource, -1, describe(e), backoff);
        continue;
      } catch (ConnectException e) {
        if (!answeredHosts.contains(host)) {
          throw new NeverAnsweredException(host, e);
        }
        long delay = retryable(options, e) ? nextDelay(backoff, deadline, NO_RETRY_AFTER, false) : -1; // down or restarting
        if (delay < 0) {
          throw e;
        }
        pause(delay, request, resource, -1, describe(e), backoff);
        continue;
      } catch (IOException e) {
        if (chain.call().isCanceled()) {
          throw e; // cancelled by its reader (closed mid-read): nothing to retry or to log
        }
        trace.answerLost();
        // A timeout says the service is slow: no quick retry. A dropped or cut exchange is a blip.
        long delay = retryable(options, e) ? nextDelay(backoff, deadline, NO_RETRY_AFTER, !(e instanceof InterruptedIOException)) : -1;
        if (delay < 0) {
          throw e;
        }
        pause(delay, request, resource, -1, describe(e), backoff);
        continue;
      }
      answeredHosts.add(host);
      long latency = System.nanoTime() - start;
      int status = response.code();
      for (RequestListener l : listeners) {
        l.onResponse(request.method(), resource, status, latency);
      }
      if (RetryPolicy.isRetryableStatus(status) && options.idempotent()) {
        boolean overload = status == 408 || status == 429 || status == 503;
        long delay = nextDelay(backoff, deadline, retryAfterMillis(response), !overload);
        if (delay >= 0) {
          response.close();
          if (!overload) {
            trace.answerLost(); // a gateway's 500/502/504 does not say whether the service handled it
          }
          pause(delay, request, resource, status, "HTTP " + status, backoff);
          continue;
        }
        // Out of retries: the caller maps this last answer to a typed error.
      }
      if (!options.bufferBody() || !response.isSuccessful()) {
        return response;
      }
      try {
        return buffer(response, options, resource);
      } catch (IOException e) {
        response.close();
        if (chain.call().isCanceled()) {
          throw e;
        }
        trace.answerLost(); // the service answered: it handled the request
        long delay = options.idempotent() ? nextDelay(backoff, deadline, NO_RETRY_AFTER, true) : -1; // a body cut short
        if (delay < 0) {
          throw e;
        }
        pause(delay, request, resource, -1, describe(e), backoff);
      }
    }
  }

  /**
   * The pooled connection had been closed by the server: not an attempt, no wait. Its idle
   * siblings have most likely been closed too (same idle time, same server), so the pool drops
   * them rather than let the next calls find them one by one.
   */
  private void reconnect(Request request, String resource, StaleConnections.StaleConnectionException stale, CallTrace trace) {
    trace.reconnected();
    evictIdleConnections.run();
    for (RequestListener l : listeners) {
      l.onReconnect(request.method(), resource);
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "Repeating " + request.method() + " " + ErrorMapper.describe(request.url())
        + " on a new connection: the pooled one had been closed by the server (" + describe(stale.original()) + ")");
  }

  /** Why an attempt failed, for the log: the exception's class and message, never a header. */
  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : " (" + m + ")");
  }

  /**
   * Reads the body completely. OkHttp already fails on a premature end of a Content-Length,
   * chunked or gzip body; for JSON lines we also check that the last line is a complete JSON
   * value. The real service does <em>not</em> always end JSON lines with a newline (logs,
   * requests, samples, jobq and job-meta answers in the recorded cassettes have none), so a
   * missing final newline alone proves nothing; a last line that does not parse does.
   */
  private Response buffer(Response response, CallOptions options, String resource) throws IOException {
    ResponseBody body = response.body();
    byte[] bytes = body.bytes(); // throws on premature EOF, bad chunking or a broken gzip stream
    if (options.jsonLines() && !lastLineComplete(bytes)) {
      throw new TruncatedBodyException(
          "JSON-lines body of " + bytes.length + " bytes from " + resource + " ends with an incomplete line: truncated");
    }
    for (RequestListener l : listeners) {
      l.onBodyRead(resource, bytes.length);
    }
    MediaType type = body.contentType();
    return response.newBuilder().body(new BufferedBody(bytes, type)).build();
  }

  /** Whether the text after the last newline (if any) is empty or one complete JSON value. */
  static boolean lastLineComplete(byte[] bytes) {
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
      if (bytes[end - 1] == '\n') {
        return true; // ends on a line boundary
      }
      end--;
    }
    if (end == 0) {
      return true;
    }
    int start = end - 1;
    while (start > 0 && bytes[start - 1] != '\n') {
      start--;
    }
    byte last = bytes[end - 1];
    if (last != '}' && last != ']' && last != '"' && last != 'e' && last != 'l' && !(last >= '0' && last <= '9')) {
      return false; // no JSON value ends this way
    }
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(bytes, start, end - start)) {
      if (p.nextToken() == null) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

  private static boolean retryable(CallOptions options, IOException e) {
    if (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
      return false; // the thread was interrupted: stop, don't retry
    }
    if (options.idempotent()) {
      return !(e instanceof UnknownHostException);
    }
    // Nothing was sent if the connection could not be opened: safe even for run.json.
    return e instanceof ConnectException;
  }

  /** No {@code Retry-After} on the answer: the backoff schedule decides the wait. */
  static final long NO_RETRY_AFTER = -1;

  /**
   * Milliseconds to wait before the next attempt, or -1 when attempts or total time are spent. A
   * {@code Retry-After} is the service saying when to come back, so it is the wait (within the
   * policy's blip and maximum backoff), not a floor under the whole schedule: {@code Retry-After: 0}
   * is retried after the blip backoff, not a second later. Each such retry still counts as an attempt.
   */
  private long nextDelay(ExponentialBackoff backoff, long deadline, long retryAfterMillis, boolean blip) {
    long next = backoff.nextBackOffMillis(blip);
    if (next == ExponentialBackoff.STOP) {
      return -1;
    }
    long wait = retryAfterMillis == NO_RETRY_AFTER ? next
        : Math.max(policy.blipBackoff().toMillis(), Math.min(retryAfterMillis, policy.maxBackoff().toMillis()));
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait) > deadline ? -1 : wait;
  }

  /**
   * Reports and waits out one retry. The log line names the request (method and URL: the key
   * travels only in the Authorization header, never in a URL), the cause, the attempt about to be
   * made and the wait, so that a user watching a slow job can see what the client is doing.
   */
  private void pause(long wait, Request request, String resource, int status, String why, ExponentialBackoff backoff)
      throws IOException {
    for (RequestListener l : listeners) {
      l.onRetry(request.method(), resource, status, wait);
    }
    int next = backoff.retries() + 1;
    LOG.log(System.Logger.Level.INFO, () -> "Retrying " + request.method() + " " + ErrorMapper.describe(request.url())
        + " after " + why + ": attempt " + next + " of " + policy.maxAttempts() + " in " + wait + " ms");
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while backing off before retrying " + resource);
    }
  }

  /**
   * {@code Retry-After} in milliseconds (the seconds form; the HTTP-date form is rare for APIs and
   * ignored), or {@link #NO_RETRY_AFTER}. A {@code 503 + Retry-After: 0} arrives under
   * {@link HttpTransport#RETRY_AFTER_ZERO}: the transport hides it from OkHttp's own retry.
   */
  static long retryAfterMillis(Response response) {
    String h = response.header("Retry-After");
    if (h == null && response.header(HttpTransport.RETRY_AFTER_ZERO) != null) {
      return 0;
    }
    if (h == null) {
      return NO_RETRY_AFTER;
    }
    try {
      double seconds = Double.parseDouble(h.trim());
      return seconds <= 0 ? 0 : (long) (seconds * 1000);
    } catch (NumberFormatException e) {
      return NO_RETRY_AFTER;
    }
  }

  /** A body that ended before it was complete. */
  static final class TruncatedBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    TruncatedBodyException(String message) {
      super(message);
    }
  }
}
