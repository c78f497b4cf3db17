package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension's rule: without root a namespace test is skipped (with a printed reason); as root a
 * namespace test that aborts fails, so CI (root) can never go green with the lab skipped. Runs
 * sample classes through the JUnit launcher, pretending a uid with the extension's test-only
 * property.
 */
class SkipRuleTest {

  /** A sample lab test; not run by surefire on its own (nested class). */
  @NetNs
  static class Sample {
    @Test
    void usesTheLab(NetLab lab) {
      lab.namespace("x");
    }
  }

  /** A sample lab test that aborts itself. */
  @NetNs
  static class Aborting {
    @Test
    void abortsItself() {
      Assumptions.abort("pretending a missing tool");
    }
  }

  private static TestExecutionSummary run(Class<?> c, long uid) {
    System.setProperty(NetLabExtension.UID_PROPERTY, Long.toString(uid));
    try {
      LauncherDiscoveryRequest req =
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c)).build();
      Launcher launcher = LauncherFactory.create();
      SummaryGeneratingListener listener = new SummaryGeneratingListener();
      launcher.execute(req, listener);
      return listener.getSummary();
    } finally {
      System.clearProperty(NetLabExtension.UID_PROPERTY);
    }
  }

  @Test
  void withoutRootTheLabIsSkipped() {
    TestExecutionSummary s = run(Sample.class, 1000);
    assertEquals(1, s.getTestsAbortedCount());
    assertEquals(0, s.getTestsFailedCount());
    assertEquals(0, s.getTestsSucceededCount());
  }

  @Test
  void asRootAnAbortedLabTestFails() {
    TestExecutionSummary s = run(Aborting.class, 0);
    assertEquals(0, s.getTestsAbortedCount());
    assertEquals(1, s.getTestsFailedCount());
    String why = s.getFailures().get(0).getException().getMessage();
    assertEquals(true, why.contains("may not be skipped when running as root"), why);
  }

  @Test
  void asRootTheLabRuns() {
    if (NetLabExtension.uid() != 0) return; // this one really needs root
    TestExecutionSummary s = run(Sample.class, 0);
    assertEquals(1, s.getTestsSucceededCount(), () -> s.getFailures().toString());
  }
}
