package io.scrapinghubio.client.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Identifies the client to the service, like python-scrapinghub's {@code User-Agent}. */
final class UserAgentInterceptor implements Interceptor {
  private final String userAgent;

  UserAgentInterceptor(String userAgent) {
    this.userAgent = userAgent;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    return chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent).build());
  }
}
