package io.scrapinghubio.client.http;

import io.scrapinghubio.client.core.Internal;
import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.metrics.RequestListener;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import io.scrapinghubio.client.json.Json;
import okhttp3.Dispatcher;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The client's one door to the network: builds URLs on the two hosts, runs requests through the
 * interceptor chain (user agent, Basic auth, retry) and maps failures to typed errors.
 *
 * <p>Internal to the client: public only because the resource classes of the client's subpackages
 * (collections, frontier, read, write...) receive it through their constructors. Other modules
 * reach the service through the client's resource objects, never through this class (the Beam
 * module's architecture test enforces it).
 *
 * <p>All transports in a JVM share one connection pool and dispatcher (OkHttp's recommended
 * pattern), so the many readers a Beam worker runs reuse warm keep-alive connections.
 */
@Internal
public final class HttpTransport {
  /**
   * Idle connections are kept 25 s: below the idle timeout of the emulator (the JDK server closes
   * them after 30 to 40 s) and of common front-ends (nginx 75 s, cloud load balancers 60 s), so a
   * pause rarely leaves a pool of connections the server has closed. One that is closed anyway
   * costs a reconnect, not a retry ({@link StaleConnections}).
   */
  private static final ConnectionPool SHARED_POOL = new ConnectionPool(64, 25, TimeUnit.SECONDS);
  private static final OkHttpClient BASE = new OkHttpClient.Builder()
      .connectionPool(SHARED_POOL)
      .dispatcher(new Dispatcher())
      // Nagle's algorithm held the tail of every upload over 8 KiB for the server's delayed ACK (~40 ms).
      .socketFactory(NoDelaySocketFactory.INSTANCE)
      .build();

  /** The content type of JSON-lines requests and answers. */
  public static final String JSON_LINES = "application/x-jsonlines";
  /** Where a {@code 503}'s {@code Retry-After: 0} travels past OkHttp, which would otherwise re-send the call itself. */
  static final String RETRY_AFTER_ZERO = "X-ScrapinghubIO-Retry-After-Zero";
  /** The content type of msgpack answers. */
  public static final String MSGPACK = "application/x-msgpack";

  private final ClientConfig config;
  private final OkHttpClient http;
  private final HttpUrl storageBase;
  private final HttpUrl dashBase;
  private final ErrorMapper errors;
  private final List<RequestListener> listeners;

  /**
   * A transport for this configuration.
   *
   * @param config endpoints, key, timeouts and retries
   * @param listeners told about every request
   */
  public HttpTransport(ClientConfig config, List<RequestListener> listeners) {
    this(config, listeners, Sleeper.DEFAULT);
  }

