import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;

/**
 * Two engine versions in one JVM, measured in alternating slices of n echoes: the machine's drift
 * (a shared VM's speed moves by a third within minutes) reaches both sides of every pair alike.
 *
 * <p>{@code Harness A.jar A-loop-dir B.jar B-loop-dir SLICES N}; prints the per-slice B/A rate ratios.
 */
public final class Harness {
  public static void main(String[] a) throws Exception {
    LongUnaryOperator[] e = new LongUnaryOperator[2];
    for (int i = 0; i < 2; i++) {
      URL[] path = {Path.of(a[2 * i + 1]).toUri().toURL(), Path.of(a[2 * i]).toUri().toURL()};
      URLClassLoader l = new URLClassLoader("v" + i, path, ClassLoader.getPlatformClassLoader());
      e[i] = (LongUnaryOperator) l.loadClass("Loop").getConstructor().newInstance();
    }
    int slices = Integer.parseInt(a[4]);
    long n = Long.parseLong(a[5]);
    for (int w = 0; w < 10; w++) for (LongUnaryOperator x : e) x.applyAsLong(n); // both compiled
    double[] r = new double[slices];
    long sa = 0, sb = 0;
    for (int s = 0; s < slices; s++) {
      long ta, tb;
      if ((s & 1) == 0) {
        ta = e[0].applyAsLong(n);
        tb = e[1].applyAsLong(n);
      } else {
        tb = e[1].applyAsLong(n);
        ta = e[0].applyAsLong(n);
      }
      r[s] = (double) ta / tb;
      sa += ta;
      sb += tb;
    }
    double[] q = r.clone();
    Arrays.sort(q);
    int ahead = 0;
    for (double x : r) if (x > 1) ahead++;
    System.out.printf(
        "%d slices of %d echoes; second/first rate per slice: median %.4f (p10 %.4f, p90 %.4f), second"
            + " ahead in %d; first %.0f rt/s, second %.0f rt/s%n",
        slices, n, q[slices / 2], q[slices / 10], q[slices * 9 / 10], ahead,
        n * slices * 1e9 / sa, n * slices * 1e9 / sb);
    for (LongUnaryOperator x : e) ((AutoCloseable) x).close();
  }
}
