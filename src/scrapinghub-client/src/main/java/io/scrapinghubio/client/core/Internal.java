package io.scrapinghubio.client.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the client's plumbing: public only because Java has no visibility between a package and
 * its neighbours, so the client's resource objects can hand the HTTP transport to the classes of
 * its subpackages. Not part of the API: it may change or go in any release. Get these objects from
 * {@code ScrapinghubClient} and the resources it returns instead; the architecture tests keep every
 * public entry point that takes the transport marked with this annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PACKAGE, ElementType.TYPE, ElementType.CONSTRUCTOR, ElementType.METHOD})
public @interface Internal {}
