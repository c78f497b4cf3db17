package org.icmpecho.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The README's library examples run as written (they print what the README shows). */
class ExamplesTest {
  static String run(ThrowingMain main) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true));
    try {
      main.run();
    } finally {
      System.setOut(saved);
    }
    return out.toString();
  }

  interface ThrowingMain {
    void run() throws Exception;
  }

  @Test
  void syncExamplePrintsAReply() throws Exception {
    String out = run(() -> SyncExample.main(new String[0]));
    assertTrue(out.matches("reply from 127\\.0\\.0\\.1: ttl=64 time=\\d+\\.\\d{3} ms\\R"), out);
  }

  @Test
  void templateExampleHearsFromEveryTarget() throws Exception {
    String out = run(() -> TemplateExample.main(new String[0]));
    assertTrue(out.equals("4094 of 4094 answered" + System.lineSeparator()), out);
  }

  @Test
  void scheduleExampleHearsEveryEcho() throws Exception {
    String out = run(() -> ScheduleExample.main(new String[0]));
    assertTrue(out.equals("300 replies to 300 echoes" + System.lineSeparator()), out);
  }

  @Test
  void asyncExampleHearsFromAllOfLoopback() throws Exception {
    String out = run(() -> AsyncExample.main(new String[0]));
    assertTrue(out.startsWith("254 of 254 answered; ClientStats[sent=254, replies=254"), out);
  }
}
