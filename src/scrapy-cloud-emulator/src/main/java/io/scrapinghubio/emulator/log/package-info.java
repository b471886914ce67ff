/**
 * What the emulator received and served (request log, counters), for tests asserting what a
 * client sent. A package of its own because the HTTP server writes it and the emulator's facade
 * hands it out.
 */
package io.scrapinghubio.emulator.log;
