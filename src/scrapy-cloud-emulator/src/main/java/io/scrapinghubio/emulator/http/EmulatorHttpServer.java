package io.scrapinghubio.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.fault.FaultPlan;
import io.scrapinghubio.emulator.fault.FaultRule;
import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.log.RequestLog;
import io.scrapinghubio.emulator.log.ServerStats;
import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.RecordCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP front: one JDK {@link HttpServer}, one port, both hosts. Every request goes through
 * the same pipeline: count it, apply faults (they model a proxy, so they come before auth), check
 * auth, dispatch on the first path segment, log it.
 */
public final class EmulatorHttpServer implements HttpHandler {
  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, a small
    // body then waits for the client's delayed ACK: ~40 ms per small answer on keep-alive
    // connections (measured: 44 ms vs 1.5 ms per single-key GET). Read once, when the JDK's
    // server configuration first loads, so it is set before any server is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final int LOGGED_BODY_MAX = 64 * 1024;

  private final EmulatorState state;
  private final FaultPlan faults;
  private final RequestLog log;
  private final ServerStats stats;
  private final boolean gzip;
  private final Network network;
  private final Auth auth;
  private final Map<String, Handler> handlers = new HashMap<>();
  private HttpServer server;
  private ExecutorService executor;

  /**
   * A server over these parts; nothing is bound before {@link #bind}.
   *
   * @param state the store it serves
   * @param faults the faults it injects
   * @param log where requests are logged
   * @param stats the counters it updates
   * @param apiKeys accepted keys with the projects each sees (an empty set: all); empty to accept
   *     any key
   * @param gzip whether storage data answers are gzipped for clients that accept it
   * @param network the latency and bandwidth it imitates
   */
  public EmulatorHttpServer(EmulatorState state, FaultPlan faults, RequestLog log, ServerStats stats,
      Map<String, Set<Long>> apiKeys, boolean gzip, Network network) {
    this.state = state;
    this.faults = faults;
    this.log = log;
    this.stats = stats;
    this.gzip = gzip;
    this.network = network;
    this.auth = new Auth(apiKeys, state);
    Handler records = new RecordsHandler(state);
    for (String t : List.of("items", "logs", "requests", "samples")) {
      handlers.put(t, records);
    }
    handlers.put("api", new DashHandler(state));
    handlers.put("jobq", new JobQHandler(state));
    handlers.put("jobs", new JobMetaHandler(state));
    Handler projects = new ProjectsHandler(state);
    for (String t : List.of("projects", "ids", "system", "spiders")) {
      handlers.put(t, projects);
    }
    handlers.put("collections", new CollectionsHandler(state));
    handlers.put("hcf", new FrontierHandler(state));
    handlers.put("activity", new ActivityHandler(state));
  }

  /**
   * Binds the port (0: one the system picks) and returns it. From here on the system accepts
   * connections, and their requests wait until {@link #start()}.
   *
   * @param host the address to bind
   * @param port the port, or 0
   * @return the bound port
   */
  public int bind(String host, int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + host + ":" + port, e);
    }
    return server.getAddress().getPort();
  }

  /** Starts answering requests on the bound port. */
  public void start() {
    AtomicInteger n = new AtomicInteger();
    executor = new ThreadPoolExecutor(2, 256, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "scrapy-cloud-emulator-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(executor);
    server.createContext("/", this);
    server.start();
  }

  /** Closes the port at once and stops the request threads; does nothing when not started. */
  public void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    stats.countRequest();
    long t0 = state.now();
    Request req = new Request(ex);
    req.readFully(); // before any answer, so that an early one never leaves a body unread (see readFully)
    Family family = Family.of(req.seg(0));
    FaultPlan.Decision d = faults.decide(req.method(), req.path());
    long latency = network.nextLatencyMs() + d.latencyMs();
    if (latency > 0) {
      sleep(latency);
    }
    FaultRule action = d.action();
    FaultRule truncate = action != null && action.kind() == FaultKind.TRUNCATE ? action : null;
    Response resp = new Response(ex, stats, gzip && family.gzips() && req.acceptsGzip(), faults, truncate,
        req.method(), req.path(), network.bytesPerSecond());
    if (action != null && action.kind() == FaultKind.RESET_AFTER_HANDLING) {
      resp.dropBeforeSending();
    }
    boolean aborted = false;
    long seq = log.arrived(); // logged in the finally block below, whatever happens
    try {
      dispatch(req, resp, family, action);
    } catch (ConnectionAbort | IOException | UncheckedIOException e) {
      // Fault cut, or the client went away mid-response: let the JDK server drop the connection.
      aborted = true;
      throw e;
    } finally {
      record(req, aborted ? 0 : resp.status(), t0, seq);
      if (!aborted) {
        ex.close();
      }
    }
  }

  private void dispatch(Request req, Response resp, Family family, FaultRule action) throws IOException {
    try {
      if (action != null && action.kind() == FaultKind.RESET) {
        throw new ConnectionAbort("connection reset fault");
      }
      if (action != null && action.kind() == FaultKind.STATUS) {
        faultStatus(resp, action);
      } else {
        Caller caller = auth.caller(req).orElseThrow(family::unauthorized);
        req.caller(caller);
        state.advanceCrawls(); // simulated crawls catch up with the clock before every answer
        Handler h = handlers.get(req.seg(0));
        if (h == null) {
          throw HttpError.notFound();
        }
        h.handle(req, resp);
      }
    } catch (HttpError e) {
      sendError(resp, e);
    } catch (Json.JsonSyntaxException e) {
      sendError(resp, HttpError.badRequest("Error parsing data, " + e.getMessage()));
    } catch (RecordCodec.BadRecordException e) {
      sendError(resp, new HttpError(e.status(), ContentTypes.TEXT, e.getMessage() + "\n"));
    } catch (ConnectionAbort | UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      sendError(resp, new HttpError(500, ContentTypes.TEXT, "Internal emulator error: " + e + "\n"));
    }
  }

  private void record(Request req, int status, long t0, long seq) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    req.exchange().getRequestHeaders().forEach((k, v) -> {
      if (!k.equalsIgnoreCase("Authorization")) {
        headers.put(k, List.copyOf(v));
      }
    });
    byte[] body;
    try {
      body = req.body();
    } catch (RuntimeException e) {
      body = new byte[0];
    }
    if (body.length > LOGGED_BODY_MAX) {
      body = Arrays.copyOf(body, LOGGED_BODY_MAX);
    }
    log.add(seq, new LoggedRequest(req.method(), req.path(), req.query(), headers, body, status, t0));
  }

  private static void sendError(Response resp, HttpError e) {
    if (resp.sent()) {
      // Too late for a clean error: make the client see a broken response rather than a short one.
      throw new ConnectionAbort("error after response started: " + e.getMessage());
    }
    resp.bytes(e.status(), e.contentType(), e.body(), false);
  }

  private static void faultStatus(Response resp, FaultRule rule) {
    int status = FaultPlan.status(rule);
    if (status == 429 || status == 503) {
      resp.header("Retry-After", String.valueOf(FaultPlan.retryAfter(rule)));
    }
    resp.bytes(status, ContentTypes.HTML_BARE, ProxyPages.page(status), false);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
