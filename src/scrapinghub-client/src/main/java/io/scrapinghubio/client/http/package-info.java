/**
 * Internal: the client's HTTP plumbing (OkHttp transport, auth, user agent, retries, typed errors).
 * Its public types are public only for the client's other packages; they are not API and may change
 * in any release. Everything outside the client reaches the service through
 * {@code ScrapinghubClient} and its resource objects (the Beam module's architecture test enforces
 * it).
 */
@Internal
package io.scrapinghubio.client.http;

import io.scrapinghubio.client.core.Internal;
