package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.ProjectState;

/** Path-parsing helpers shared by the handlers. */
final class Params {
  private Params() {}

  static long projectId(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException | NullPointerException e) {
      throw HttpError.notFound();
    }
  }

  static int intSeg(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException | NullPointerException e) {
      throw HttpError.notFound();
    }
  }

  static boolean isInt(String s) {
    if (s == null || s.isEmpty() || s.length() > 10) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The project named by segment {@code seg}, if it exists and the caller may see it; otherwise
   * the family's refusal (see {@link Family#projectRefused}). Requests never create projects.
   */
  static ProjectState projectState(Request req, int seg, EmulatorState state) {
    return visibleProject(req, projectId(req.seg(seg)), state, Family.of(req.seg(0)));
  }

  static ProjectState visibleProject(Request req, long id, EmulatorState state, Family family) {
    return state.findProject(id).filter(p -> req.caller().sees(id))
        .orElseThrow(() -> family.projectRefused(id));
  }

  static boolean truthy(String v) {
    return v != null && !v.isEmpty() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }
}