  HttpTransport(ClientConfig config, List<RequestListener> listeners, Sleeper sleeper) {
    this.config = config;
    this.storageBase = HttpUrl.get(config.storageEndpoint());
    this.dashBase = HttpUrl.get(config.dashEndpoint());
    this.errors = new ErrorMapper(config.apiKey());
    List<RequestListener> ls = List.copyOf(new ArrayList<>(listeners));
    this.listeners = ls;
    OkHttpClient.Builder b = BASE.newBuilder()
        .connectTimeout(millis(config.connectTimeout()), TimeUnit.MILLISECONDS)
        .readTimeout(millis(config.readTimeout()), TimeUnit.MILLISECONDS)
        .writeTimeout(millis(config.readTimeout()), TimeUnit.MILLISECONDS)
        // Our RetryInterceptor decides; OkHttp's silent retry could re-send a run.json.
        .retryOnConnectionFailure(false)
        .addInterceptor(new UserAgentInterceptor(config.userAgent()))
        .addInterceptor(new BasicAuthInterceptor(config.apiKey()))
        .addInterceptor(new RetryInterceptor(config.retryPolicy(), ls, this::resourceOf, sleeper, SHARED_POOL::evictAll))
        .addNetworkInterceptor(new StaleConnections())
        // OkHttp itself re-sends any request answered "503 + Retry-After: 0", idempotent or not
        // (RetryAndFollowUpInterceptor), behind our RetryInterceptor's back: an activity POST or a
        // run.json could be applied twice. Hide that header from it; 0 s is our default wait anyway.
        .addNetworkInterceptor(chain -> {
          okhttp3.Response r = chain.proceed(chain.request());
          return r.code() == 503 && "0".equals(r.header("Retry-After"))
              ? r.newBuilder().removeHeader("Retry-After").header(RETRY_AFTER_ZERO, "0").build() : r;
        });
    if (!config.gzip()) {
      b.addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("Accept-Encoding", "identity").build()));
    }
    this.http = b.build();
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public ClientConfig config() {
    return config;
  }

  /**
   * A storage URL from path parts; a part holding {@code /} (a job key such as {@code 1/2/3}) is
   * split into segments. Each segment is percent-encoded.
   *
   * @param parts path parts
   * @return a URL builder
   */
  public HttpUrl.Builder storage(String... parts) {
    HttpUrl.Builder b = storageBase.newBuilder();
    for (String part : parts) {
      for (String seg : part.split("/", -1)) {
        if (!seg.isEmpty()) {
          b.addPathSegment(seg);
        }
      }
    }
    return b;
  }

  /**
   * An app-API URL relative to the dash endpoint, e.g. {@code run.json} or
   * {@code v2/projects/1/spiders/2}.
   *
   * @param relativePath the path under the dash endpoint
   * @return a URL builder
   */
  public HttpUrl.Builder dash(String relativePath) {
    HttpUrl.Builder b = dashBase.newBuilder();
    for (String seg : relativePath.split("/")) {
      if (!seg.isEmpty()) {
        b.addPathSegment(seg);
      }
    }
    return b;
  }

  /**
   * GET on the storage API; the whole body is read (and retried whole) before returning.
   *
   * @param url the URL
   * @param accept the {@code Accept} header, or null
   * @param options retry and body handling
   * @return the result
   */
  public HttpResult get(HttpUrl url, String accept, CallOptions options) {
    Request.Builder r = new Request.Builder().url(url).get();
    if (accept != null) {
      r.header("Accept", accept);
    }
    return storage(r.tag(CallOptions.class, options).build());
  }

  /**
   * POST raw bytes to the storage API. Like the official client, no {@code Content-Type} is sent;
   * {@code contentEncoding} ({@code gzip} or {@code identity}, null for none) is sent as the
   * lower-case {@code content-encoding} header the batch writers use.
   *
   * @param url the URL
   * @param body the body
   * @param contentEncoding the encoding, or null
   * @param options retry and body handling
   * @return the result
   */
  public HttpResult post(HttpUrl url, byte[] body, String contentEncoding, CallOptions options) {
    Request.Builder r = new Request.Builder().url(url).post(okhttp3.RequestBody.create(body, null));
    if (contentEncoding != null) {
      r.header("content-encoding", contentEncoding);
    }
    return storage(r.tag(CallOptions.class, options).build());
  }

  /**
   * DELETE on the storage API.
   *
   * @param url the URL
   * @param options retry and body handling
   * @return the result
   */
  public HttpResult delete(HttpUrl url, CallOptions options) {
    return storage(new Request.Builder().url(url).delete().tag(CallOptions.class, options).build());
  }

  /**
   * GET on the app API, e.g. {@code spiders/list.json?project=1} or a v2 REST resource.
   *
   * @param url the URL
   * @return the JSON answer
   */
  public JsonNode dashGet(HttpUrl url) {
    return dash(new Request.Builder().url(url).get().header("Accept", "application/json")
        .tag(CallOptions.class, CallOptions.IDEMPOTENT).build());
  }

  /**
   * A form POST on the app API ({@code application/x-www-form-urlencoded}); a field may repeat
   * ({@code add_tag}).
   *
   * @param relativePath the path under the dash endpoint
   * @param fields the form fields
   * @param options retry handling
   * @return the JSON answer
   */
  public JsonNode dashForm(String relativePath, List<Map.Entry<String, String>> fields, CallOptions options) {
    FormBody.Builder form = new FormBody.Builder();
    for (Map.Entry<String, String> f : fields) {
      form.add(f.getKey(), f.getValue());
    }
    return dash(new Request.Builder().url(dash(relativePath).build()).post(form.build())
        .header("Accept", "application/json").tag(CallOptions.class, options).build());
  }

  /**
   * A JSON-bodied call on the app API's REST (v2) resources, e.g. {@code PATCH .../tags}.
   *
   * @param method the HTTP method
   * @param relativePath the path under the dash endpoint
   * @param body the JSON body
   * @param options retry handling
   * @return the JSON answer
   */
  public JsonNode dashJson(String method, String relativePath, JsonNode body, CallOptions options) {
    RequestBody rb = RequestBody.create(Json.write(body), MediaType.get("application/json"));
    return dash(new Request.Builder().url(dash(relativePath).build()).method(method, rb)
        .header("Accept", "application/json").tag(CallOptions.class, options).build());
  }

  /**
   * A streamed GET on the storage API: returns once the answer's headers arrived, with the body
   * still to read ({@link StreamedBody}). Failures before that are retried as for {@link #get};
   * a non-2xx answer is a typed error. {@code onCall} receives the call's cancel action before it
   * is sent, so that a reader closed meanwhile can stop it from another thread.
   *
   * @param url the URL
   * @param accept the {@code Accept} header
   * @param onCall receives the call's cancel action
   * @return the body, to read and close
   */
  public StreamedBody openStream(HttpUrl url, String accept, java.util.function.Consumer<Runnable> onCall) {
    Request.Builder rb = new Request.Builder().url(url).get().tag(CallOptions.class, CallOptions.STREAMED_JSON_LINES);
    if (accept != null) {
      rb.header("Accept", accept);
    }
    CallTrace trace = new CallTrace();
    Request request = rb.tag(CallTrace.class, trace).build();
    okhttp3.Call call = http.newCall(request);
    onCall.accept(call::cancel);
    Response response = null;
    try {
      response = call.execute();
      if (!response.isSuccessful()) {
        byte[] bytes = bytes(response.body());
        throw errors.storageError(request.method(), request.url(), response.code(), bytes);
      }
      StreamedBody body = new StreamedBody(call, response, resourceOf(url), listeners);
      response = null;
      return body;
    } catch (IOException e) {
      throw transportError(request, e, trace);
    } finally {
      if (response != null) {
        response.close();
      }
    }
  }

  /**
   * The wait before resuming a body cut mid-way, by the client's retry policy
   * ({@link ResumeBackoff}).
   *
   * @param url the URL being read
   * @return the backoff
   */
  public ResumeBackoff resumeBackoff(HttpUrl url) {
    return new ResumeBackoff(config.retryPolicy(), listeners, resourceOf(url), ErrorMapper.describe(url));
  }

  /**
   * Any storage request; failures come back as typed errors (status-based mapping).
   *
   * @param request the request
   * @return the result
   */
  public HttpResult storage(Request request) {
    CallTrace trace = new CallTrace();
    try (Response response = http.newCall(request.newBuilder().tag(CallTrace.class, trace).build()).execute()) {
      byte[] bytes = bytes(response.body());
      if (!response.isSuccessful()) {
        throw errors.storageError(request.method(), request.url(), response.code(), bytes);
      }
      String type = response.header("Content-Type");
      if (type != null && type.startsWith("text/html") && bytes.length > 0 && bytes[0] == '<') {
        // The storage API answers data as JSON, JSON lines or msgpack (and its writes with an empty
        // text/html body, as recorded): a page of HTML is a proxy or a wrong endpoint.
        throw new ScrapinghubException(request.method() + " " + ErrorMapper.describe(request.url()) + " answered HTTP "
            + response.code() + " with an HTML page, not the storage API's data: check the storage endpoint "
            + storageBase + " (--endpoint, ClientConfig storageEndpoint or SHUB_STORAGE)", response.code(), null);
      }
      return new HttpResult(response.code(), response.header("Content-Type"), bytes, trace.wasAnswerLost());
    } catch (IOException e) {
      throw transportError(request, e, trace);
    }
  }

  /**
   * A request to the app API; the JSON body is checked as the real client does (see
   * {@link ErrorMapper}).
   *
   * @param request the request
   * @return the JSON answer
   */
  public JsonNode dash(Request request) {
    CallTrace trace = new CallTrace();
    try (Response response = http.newCall(request.newBuilder().tag(CallTrace.class, trace).build()).execute()) {
      byte[] bytes = bytes(response.body());
      return errors.dashResult(request.method(), request.url(), response.code(), bytes);
    } catch (IOException e) {
      throw transportError(request, e, trace);
    }
  }

  /** The body, without copying it again when the retry interceptor has already read it whole. */
  private static byte[] bytes(ResponseBody body) throws IOException {
    if (body == null) {
      return new byte[0];
    }
    return body instanceof BufferedBody b ? b.array() : body.bytes();
  }

  private ScrapinghubException transportError(Request request, IOException e, CallTrace trace) {
    String what = request.method() + " " + ErrorMapper.describe(request.url());
    if (e instanceof NeverAnsweredException) {
      boolean dashUrl = resourceOf(request.url()).startsWith("app:");
      return new TransportException(what + " failed at once: " + e.getMessage() + ", so it is not retried. Check the "
          + (dashUrl ? "app API endpoint " + dashBase + " (--dash-endpoint, ClientConfig dashEndpoint or SHUB_APIURL)"
              : "storage endpoint " + storageBase + " (--endpoint, ClientConfig storageEndpoint or SHUB_STORAGE)")
          + " and that the service there is running.", e);
    }
    return new TransportException(what + " failed without a usable response" + trace.afterAttempts() + " (" + e + ")", e);
  }

  /** The resource family of a URL, for metrics: {@code items}, {@code jobq}, {@code run.json}... */
  String resourceOf(HttpUrl url) {
    boolean dashUrl = url.host().equals(dashBase.host()) && url.port() == dashBase.port()
        && url.encodedPath().startsWith(dashBase.encodedPath());
    HttpUrl base = dashUrl ? dashBase : storageBase;
    int skip = base.pathSegments().size() - (base.pathSegments().get(base.pathSegments().size() - 1).isEmpty() ? 1 : 0);
    List<String> segs = url.pathSegments();
    String first = segs.size() > skip ? segs.get(skip) : "";
    return (dashUrl ? "app:" : "") + first;
  }
}
